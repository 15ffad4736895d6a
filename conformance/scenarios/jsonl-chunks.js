// @ts-check

const LINES = [
  { custom_id: 'plain', text: 'hello' },
  { custom_id: 'accents', text: 'héllo wörld' },
  { custom_id: 'emoji', text: 'batch 😀 done' },
  { custom_id: 'cjk', text: '日本語のテキスト' },
];

/**
 * A byte stream that delivers `bytes` cut at the given offsets.
 * @param {Uint8Array} bytes
 * @param {number[]} cuts
 * @returns {ReadableStream<Uint8Array>}
 */
function streamOf(bytes, cuts) {
  const edges = [0, ...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length];
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i + 1 >= edges.length) return controller.close();
      controller.enqueue(bytes.slice(edges[i], edges[i + 1]));
      i += 1;
    },
  });
}

/**
 * @param {any} decodeJSONL
 * @param {ReadableStream<Uint8Array>} stream
 */
async function collect(decodeJSONL, stream) {
  /** @type {unknown[]} */
  const out = [];
  for await (const value of decodeJSONL(stream)) out.push(value);
  return out;
}

/** @type {import('../src/harness.js').Scenario} */
export default {
  name: 'JSONL decodes across awkward chunk boundaries',
  async run({ sdk, assert }) {
    const encoder = new TextEncoder();
    // CRLF line ends, a blank line, and a last line without a newline.
    const text = `${LINES.slice(0, 2)
      .map((l) => JSON.stringify(l))
      .join('\r\n')}\r\n\r\n${LINES.slice(2)
      .map((l) => JSON.stringify(l))
      .join('\r\n')}`;
    const bytes = encoder.encode(text);

    const emojiAt = text.indexOf('😀');
    const emojiByte = encoder.encode(text.slice(0, emojiAt)).length;
    const cjkByte = encoder.encode(text.slice(0, text.indexOf('日'))).length;
    const crAt = encoder.encode(text.slice(0, text.indexOf('\r'))).length;
    const chunkings = {
      whole: [],
      'every byte': Array.from({ length: bytes.length }, (_, i) => i),
      'inside the 4-byte emoji': [emojiByte + 1, emojiByte + 2, emojiByte + 3],
      'inside a 3-byte character': [cjkByte + 1, cjkByte + 2],
      'between CR and LF': [crAt + 1],
      'sevens and thirteens': Array.from({ length: bytes.length }, (_, i) => i).filter(
        (i) => i % 7 === 0 || i % 13 === 0,
      ),
    };
    for (const [label, cuts] of Object.entries(chunkings)) {
      assert.deepEqual(await collect(sdk.decodeJSONL, streamOf(bytes, cuts)), LINES, label);
    }

    // A last line cut off mid-object is an error, after the complete lines were delivered.
    const truncated = encoder.encode(`${JSON.stringify(LINES[0])}\n{"custom_id":"cut`);
    /** @type {unknown[]} */
    const delivered = [];
    const error = await assert.rejects(async () => {
      for await (const value of sdk.decodeJSONL(streamOf(truncated, [5, 30])))
        delivered.push(value);
    }, 'JSONLDecodeError');
    assert.deepEqual(delivered, [LINES[0]], 'lines before the cut');
    assert.equal(error.lineNumber, 2, 'the error points at line 2');
  },
};
