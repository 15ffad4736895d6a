// @ts-check
/**
 * Conformance in Chromium (the one @msgbatch/test-chromium chooses: Debian's
 * /usr/bin/chromium, else the build the @sparticuz/chromium npm package ships; driven
 * by playwright-core, nothing downloaded): the suite runs in a page and in a module
 * Web Worker. With no Chromium at all, every scenario is reported skipped, with why.
 *
 * One Node server, two origins: the page and its bundle are served from
 * http://127.0.0.1:PORT; the proxy (createBatchesProxy in front of an emulator that
 * holds the upstream key) from http://localhost:PORT, so the token path is a real
 * cross-origin call with CORS preflights. `/fixture` creates a batch upstream and
 * `/token` mints tokens, as a user's backend would.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import * as emulatorPackage from '@msgbatch/emulator';
import * as sdk from '@msgbatch/node';
import { launchChromium } from '@msgbatch/test-chromium';
import { batchRequests } from '../scenarios/fixtures.js';
import { scenarios } from '../scenarios/index.js';
import { formatResult } from '../src/harness.js';
import { PROXY_MOUNT, TOKEN_SECRET } from '../src/token-path.js';
import { bundle } from './bundle.mjs';
import { optional } from './optional.mjs';

const here = new URL('.', import.meta.url);
const out = fileURLToPath(new URL('../.tmp/chromium/', here));
mkdirSync(out, { recursive: true });
const at = process.argv.indexOf('--report');
const reportPath = at > 0 ? process.argv[at + 1] : undefined;

const launched = await launchChromium();
if (!launched.browser) {
  // Reported as skipped, with the reason, for both places the suite runs in a browser.
  const reason = `no Chromium: ${launched.reason}`;
  const skipped = ['page', 'web worker'].map((where) => ({
    runtime: `chromium (${where})`,
    entry: '@msgbatch/browser',
    results: scenarios.map((s) => ({ name: s.name, status: 'skipped', ms: 0, error: reason })),
  }));
  if (reportPath) writeFileSync(reportPath, JSON.stringify(skipped, null, 2));
  console.log(`# chromium: every scenario skipped: ${reason}`);
  process.exit(0);
}
const browser = launched.browser;

const bundlePath = await bundle({
  entry: fileURLToPath(new URL('browser-entry.js', here)),
  outfile: `${out}bundle.js`,
  conditions: ['browser', 'import'],
});
const bundleSource = readFileSync(bundlePath);
const proxyModule = await optional(() => import('@msgbatch/core/proxy'));

// The user's backend: the upstream API (an emulator) and the proxy in front of it.
const upstreamKey = `sk-ant-upstream-${Math.random().toString(36).slice(2)}`;
const upstream = emulatorPackage.createEmulator({ clock: 'manual', apiKeys: [upstreamKey] });
const admin = new sdk.Anthropic({
  apiKey: upstreamKey,
  baseURL: 'http://upstream.test',
  fetch: upstream.fetch,
});

/** @type {import('node:http').Server} */
const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname.startsWith(PROXY_MOUNT) && proxy) {
      return send(res, await proxy(toRequest(req, url)));
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(
        '<!doctype html><title>msgbatch conformance</title><script type="module" src="/bundle.js"></script>',
      );
    }
    if (url.pathname === '/bundle.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(bundleSource);
    }
    if (url.pathname === '/fixture' && req.method === 'POST') {
      const batch = await admin.messages.batches.create({ requests: batchRequests(5) });
      const body = { batchId: batch.id, mountPath: PROXY_MOUNT, secretMarker: upstreamKey };
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(body));
    }
    if (url.pathname === '/token' && proxyModule) {
      const scopes = (url.searchParams.get('scopes') ?? '').split(',');
      const token = await proxyModule.mintBrowserToken({
        secret: TOKEN_SECRET,
        subject: 'conformance-user',
        scopes: /** @type {any} */ (scopes),
        ttlSeconds: 300,
      });
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(token);
    }
    res.writeHead(404).end();
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
const pageOrigin = `http://127.0.0.1:${port}`;
const proxyOrigin = `http://localhost:${port}`;
const proxy = proxyModule?.createBatchesProxy({
  upstream: { baseURL: 'http://upstream.test', apiKey: upstreamKey },
  verify: { secret: TOKEN_SECRET },
  allowedOrigins: [pageOrigin],
  mountPath: PROXY_MOUNT,
  fetch: upstream.fetch,
  logLevel: 'off',
});

const reports = [];
try {
  const version = browser.version();
  for (const where of ['page', 'worker']) {
    const page = await browser.newPage();
    /** @type {string[]} */
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${pageOrigin}/`);
    await page.waitForFunction(() => 'conformance' in globalThis);
    const config = { proxyOrigin, filter: process.env.CONFORMANCE_FILTER || undefined };
    const report = await page.evaluate(
      ([w, c]) => /** @type {any} */ (globalThis).conformance(w, c),
      /** @type {const} */ ([where, config]),
    );
    report.runtime = `chromium ${version}, ${launched.chromium.kind} (${where === 'page' ? 'page' : 'web worker'})`;
    for (const result of report.results) console.log(formatResult(result));
    if (errors.length) console.log(`# page errors: ${errors.join('; ')}`);
    reports.push(report);
    await page.close();
  }
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
if (reportPath) writeFileSync(reportPath, JSON.stringify(reports, null, 2));
const failed = reports.flatMap((r) => r.results).filter((r) => r.status === 'failed').length;
console.log(`# chromium: ${failed} failed`);
process.exit(failed ? 1 : 0);

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {URL} url
 */
function toRequest(req, url) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? /** @type {any} */ (Readable.toWeb(req)) : undefined,
    // @ts-expect-error Node's RequestInit needs duplex for a stream body
    duplex: 'half',
  });
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {Response} response
 */
async function send(res, response) {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body) {
    for await (const chunk of /** @type {any} */ (response.body)) res.write(chunk);
  }
  res.end();
}
