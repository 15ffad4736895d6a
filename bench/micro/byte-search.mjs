// The newline search of the results readers, three ways, over ~117 MB of 587-byte lines
// in 64 KB chunks (figure 5's shape): Uint8Array#indexOf, Buffer#indexOf called on the
// same Uint8Array (what packages/core/src/results/byte-search.ts uses where it exists), and a
// plain loop. Prints ms per pass; run with `node bench/micro/byte-search.mjs`.
const line = `${'x'.repeat(586)}\n`;
const chunk = new TextEncoder().encode(line.repeat(112));
const CHUNKS = 1800;
const bufferIndexOf = Buffer.prototype.indexOf;

const ways = {
  'Uint8Array#indexOf': (bytes, from) => bytes.indexOf(10, from),
  'Buffer#indexOf on the Uint8Array': (bytes, from) => bufferIndexOf.call(bytes, 10, from),
  'plain loop': (bytes, from) => {
    for (let i = from; i < bytes.length; i++) if (bytes[i] === 10) return i;
    return -1;
  },
};

for (let round = 0; round < 4; round++) {
  for (const [name, indexOf] of Object.entries(ways)) {
    const start = performance.now();
    let lines = 0;
    for (let k = 0; k < CHUNKS; k++) {
      for (let i = indexOf(chunk, 0); i !== -1; i = indexOf(chunk, i + 1)) lines++;
    }
    if (round > 0)
      console.log(`${name}: ${(performance.now() - start).toFixed(1)} ms (${lines} lines)`);
  }
}
