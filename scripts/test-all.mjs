#!/usr/bin/env node
// Every check the project makes, in order: build, lint, types, tests, package
// lints, size budgets. Stops at the first failing step. Ends with one summary
// line of all test results, `tests: N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = join(root, '.tmp/test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  MSGBATCH_TEST_REPORTS: reports,
};
const steps = [
  ['build', 'pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']],
  ['lint', 'pnpm', ['exec', 'biome', 'check', '.']],
  ['typecheck', 'pnpm', ['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']],
  ['test', 'pnpm', ['exec', 'turbo', 'run', 'test', '--concurrency=1']],
  [
    'package lint (publint, attw)',
    'pnpm',
    ['exec', 'turbo', 'run', 'lint:package', '--output-logs=errors-only'],
  ],
  ['size budgets', 'node', ['scripts/size.mjs']],
];

let failedStep = null;
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    failedStep = name;
    break;
  }
}

let passed = 0;
let failed = 0;
if (existsSync(reports)) {
  for (const file of readdirSync(reports).filter((f) => f.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(reports, file), 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
  }
}
console.log('');
if (failedStep) console.log(`step failed: ${failedStep}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failedStep || failed > 0 || passed === 0 ? 1 : 0);
