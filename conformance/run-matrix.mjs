#!/usr/bin/env node
// @ts-check
/**
 * Runs the conformance suite on every runtime msgbatch claims, one after another,
 * and prints a table runtime × result. Writes the table to RESULTS.md and, when
 * MSGBATCH_TEST_REPORTS is set, `{ numPassedTests, numFailedTests, numPendingTests }` to
 * $MSGBATCH_TEST_REPORTS/conformance.json. Exits non-zero on any failure.
 *
 * Runs against the built packages (`pnpm exec turbo run build` first; the turbo
 * `test` task depends on it). Only what is installed is used: Node 22/24/26, Deno, Bun,
 * and miniflare from this package's devDependencies; Chromium as
 * @msgbatch/test-chromium finds it (Debian's, else the npm build; else the browser
 * scenarios are skipped with the reason). `CONFORMANCE_ONLY=deno,bun` runs a subset;
 * `CONFORMANCE_FILTER` a scenario.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarios } from './scenarios/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');
const tmp = join(here, '.tmp/reports');
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
const bin = (name) => join(here, 'node_modules/.bin', name);

/** The machine's Node: the first `node` on PATH outside any node_modules (pnpm puts node24's shim first). */
function machineNode() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir.includes('node_modules')) continue;
    const candidate = join(dir, 'node');
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return process.execPath;
}

const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', FORCE_COLOR: '0' };
for (const name of Object.keys(env)) {
  if (name.startsWith('ANTHROPIC_') || name === 'NODE_PATH' || name === 'NODE_OPTIONS') {
    delete env[name];
  }
}
const node20 = machineNode();
const node22 = join(here, 'node_modules/node22/bin/node');
const node24 = join(here, 'node_modules/node24/bin/node');
const node26 = join(here, 'node_modules/node26/bin/node');
const version = (cmd, args = ['--version']) =>
  spawnSync(cmd, args, { encoding: 'utf8', env }).stdout.trim().split('\n')[0] ?? '?';

/**
 * @typedef {{ name: string, status: 'passed' | 'failed' | 'skipped', error?: string }} Result
 * @typedef {{ runtime: string, short: string, entry: string, results: Result[], crashed?: string, seconds: number }} Row
 * @typedef {{ id: string, label: string, entry: string, cmd: string, args: string[], cwd?: string, report: 'json' | 'junit', file: string }} Job
 */

/** @type {Job[]} */
const jobs = [
  ...[
    ['node20-esm', node20, 'runners/node.mjs', '@msgbatch/node dist (import)'],
    ['node20-cjs', node20, 'runners/node.cjs', '@msgbatch/node dist (require)'],
    ['node22-esm', node22, 'runners/node.mjs', '@msgbatch/node dist (import)'],
    ['node24-esm', node24, 'runners/node.mjs', '@msgbatch/node dist (import)'],
    ['node26-esm', node26, 'runners/node.mjs', '@msgbatch/node dist (import)'],
  ].map(([id, cmd, script, entry]) => ({
    id,
    label: `Node ${version(cmd).replace(/^v/, '')}${id.endsWith('cjs') ? ' (CommonJS)' : ''}`,
    entry,
    cmd,
    args: [script, '--report', join(tmp, `${id}.json`)],
    report: /** @type {const} */ ('json'),
    file: join(tmp, `${id}.json`),
  })),
  {
    id: 'deno',
    label: `Deno ${version(bin('deno'))
      .replace(/^deno /, '')
      .replace(/ \(.*$/, '')}`,
    entry: '@msgbatch/deno mod.ts',
    cmd: bin('deno'),
    args: [
      'test',
      // see packages/deno-shim/README.md for why these two (dev-only) flags
      '--unstable-sloppy-imports',
      '--unstable-no-legacy-abort',
      '--allow-env',
      '--allow-net=127.0.0.1',
      `--junit-path=${join(tmp, 'deno.xml')}`,
      'test/conformance.test.ts',
    ],
    cwd: join(root, 'packages/deno-shim'),
    report: 'junit',
    file: join(tmp, 'deno.xml'),
  },
  {
    id: 'bun',
    label: `Bun ${version(bin('bun'))}`,
    entry: '@msgbatch/node dist (import)',
    cmd: bin('bun'),
    args: [
      'test',
      './runners/bun.test.js',
      '--reporter=junit',
      `--reporter-outfile=${join(tmp, 'bun.xml')}`,
    ],
    report: 'junit',
    file: join(tmp, 'bun.xml'),
  },
  {
    id: 'workerd',
    label: 'workerd',
    entry: '@msgbatch/core dist, bundled',
    // miniflare asks for Node 22 or later: the Node 22 this package installs drives it.
    cmd: node22,
    args: ['runners/workerd.mjs', '--report', join(tmp, 'workerd.json')],
    report: 'json',
    file: join(tmp, 'workerd.json'),
  },
  {
    id: 'chromium',
    label: 'Chromium',
    entry: '',
    cmd: node20,
    args: ['runners/chromium.mjs', '--report', join(tmp, 'chromium.json')],
    report: 'json',
    file: join(tmp, 'chromium.json'),
  },
];

const only = process.env.CONFORMANCE_ONLY?.split(',').filter(Boolean);
/** @type {Row[]} */
const rows = [];
for (const job of jobs) {
  if (only && !only.some((o) => job.id.startsWith(o))) continue;
  const started = Date.now();
  console.log(`\n## ${job.label}: ${[job.cmd.replace(root, '.'), ...job.args].join(' ')}`);
  const run = spawnSync(job.cmd, job.args, {
    cwd: job.cwd ?? here,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
    // A budget for a hung runtime, not a speed test: a loaded 2-core machine is slow.
    timeout: 300_000,
  });
  const seconds = (Date.now() - started) / 1000;
  if (!existsSync(job.file)) {
    const why = run.error
      ? String(run.error)
      : `exit ${run.status}${run.signal ? ` (${run.signal})` : ''}`;
    rows.push({
      runtime: job.label,
      short: shortName(job.label),
      entry: job.entry,
      results: [],
      crashed: `no report: ${why}`,
      seconds,
    });
    continue;
  }
  const text = readFileSync(job.file, 'utf8');
  if (job.report === 'junit') {
    rows.push({
      runtime: job.label,
      short: shortName(job.label),
      entry: job.entry,
      results: fromJUnit(text),
      seconds,
    });
  } else {
    const reports = [JSON.parse(text)].flat();
    for (const report of reports) {
      const runtime =
        job.id === 'chromium'
          ? cap(report.runtime)
          : job.id === 'workerd'
            ? report.runtime
            : job.label;
      rows.push({
        runtime,
        short: shortName(runtime),
        entry: job.entry || `${report.entry} dist, bundled`,
        results: report.results,
        seconds: seconds / reports.length,
      });
    }
  }
  const row = rows.at(-1);
  if (row && run.status !== 0 && !row.results.some((r) => r.status === 'failed')) {
    row.crashed = `exit ${run.status} with no failed scenario`;
  }
}

const count = (/** @type {Row} */ row, /** @type {string} */ status) =>
  row.results.filter((r) => r.status === status).length;
const passed = rows.reduce((n, row) => n + count(row, 'passed'), 0);
const failed = rows.reduce((n, row) => n + count(row, 'failed') + (row.crashed ? 1 : 0), 0);
const skipped = rows.reduce((n, row) => n + count(row, 'skipped'), 0);

const summary = [
  '| runtime | entry under test | passed | failed | skipped |',
  '| --- | --- | ---: | ---: | ---: |',
  ...rows.map(
    (row) =>
      `| ${row.runtime} | ${row.entry} | ${count(row, 'passed')} | ${count(row, 'failed') + (row.crashed ? 1 : 0)} | ${count(row, 'skipped')} |`,
  ),
];
const mark = { passed: '✅', failed: '❌', skipped: '–' };
const grid = [
  `| scenario | ${rows.map((row) => row.short).join(' | ')} |`,
  `| --- | ${rows.map(() => ':-:').join(' | ')} |`,
  ...scenarios.map(
    (s) =>
      `| ${s.name} | ${rows
        .map((row) => {
          const r = row.results.find((x) => x.name === s.name);
          return r ? mark[r.status] : row.crashed ? '❌' : ' ';
        })
        .join(' | ')} |`,
  ),
];
const notes = [
  ...new Set(
    rows.flatMap((row) => [
      ...row.results
        .filter((r) => r.status === 'skipped')
        .map((r) => `- ${row.runtime} skips “${r.name}”: ${r.error ?? 'not available'}`),
      ...(row.crashed ? [`- ${row.runtime}: ${row.crashed}`] : []),
    ]),
  ),
];

const markdown = [
  `${passed} scenario runs passed, ${failed} failed, on ${rows.length} runtimes.`,
  '',
  ...summary,
  '',
  ...grid,
  ...(notes.length ? ['', ...notes] : []),
  '',
].join('\n');
// A partial run (CONFORMANCE_ONLY / CONFORMANCE_FILTER) leaves the full table alone.
const partial = Boolean(only || process.env.CONFORMANCE_FILTER);
if (!partial)
  writeFileSync(
    join(here, 'RESULTS.md'),
    `# Conformance results\n\n<!-- Written by conformance/run-matrix.mjs; do not edit by hand. -->\n\n${alignTables(markdown)}`,
  );
console.log(`\n${summary.join('\n')}\n`);
for (const row of rows) console.log(`${row.runtime}: ${row.seconds.toFixed(1)} s`);
for (const row of rows) {
  for (const r of row.results.filter((x) => x.status === 'failed')) {
    console.log(
      `\nFAILED on ${row.runtime}: ${r.name}\n  ${(r.error ?? '').split('\n').join('\n  ')}`,
    );
  }
  if (row.crashed) console.log(`\nCRASHED: ${row.runtime}: ${row.crashed}`);
}
if (process.env.MSGBATCH_TEST_REPORTS) {
  mkdirSync(process.env.MSGBATCH_TEST_REPORTS, { recursive: true });
  writeFileSync(
    join(process.env.MSGBATCH_TEST_REPORTS, 'conformance.json'),
    JSON.stringify({
      packageDir: 'conformance',
      numPassedTests: passed,
      numFailedTests: failed,
      numPendingTests: skipped,
    }),
  );
}
console.log(
  `\nconformance: ${passed} passed, ${failed} failed, ${skipped} skipped (conformance/RESULTS.md)`,
);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

/**
 * A column title for the scenario grid: `Node 20`, `Node 20 CJS`, `Deno`, `Chromium worker`.
 * @param {string} runtime
 */
function shortName(runtime) {
  const node = /^Node (\d+)\.\S+( \(CommonJS\))?/.exec(runtime);
  if (node) return `Node ${node[1]}${node[2] ? ' CJS' : ''}`;
  if (runtime.startsWith('Chromium'))
    return runtime.includes('worker') ? 'Chromium worker' : 'Chromium page';
  return runtime.split(' ')[0] ?? runtime;
}

/** @param {string} text */
function cap(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The test cases of a JUnit XML report (Deno's and Bun's), by name and outcome.
 * @param {string} xml
 * @returns {Result[]}
 */
function fromJUnit(xml) {
  /** @type {Result[]} */
  const results = [];
  const unxml = (/** @type {string} */ s) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const name = unxml(/\bname="([^"]*)"/.exec(match[1] ?? '')?.[1] ?? '?');
    const body = match[3] ?? '';
    const status = /<(failure|error)\b/.test(body)
      ? 'failed'
      : /<skipped\b/.test(body)
        ? 'skipped'
        : 'passed';
    const error =
      status === 'failed' ? unxml(/message="([^"]*)"/.exec(body)?.[1] ?? 'failed') : undefined;
    results.push({ name, status, ...(error ? { error } : {}) });
  }
  return results;
}

/**
 * Pads every markdown table so its columns line up in a plain-text reader (the
 * rendered table is the same); emoji count as two columns, as terminals show them.
 * @param {string} markdown
 */
function alignTables(markdown) {
  const width = (/** @type {string} */ text) =>
    [...text].reduce((n, ch) => n + (/\p{Extended_Pictographic}/u.test(ch) ? 2 : 1), 0);
  const lines = markdown.split('\n');
  for (let start = 0; start < lines.length; start++) {
    if (!lines[start]?.startsWith('|')) continue;
    let end = start;
    while (lines[end + 1]?.startsWith('|')) end++;
    const rows = lines.slice(start, end + 1).map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
    const aligns = (rows[1] ?? []).map((cell) =>
      cell.startsWith(':') && cell.endsWith(':') ? 'center' : cell.endsWith(':') ? 'right' : 'left',
    );
    const widths = aligns.map((_, i) =>
      Math.max(3, ...rows.filter((_, r) => r !== 1).map((row) => width(row[i] ?? ''))),
    );
    rows.forEach((row, r) => {
      const cells = widths.map((w, i) => {
        const align = aligns[i];
        if (r === 1) {
          const dashes = '-'.repeat(w);
          if (align === 'center') return `:${dashes.slice(2)}:`;
          return align === 'right' ? `${dashes.slice(1)}:` : dashes;
        }
        const cell = row[i] ?? '';
        const pad = w - width(cell);
        if (align === 'right') return ' '.repeat(pad) + cell;
        if (align === 'center') {
          const left = Math.floor(pad / 2);
          return ' '.repeat(left) + cell + ' '.repeat(pad - left);
        }
        return cell + ' '.repeat(pad);
      });
      lines[start + r] = `| ${cells.join(' | ')} |`;
    });
    start = end;
  }
  return lines.join('\n');
}
