// Deterministic JSONL request files for jobs tests and benchmarks (see index.d.ts).
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const WORDS = (
  'the of and to in is that for it as was with be by on not he this are or his from at which ' +
  'but have an they you were her she there been one all we their has would when if so no more ' +
  'summarize translate classify extract review explain compare rewrite invoice contract ' +
  'customer ticket product refund shipment delivery warranty policy clause paragraph énergie ' +
  'données résumé 東京 データ 요약'
).split(' ');
const SYSTEMS = [
  'You are a careful assistant that answers in plain English and cites the passage it used.',
  'You classify customer support tickets into one of: billing, shipping, product, account, other. Answer with the label only.',
  'You extract the parties, dates and amounts from contracts and answer as JSON with the keys parties, dates and amounts.',
  'You are a translator. Translate the user text into French, keeping names and numbers unchanged.',
];
const MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'];

/** xorshift32 seeded from the index and seed: the same request for the same arguments. */
function randomFor(index, seed) {
  let x = (Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(seed + 7, 0x85ebca6b)) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const pick = (random, list) => list[Math.floor(random() * list.length)];

function sentence(random, words) {
  const out = [];
  for (let i = 0; i < words; i++) out.push(pick(random, WORDS));
  return `${out.join(' ')}.`;
}

function text(random, bytes) {
  let out = '';
  while (out.length < bytes) out += `${sentence(random, 6 + Math.floor(random() * 14))} `;
  return out.trimEnd();
}

export function jobRequestId(index, prefix = 'req') {
  return `${prefix}-${String(index).padStart(7, '0')}`;
}

export function jobRequest(index, { kind = 'realistic', prefix = 'req', seed = 1 } = {}) {
  const custom_id = jobRequestId(index, prefix);
  if (kind === 'tiny') {
    return {
      custom_id,
      params: {
        model: 'claude-sonnet-4-5',
        max_tokens: 16,
        messages: [{ role: 'user', content: `question ${index}` }],
      },
    };
  }
  const random = randomFor(index, seed);
  // Log-normal-ish size: most prompts a few hundred bytes to ~2 KB, a few up to ~6 KB.
  const target = Math.round(130 * Math.exp(random() * 2 + random() * 1.4));
  const turns = 1 + 2 * Math.floor(random() * 3);
  const messages = [];
  for (let t = 0; t < turns; t++) {
    const last = t === turns - 1;
    messages.push({
      role: t % 2 === 0 ? 'user' : 'assistant',
      content: last
        ? [{ type: 'text', text: text(random, Math.max(40, Math.round(target / turns))) }]
        : text(random, Math.max(30, Math.round(target / turns / 2))),
    });
  }
  const params = {
    model: pick(random, MODELS),
    max_tokens: pick(random, [256, 512, 1024, 4096]),
    system: pick(random, SYSTEMS),
    messages,
  };
  if (random() < 0.5) params.temperature = Math.round(random() * 10) / 10;
  if (random() < 0.2) params.metadata = { user_id: `user-${Math.floor(random() * 1e6)}` };
  if (random() < 0.15) {
    params.tools = [
      {
        name: 'lookup_order',
        description: 'Looks an order up by its number and returns its status and items.',
        input_schema: {
          type: 'object',
          properties: { order_number: { type: 'string', description: 'e.g. A-12345' } },
          required: ['order_number'],
        },
      },
    ];
  }
  return { custom_id, params };
}

export async function writeJobRequests(path, count, options = {}) {
  const out = createWriteStream(path);
  let bytes = 0;
  let buffer = '';
  try {
    for (let i = 0; i < count; i++) {
      buffer += `${JSON.stringify(jobRequest(i, options))}\n`;
      if (buffer.length >= 1 << 16 || i === count - 1) {
        bytes += Buffer.byteLength(buffer);
        if (!out.write(buffer)) await once(out, 'drain');
        buffer = '';
      }
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { count, bytes };
}
