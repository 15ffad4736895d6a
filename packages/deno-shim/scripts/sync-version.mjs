#!/usr/bin/env node
// Keeps deno.json in step with package.json: the JSR `version`, and the
// `npm:@msgbatch/core@<version>` the import map points at (all @msgbatch/* packages
// are released together, see .changeset/config.json `fixed`).
//
//   node packages/deno-shim/scripts/sync-version.mjs          write deno.json
//   node packages/deno-shim/scripts/sync-version.mjs --check  exit 1 when it drifted
import { readFileSync, writeFileSync } from 'node:fs';

const dir = new URL('..', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8'));
const denoPath = new URL('deno.json', dir);
const text = readFileSync(denoPath, 'utf8');
const deno = JSON.parse(text);

deno.version = version;
for (const [name, target] of Object.entries(deno.imports ?? {})) {
  const match = /^npm:(@msgbatch\/[^@/]+)@[^/]+(\/.*)?$/.exec(target);
  if (match) deno.imports[name] = `npm:${match[1]}@${version}${match[2] ?? ''}`;
}
const next = `${JSON.stringify(deno, null, 2)}\n`;

if (process.argv.includes('--check')) {
  if (next !== text) {
    console.error(
      `packages/deno-shim/deno.json is not in step with package.json (${version}): run node packages/deno-shim/scripts/sync-version.mjs`,
    );
    process.exit(1);
  }
  console.log(`deno.json in step with package.json: ${version}`);
} else if (next !== text) {
  writeFileSync(denoPath, next);
  console.log(`deno.json → ${version}`);
}
