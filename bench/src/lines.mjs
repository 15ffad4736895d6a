// Realistic batch result lines, generated block by block so that any number of them
// can be streamed without holding the body: a block of 100 lines is rendered once and
// copied per use with each line's 8-digit number patched in (custom_id and message id
// stay unique across the whole body). ~585 bytes per line on average.

const PER_BLOCK = 100;
const DIGITS = 8;
const MARK = '#'.repeat(DIGITS);

const SENTENCES = [
  'Photosynthesis converts light energy into chemical energy stored in glucose.',
  'The answer is 42, as computed in the previous step.',
  'Here is a summary of the document:\n\n- point one\n- point two',
  'Die Straße führt über den Fluß — naïve café résumé.',
  'La réponse courte est « oui », mais avec des nuances.',
  'The function returns `null` when the "key" is missing.',
  'データの要約: 売上は前年比で増加しました。',
  'Done ✅ — 3 items processed, 0 errors.',
];

function text(i) {
  let out = '';
  const target = 90 + ((i * 37) % 150);
  for (let k = i; out.length < target; k++) out += `${SENTENCES[k % SENTENCES.length]} `;
  return out.trimEnd();
}

const ERRORED_SLOTS = [17, 58, 91];
const CANCELED_SLOTS = [33, 76];
const EXPIRED_SLOTS = [49];

/** The result type of line `i` (from 0). */
function typeOf(i) {
  const slot = i % PER_BLOCK;
  if (ERRORED_SLOTS.includes(slot)) return 'errored';
  if (CANCELED_SLOTS.includes(slot)) return 'canceled';
  if (EXPIRED_SLOTS.includes(slot)) return 'expired';
  return 'succeeded';
}

/** The `request_counts` of an ended batch whose results are `resultsBytes(count)`. */
export function resultCounts(count) {
  const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
  for (let i = 0; i < Math.min(count, PER_BLOCK); i++) {
    counts[typeOf(i)] += Math.floor(count / PER_BLOCK) + (i < count % PER_BLOCK ? 1 : 0);
  }
  return counts;
}

/** One line as the API writes it (key order included), with `MARK` where its number goes. */
function templateLine(i) {
  const custom_id = `req-${MARK}`;
  const type = typeOf(i);
  if (type === 'errored') {
    return JSON.stringify({
      custom_id,
      result: {
        type: 'errored',
        error: {
          type: 'error',
          error: {
            type: 'invalid_request_error',
            message:
              'max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5-20250929',
            details: { error_visibility: 'user_facing' },
          },
          request_id: null,
        },
      },
    });
  }
  if (type === 'canceled' || type === 'expired')
    return JSON.stringify({ custom_id, result: { type } });
  return JSON.stringify({
    custom_id,
    result: {
      type: 'succeeded',
      message: {
        id: `msg_01Bx7GQpuT${MARK}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [{ type: 'text', text: text(i) }],
        stop_reason: i % 11 === 0 ? 'max_tokens' : 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: 120 + (i % 900),
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 40 + (i % 300),
          service_tier: 'batch',
        },
      },
    },
  });
}

/** The block template and, per line, the byte offsets of its number fields. */
function makeBlock() {
  const parts = [];
  const marks = [];
  let length = 0;
  for (let i = 0; i < PER_BLOCK; i++) {
    const line = Buffer.from(`${templateLine(i)}\n`);
    const offsets = [];
    for (let at = line.indexOf(MARK); at !== -1; at = line.indexOf(MARK, at + DIGITS)) {
      offsets.push(length + at);
    }
    marks.push(offsets);
    parts.push(line);
    length += line.length;
  }
  return { bytes: Buffer.concat(parts), marks, lineEnds: lineEnds(parts) };
}

function lineEnds(parts) {
  const ends = [];
  let at = 0;
  for (const p of parts) {
    at += p.length;
    ends.push(at);
  }
  return ends;
}

const block = makeBlock();
/** Average bytes per line, newline included. */
export const BYTES_PER_LINE = block.bytes.length / PER_BLOCK;

/**
 * Yields the body of `count` lines as buffers of about 58 KB, separated by `\n`,
 * without a trailing newline (as the API sends them).
 */
export function* resultsBytes(count) {
  for (let first = 0; first < count; first += PER_BLOCK) {
    const n = Math.min(PER_BLOCK, count - first);
    const out = Buffer.from(block.bytes.subarray(0, block.lineEnds[n - 1]));
    for (let i = 0; i < n; i++) {
      const digits = String(first + i).padStart(DIGITS, '0');
      for (const at of block.marks[i]) out.write(digits, at, 'latin1');
    }
    yield first + n >= count ? out.subarray(0, out.length - 1) : out;
  }
}

/** Exact byte length of `resultsBytes(count)`. */
export function resultsLength(count) {
  const full = Math.floor(count / PER_BLOCK);
  const rest = count % PER_BLOCK;
  return full * block.bytes.length + (rest ? block.lineEnds[rest - 1] : 0) - (count > 0 ? 1 : 0);
}
