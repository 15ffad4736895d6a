#!/usr/bin/env node
// Every check the project makes, in order: build, lint, types, tests, package
// lints, size budgets. Stops at the first failing step. Ends with one summary
// line of all test results, `tests: N passed, N failed` (`, N skipped` when some
// were), added up from the report every runner writes to $MSGBATCH_TEST_REPORTS:
// vitest's JSON report in each package, the conformance matrix's, deno's. A
// package whose `test` script left no report counts as one failed test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { findChromium } from '../tools/test-chromium/index.js';

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

// Say up front which Chromium the browser tests will use, or why they will be skipped.
const chromium = await findChromium();
console.log(
  chromium.found
    ? `chromium for the browser tests: ${chromium.source}`
    : `chromium: none, the browser tests will be reported skipped: ${chromium.reason}`,
);

const steps = [
  ['build', 'pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']],
  ['lint', 'pnpm', ['exec', 'biome', 'check', '.']],
  ['typecheck', 'pnpm', ['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']],
  // --continue: one failing package does not keep the others' tests from running and counting.
  ['test', 'pnpm', ['exec', 'turbo', 'run', 'test', '--concurrency=1', '--continue']],
  [
    'package lint (publint, attw)',
    'pnpm',
    ['exec', 'turbo', 'run', 'lint:package', '--output-logs=errors-only'],
  ],
  ['size budgets', 'node', ['scripts/size.mjs']],
];

const started = Date.now();
let failedStep = null;
let testsRan = false;
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}`);
  const stepStarted = Date.now();
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  console.log(`=== ${name}: ${((Date.now() - stepStarted) / 1000).toFixed(0)} s`);
  if (name === 'test') testsRan = true;
  if (result.status !== 0) {
    failedStep = name;
    break;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const reported = new Set();
const packages = workspacePackages();
for (const file of readdirSync(reports).filter((f) => f.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(join(reports, file), 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (report.packageDir) reported.add(report.packageDir);
  for (const result of report.testResults ?? []) {
    const owner = packages.find((p) => result.name?.startsWith(join(root, p.dir) + sep));
    if (owner) reported.add(owner.dir);
  }
}
const missing = testsRan ? packages.filter((p) => p.hasTests && !reported.has(p.dir)) : [];
for (const p of missing) {
  console.log(`no test report from ${p.name} (${p.dir}): counted as 1 failed`);
  failed += 1;
}

console.log('');
console.log(`whole run: ${((Date.now() - started) / 60_000).toFixed(1)} min`);
if (failedStep) console.log(`step failed: ${failedStep}`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failedStep || failed > 0 || passed === 0 ? 1 : 0);

/**
 * The workspace's packages (from pnpm-workspace.yaml: plain folders and `dir/*`),
 * each with whether it has a `test` script.
 */
function workspacePackages() {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const patterns = [...yaml.matchAll(/^\s*-\s*["']?([^"'\n]+)["']?\s*$/gm)].map((m) => m[1]);
  const dirs = patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    if (!existsSync(join(root, parent))) return [];
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `${parent}/${d.name}`);
  });
  return dirs
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      return {
        dir: relative(root, join(root, dir)),
        name: pkg.name,
        hasTests: !!pkg.scripts?.test,
      };
    });
}
