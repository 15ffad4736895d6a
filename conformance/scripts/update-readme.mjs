#!/usr/bin/env node
// Copies the table of the last conformance run (conformance/RESULTS.md, written by
// run-matrix.mjs) into the root README, between <!-- runtimes:start --> and
// <!-- runtimes:end -->, so README shows what a run produced, never a hand-typed table.
// `--check` exits 1 when README differs from RESULTS.md.
import { readFileSync, writeFileSync } from 'node:fs';

const results = readFileSync(new URL('../RESULTS.md', import.meta.url), 'utf8');
const readmeURL = new URL('../../README.md', import.meta.url);
const readme = readFileSync(readmeURL, 'utf8');
const START = '<!-- runtimes:start -->';
const END = '<!-- runtimes:end -->';
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < from) {
  console.error(`README.md has no ${START} … ${END} block to fill`);
  process.exit(1);
}
// RESULTS.md without its title and its do-not-edit note.
const body = results
  .replace(/^# .*\n+/, '')
  .replace(/^<!--.*-->\n+/, '')
  .trim();
const next = `${readme.slice(0, from + START.length)}\n<!-- generated from conformance/RESULTS.md by \`pnpm --filter @msgbatch/conformance readme\` -->\n\n${body}\n\n${readme.slice(to)}`;
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error('README.md runtimes table differs from conformance/RESULTS.md');
    process.exit(1);
  }
  console.log('README.md runtimes table matches conformance/RESULTS.md');
} else if (next !== readme) {
  writeFileSync(readmeURL, next);
  console.log('README.md runtimes table updated from conformance/RESULTS.md');
}
