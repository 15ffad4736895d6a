import { mkdirSync } from 'node:fs';
import { findChromium, launchChromium } from '@msgbatch/test-chromium';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDashboard } from '../server.mjs';

const ARTIFACTS = new URL('../.tmp/', import.meta.url).pathname;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

interface Seen {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** False when Chromium could not hand the body back (then `body` is empty). */
  readable: boolean;
}

let dashboard: Awaited<ReturnType<typeof startDashboard>>;
let browser: Browser;
const seen: Seen[] = [];
const pending: Promise<void>[] = [];
/** Every header and body chunk the page server and the proxy sent, as text. */
const sent: string[] = [];
const requestedHosts = new Set<string>();

/** A page that records every response (headers and body) and every host it talks to. */
async function openPage(): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('request', (request) => requestedHosts.add(new URL(request.url()).host));
  page.on('response', (response) => {
    pending.push(
      (async () => {
        const body = await response.text().catch(() => null);
        seen.push({
          url: response.url(),
          status: response.status(),
          headers: await response.allHeaders(),
          body: body ?? '',
          readable: body !== null,
        });
      })(),
    );
  });
  return page;
}

async function logIn(page: Page, user: string) {
  await page.goto(dashboard.appURL);
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', user);
  await page.click('button[type=submit]');
  await page.waitForSelector('tr[data-batch-id]');
}

/** The first batch whose Cancel button is enabled (still in progress). */
async function cancellableRow(page: Page) {
  const row = page.locator('tr[data-batch-id]:has(button.cancel:enabled)').first();
  return { row, id: (await row.getAttribute('data-batch-id'))! };
}

// Debian's Chromium, else the npm build; with neither, the tests are skipped with the reason.
const found = await findChromium();
if (!found.found) console.warn(`dashboard tests skipped: no Chromium: ${found.reason}`);

beforeAll(async () => {
  if (!found.found) return;
  await import('../build.mjs');
  mkdirSync(ARTIFACTS, { recursive: true });
  dashboard = await startDashboard({ logger: quiet, onSent: (text: string) => sent.push(text) });
  const launched = await launchChromium();
  if (!launched.browser) throw new Error(`Chromium did not start: ${launched.reason}`);
  browser = launched.browser;
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

describe.skipIf(!found.found)(
  found.found
    ? 'the dashboard in Chromium'
    : `the dashboard in Chromium (skipped: ${found.reason})`,
  () => {
    it('lists batches, cancels one, follows it to ended and lists the canceled custom_ids', async () => {
      // The small seeded batch ends on the emulator's real-time clock; wait for it
      // rather than assume the page loads after it (a fast machine loads first).
      await vi.waitFor(
        () => expect(dashboard.emulator.store.counts().ended).toBeGreaterThanOrEqual(1),
        {
          timeout: 30_000,
          interval: 100,
        },
      );
      const page = await openPage();
      await logIn(page, 'demo');
      expect(await page.locator('tr[data-batch-id]').count()).toBe(4);
      expect(await page.locator('td.status[data-status=ended]').count()).toBeGreaterThanOrEqual(1);

      const { row, id } = await cancellableRow(page);
      await row.locator('button.cancel').click();
      await page.waitForSelector('#progress-status[data-status=ended]', { timeout: 30_000 });
      await page.waitForSelector('#canceled-section:not([hidden])', { timeout: 30_000 });

      const reported = dashboard.emulator.store.get(id)!;
      expect(reported.processing_status).toBe('ended');
      const canceled = reported.request_counts.canceled;
      expect(canceled).toBeGreaterThan(0);
      expect(await page.textContent('#canceled-count')).toBe(String(canceled));
      expect(await page.locator('#canceled-ids li').count()).toBe(canceled);
      expect(await page.textContent('#progress-counts')).toContain(`canceled ${canceled}`);
      await page.waitForSelector(`tr[data-batch-id="${id}"] td.status[data-status=ended]`);
      expect(await page.textContent('#error')).toBe('');

      await page.screenshot({ path: `${ARTIFACTS}dashboard.png`, fullPage: true });
      const source = await page.content();
      await Promise.all(pending);
      expect(source).not.toContain(dashboard.apiKey);

      const fromProxy = seen.filter((r) => r.url.startsWith(dashboard.proxyURL));
      const cancel = fromProxy.find((r) => r.url.endsWith(`/${id}/cancel`));
      expect(cancel?.status).toBe(200);
      expect(cancel?.headers['access-control-allow-origin']).toBe(dashboard.appURL);
      expect(fromProxy.some((r) => r.url.endsWith(`/${id}/results`) && r.status === 200)).toBe(
        true,
      );
      // What the servers sent, not what Chromium hands back: a loaded machine's Chromium
      // cannot always return a body it has consumed. Every results_url the page could see
      // names the proxy, never the upstream.
      const resultsURLs = [...sent.join('').matchAll(/"results_url":"([^"]*)"/g)].map((m) => m[1]);
      expect(resultsURLs.length).toBeGreaterThan(0);
      for (const url of resultsURLs) {
        expect(url).toMatch(new RegExp(`^${dashboard.proxyURL}/v1/messages/batches/`));
      }
    });

    it("with a read-only token, Cancel shows the proxy's 403 and the batch goes on", async () => {
      const page = await openPage();
      await logIn(page, 'viewer');
      const { row, id } = await cancellableRow(page);
      // The page can show the error before Playwright reports the response to this process:
      // wait for the 403 itself, so the recorded responses below include it.
      const refused = page.waitForResponse((r) => r.status() === 403);
      await row.locator('button.cancel').click();
      await refused;
      await page.waitForFunction(() => document.getElementById('error')?.textContent !== '');
      expect(await page.textContent('#error')).toBe(
        '403: This token does not allow cancel (it needs the batches:cancel scope).',
      );
      expect(dashboard.emulator.store.get(id)!.cancel_initiated_at).toBeNull();
      await page.screenshot({ path: `${ARTIFACTS}dashboard-read-only.png`, fullPage: true });
      const source = await page.content();
      await Promise.all(pending);
      expect(source).not.toContain(dashboard.apiKey);
      // Chromium sometimes cannot hand a consumed body back to Playwright (it is then recorded
      // as ''); the message above comes from that body, and the proxy tests pin its envelope.
      expect(seen.some((r) => r.status === 403 && r.url.endsWith(`/${id}/cancel`))).toBe(true);
    });

    it('never sent the API key to the browser, and talked to 127.0.0.1 only', async () => {
      await Promise.all(pending);
      expect(seen.length).toBeGreaterThan(10);
      // Chromium cannot always hand back a body it consumed, so the servers' own record of
      // every header and byte they sent is what proves no body carried the key.
      expect(sent.length).toBeGreaterThan(seen.length);
      expect(sent.filter((text) => text.includes(dashboard.apiKey))).toEqual([]);
      for (const response of seen) {
        expect(response.body).not.toContain(dashboard.apiKey);
        expect(JSON.stringify(response.headers)).not.toContain(dashboard.apiKey);
      }
      expect([...requestedHosts].every((host) => host.startsWith('127.0.0.1:'))).toBe(true);
    });
  },
);
