// @ts-check
/**
 * Conformance under workerd: bundles runners/workerd-worker.js, runs it with
 * miniflare, and asks it to run the scenarios. Every subrequest the worker makes
 * goes to the outbound service below, which sends it back into the worker (the
 * "served" emulators live there), so the network-stack scenario crosses workerd's
 * real fetch both ways.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { formatResult } from '../src/harness.js';
import { bundle, installedVersion } from './bundle.mjs';

const here = new URL('.', import.meta.url);
const out = fileURLToPath(new URL('../.tmp/workerd/', here));
mkdirSync(out, { recursive: true });
const scriptPath = await bundle({
  entry: fileURLToPath(new URL('workerd-worker.js', here)),
  outfile: `${out}worker.js`,
  conditions: ['workerd', 'worker', 'browser', 'import'],
});

const workerdVersion = installedVersion(
  'workerd',
  import.meta.resolve('miniflare').replace('file://', ''),
);
/** @type {Miniflare} */
const mf = new Miniflare({
  modules: true,
  scriptPath,
  compatibilityDate: '2026-04-01',
  outboundService: (request) =>
    mf.dispatchFetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      // This hop stands for the network: a redirect goes back to the worker's fetch as it
      // came, which decides whether to follow it (msgbatch never does).
      redirect: 'manual',
      // @ts-expect-error undici's RequestInit knows duplex
      duplex: 'half',
    }),
});
let exit = 1;
try {
  const response = await mf.dispatchFetch(
    `http://conformance.test/__conformance?filter=${encodeURIComponent(process.env.CONFORMANCE_FILTER ?? '')}`,
  );
  const body = /** @type {any} */ (await response.json());
  const report = { runtime: `workerd ${workerdVersion} (miniflare)`, results: body.results };
  for (const result of report.results) console.log(formatResult(result));
  const at = process.argv.indexOf('--report');
  if (at > 0 && process.argv[at + 1])
    writeFileSync(process.argv[at + 1], JSON.stringify(report, null, 2));
  const failed = report.results.filter((/** @type {any} */ r) => r.status === 'failed').length;
  console.log(`# ${report.runtime}: ${failed} failed`);
  exit = failed ? 1 : 0;
} finally {
  await mf.dispose();
}
process.exit(exit);
