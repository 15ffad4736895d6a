// After tsc and tsup, the files of the entries that are not bundled declarations:
// - the ESM declarations of `.` and `./proxy`, copies of the CommonJS ones tsup bundled;
// - the subpaths for bundlers (`./client`, `./cancel`). Their ESM is tsc's per-module
//   output; their declarations re-export the main entry's (one declaration of each class,
//   whichever entry names it): the values the ESM entry really has, and every type. Their
//   CommonJS answers with the main entry: Node's require() gains nothing from a smaller
//   one, and its classes are then the very ones `require('@msgbatch/core')` returns.
import { copyFileSync, writeFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
for (const entry of ['index', 'proxy']) {
  copyFileSync(new URL(`${entry}.d.cts`, dist), new URL(`${entry}.d.ts`, dist));
}
for (const entry of ['client', 'cancel']) {
  const values = Object.keys(await import(new URL(`esm/entries/${entry}.js`, dist).href)).sort();
  const declarations = (from) =>
    `export type * from '${from}';\nexport { ${values.join(', ')} } from '${from}';\n`;
  writeFileSync(new URL(`${entry}.d.ts`, dist), declarations('./index.js'));
  writeFileSync(new URL(`${entry}.d.cts`, dist), declarations('./index.cjs'));
  writeFileSync(
    new URL(`${entry}.cjs`, dist),
    "'use strict';\nmodule.exports = require('./index.cjs');\n",
  );
}
