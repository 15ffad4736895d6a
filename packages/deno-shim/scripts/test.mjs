#!/usr/bin/env node
// The package's checks in order: deno lint, deno test (type-checks mod.ts and the
// tests, runs the conformance suite and the env-permission tests), the deno.json
// version check, and `deno publish --dry-run` (offline: every import is npm: or
// relative). With MSGBATCH_TEST_REPORTS set, writes deno-shim.json for the summary.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('..', import.meta.url));
const deno = join(dir, 'node_modules/.bin/deno');
const junit = join(dir, '.tmp/deno-test.xml');
rmSync(junit, { force: true });
mkdirSync(join(dir, '.tmp'), { recursive: true });
const env = { ...process.env, DENO_NO_UPDATE_CHECK: '1' };
for (const name of Object.keys(env)) if (name.startsWith('ANTHROPIC_')) delete env[name];

// Dev-only flags: sloppy imports let Deno follow core's `.cjs` → `.d.cts` declaration
// chunk through the workspace symlink (see README); no-legacy-abort keeps Deno.serve quiet.
const steps = [
  [deno, ['lint']],
  [
    deno,
    [
      'test',
      '--unstable-sloppy-imports',
      '--unstable-no-legacy-abort',
      '--allow-env',
      '--allow-net=127.0.0.1',
      `--junit-path=${junit}`,
    ],
  ],
  [process.execPath, ['scripts/sync-version.mjs', '--check']],
  [deno, ['publish', '--dry-run', '--allow-dirty', '--unstable-sloppy-imports']],
];
let status = 0;
for (const [cmd, args] of steps) {
  const run = spawnSync(cmd, args, { cwd: dir, env, stdio: 'inherit' });
  if (run.status !== 0) {
    status = run.status ?? 1;
    break;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const xml = readFileSync(junit, 'utf8');
  for (const [, body = ''] of xml.matchAll(/<testcase\b[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    if (/<(failure|error)\b/.test(body)) failed += 1;
    else if (/<skipped\b/.test(body)) skipped += 1;
    else passed += 1;
  }
} catch {
  failed += 1; // deno test did not get to write its report
}
if (process.env.MSGBATCH_TEST_REPORTS) {
  mkdirSync(process.env.MSGBATCH_TEST_REPORTS, { recursive: true });
  writeFileSync(
    join(process.env.MSGBATCH_TEST_REPORTS, 'deno-shim.json'),
    JSON.stringify({
      packageDir: 'packages/deno-shim',
      numPassedTests: passed,
      numFailedTests: failed,
      numPendingTests: skipped,
    }),
  );
}
process.exit(status || (failed ? 1 : 0));
