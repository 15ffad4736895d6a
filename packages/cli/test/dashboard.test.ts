import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@msgbatch/node';
import { findChromium, launchChromium } from '@msgbatch/test-chromium';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCliIfStale, CLI, cliEnv, KEY, requests, serve } from './helpers.ts';

// `msgbatch dashboard` end to end: the built binary serves the page against an emulator
// that accepts only a canary key; Debian's Chromium drives the page.
const CANARY = `sk-ant-api03-CANARY-${Math.random().toString(36).slice(2)}-dashboard`;
const ARTIFACTS = join(import.meta.dirname, '..', '.tmp', 'dashboard');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let env: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
const processes: ChildProcess[] = [];
/** Everything the pages received or showed, by where it came from. */
const received: { source: string; text: string }[] = [];
const pending: Promise<void>[] = [];
const consoleErrors: string[] = [];
/** Open browser contexts: closed after each test, so a failed one leaves no page polling. */
const contexts: BrowserContext[] = [];

interface Running {
  child: ChildProcess;
  url: string;
  loginURL: string;
  code: string;
}

/** Starts the built `msgbatch dashboard` on a free port against the test emulator. */
async function startDashboard(...flags: string[]): Promise<Running> {
  const port = flags.includes('--port') ? [] : ['--port', '0'];
  const child = spawn(process.execPath, [CLI, 'dashboard', ...port, '--json', ...flags], {
    env: cliEnv({ ANTHROPIC_API_KEY: CANARY, ANTHROPIC_BASE_URL: env.server.url }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  processes.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const first = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`dashboard exited ${code}: ${err}`)));
  });
  const { url, login_url: loginURL } = JSON.parse(first) as { url: string; login_url: string };
  return { child, url, loginURL, code: /#code=(.+)$/.exec(loginURL)![1]! };
}

/** A page that records every response (headers, readable bodies), console error and download. */
async function openPage(
  width = 1280,
  height = 860,
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (m) => {
    received.push({ source: 'console', text: m.text() });
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('response', (response) => {
    pending.push(
      (async () => {
        received.push({
          source: `headers ${response.url()}`,
          text: JSON.stringify(await response.allHeaders()),
        });
        // A body Chromium no longer holds (a consumed stream) may never resolve: give up after 5 s.
        const body = await Promise.race([
          response.text().catch(() => ''),
          new Promise<string>((r) => setTimeout(() => r(''), 5000)),
        ]);
        received.push({ source: `body ${response.url()}`, text: body });
      })(),
    );
  });
  page.on('request', (request) => {
    received.push({ source: `request ${request.url()}`, text: JSON.stringify(request.headers()) });
  });
  return { page, context };
}

async function loggedIn(dashboard: Running, width?: number) {
  const opened = await openPage(width);
  await opened.page.goto(dashboard.loginURL);
  await opened.page.waitForSelector('tr[data-batch-id]');
  return opened;
}

async function axeViolations(page: Page) {
  // Evaluated by the test driver, not injected as a <script>: the page's CSP allows no inline script.
  await page.evaluate(AXE);
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run: () => Promise<unknown> } }).axe.run(),
  )) as { violations: { id: string; impact: string; nodes: unknown[] }[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const until = async (check: () => boolean | Promise<boolean>, what: string) => {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
};

// Debian's Chromium, else the npm build; with neither, the tests are skipped with the reason.
const found = await findChromium();
const hasChromium = found.found;
if (!found.found) console.warn(`dashboard tests skipped: no Chromium: ${found.reason}`);

beforeAll(async () => {
  if (!hasChromium) return;
  buildCliIfStale();
  mkdirSync(ARTIFACTS, { recursive: true });
  env = await serve({
    apiKeys: [CANARY, KEY],
    rate: 20,
    progressiveCounts: true,
    cancelDrainMs: 500,
  });
  const small = await env.batches.create({ requests: requests(5) });
  await env.batches.waitForEnd(small.id, { pollInterval: 50 });
  for (let i = 0; i < 3; i++) await env.batches.create({ requests: requests(5000) });
  const launched = await launchChromium();
  if (!launched.browser) throw new Error(`Chromium did not start: ${launched.reason}`);
  browser = launched.browser;
}, 120_000);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => {})));
});

afterAll(async () => {
  await browser?.close();
  for (const child of processes) child.kill('SIGKILL');
  await env?.server.close();
});

describe.skipIf(!hasChromium)(
  'msgbatch dashboard in Chromium (skipped: no /usr/bin/chromium)',
  () => {
    it('logs in from the printed link, lists, sorts, filters and searches batches with local times and counts', async () => {
      const dashboard = await startDashboard();
      const { page, context } = await loggedIn(dashboard);
      expect(page.url()).toBe(dashboard.url); // the code left the address bar
      const rows = page.locator('tr[data-batch-id]');
      expect(await rows.count()).toBe(4);
      const firstCreated = await rows.first().locator('td.time time').first().textContent();
      expect(firstCreated).toMatch(/\b(UTC|GMT)/); // the zone is said
      // It may wrap between the date and the clock time, nowhere else.
      expect(firstCreated!.split(' ')).toHaveLength(2);
      expect(await rows.first().locator('.progress small').textContent()).toMatch(
        /^\d[\d,]* \/ 5,000 done/,
      );

      await page.click('[data-filter=ended]');
      expect(await rows.count()).toBe(1);
      expect(await rows.first().getAttribute('data-status')).toBe('ended');
      await page.click('[data-filter=all]');
      await page.click('th button[data-sort=status]');
      expect(await page.getAttribute('th:has(button[data-sort=status])', 'aria-sort')).toBe(
        'ascending',
      );
      const statuses = await rows.evaluateAll((all) =>
        all.map((r) => (r as HTMLElement).dataset.status),
      );
      expect(statuses).toEqual([...statuses].sort());
      const id = (await rows.nth(1).getAttribute('data-batch-id'))!;
      await page.fill('#search', id.slice(-8));
      expect(await rows.count()).toBe(1);

      // Keyboard: the batch link opens its view with Enter.
      await page.locator(`a[href="#batch/${id}"]`).focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('#detail:not([hidden])');
      expect(await page.textContent('#detail-id')).toBe(id);
      expect(await page.evaluate(() => fetch('/favicon.svg').then((r) => r.status))).toBe(200);
      await context.close();
    });

    it('cancels after a confirmation, follows the batch until ended, then lists, searches and downloads the ids', async () => {
      const dashboard = await startDashboard();
      const { page, context } = await loggedIn(dashboard);
      await page.click('[data-filter=in_progress]');
      const row = page.locator('tr[data-status=in_progress]').first();
      const id = (await row.getAttribute('data-batch-id'))!;

      await row.locator('button.cancel').click();
      expect(await page.isVisible('dialog#confirm')).toBe(true);
      await page.keyboard.press('Escape'); // keep it running
      expect(await page.isVisible('dialog#confirm')).toBe(false);
      expect(env.emulator.store.get(id)?.processing_status).toBe('in_progress');

      await row.locator('button.cancel').click();
      await page.click('#confirm-yes');
      await page.waitForSelector('#detail:not([hidden])');
      await until(
        async () => (await page.textContent('#detail-title')) === 'Ended (canceled)',
        'the batch view says it ended',
      );
      await page.waitForSelector('#outcomes:not([hidden])');
      const batch = env.emulator.store.get(id)!;
      const { canceled, succeeded } = batch.request_counts;
      expect(canceled).toBeGreaterThan(0);
      expect(await page.textContent('#tab-canceled .n')).toBe(canceled.toLocaleString('en-US'));
      const shown = await page.locator('#ids li').allTextContents();
      expect(shown.length).toBe(Math.min(canceled, 300));
      if (canceled > 300) {
        await page.click('#ids-more');
        expect(await page.locator('#ids li').count()).toBe(Math.min(canceled, 600));
      }
      expect(shown).toEqual(
        [...shown].sort(new Intl.Collator(undefined, { numeric: true }).compare),
      );
      await page.fill('#ids-search', shown[0]!);
      expect(await page.locator('#ids li').allTextContents()).toContain(shown[0]);
      await page.locator('#tab-canceled').focus();
      await page.keyboard.press('ArrowRight');
      expect(await page.getAttribute('#tab-succeeded', 'aria-selected')).toBe('true');
      await page.fill('#ids-search', '');
      expect(await page.locator('#ids li').count()).toBe(Math.min(succeeded, 300));

      const save = async (button: string) => {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
        const text = readFileSync((await download.path())!, 'utf8');
        received.push({ source: `download ${button}`, text });
        return text;
      };
      const csv = (await save('#download-csv')).trim().split('\n');
      expect(csv[0]).toBe('custom_id,result_type');
      expect(csv).toHaveLength(5001);
      expect(csv.filter((l) => l.endsWith(',canceled'))).toHaveLength(canceled);
      const jsonl = (await save('#download-jsonl'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(jsonl).toHaveLength(5000);
      const results = (await save('#download-results')).trim().split('\n');
      expect(results).toHaveLength(5000);
      expect(JSON.parse(results[0]!).custom_id).toMatch(/^req-\d+$/);

      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'batch-1280.png'), fullPage: true });
      await page.setViewportSize({ width: 390, height: 860 });
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'batch-390-dark.png'), fullPage: true });
      await context.close();
    }, 120_000);

    it('read-only: Cancel is disabled and says why', async () => {
      const dashboard = await startDashboard('--read-only');
      const { page, context } = await loggedIn(dashboard);
      const cancel = page.locator('tr[data-status=in_progress] button.cancel').first();
      expect(await cancel.isDisabled()).toBe(true);
      expect(await cancel.getAttribute('aria-describedby')).toBe('scope-note');
      expect(await page.textContent('#scope-note')).toContain('no batches:cancel scope');
      expect(await page.isVisible('#scope-note')).toBe(true);
      await context.close();
    });

    it('passes an accessibility scan and is screenshotted at two widths, light and dark', async () => {
      const dashboard = await startDashboard();
      for (const [width, scheme] of [
        [1280, 'light'],
        [390, 'dark'],
      ] as const) {
        const { page, context } = await openPage(width, 860);
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(dashboard.loginURL);
        await page.waitForSelector('tr[data-batch-id]');
        expect(await axeViolations(page)).toEqual([]);
        await page.screenshot({
          path: join(ARTIFACTS, `list-${width}-${scheme}.png`),
          fullPage: true,
        });
        await context.close();
      }
      expect(consoleErrors).toEqual([]);
    });

    it('shows banners: 403, 429 with its retry-after, 401 with a re-login, and a lost connection', async () => {
      const dashboard = await startDashboard();
      const { page, context } = await loggedIn(dashboard);
      const refreshed = () => page.getAttribute('#refresh', 'data-next-refresh');

      let before = await refreshed();
      env.emulator.faults.add({
        operation: 'list',
        type: 'status',
        status: 403,
        body: {
          type: 'error',
          error: { type: 'permission_error', message: 'Not this workspace.' },
        },
      });
      await page.waitForSelector('#banner:not([hidden])', { timeout: 30_000 });
      expect(await page.textContent('#banner-text')).toBe('Not allowed (403): Not this workspace.');

      before = await refreshed();
      env.emulator.faults.add({
        operation: 'list',
        type: 'status',
        status: 429,
        headers: { 'retry-after': '40' },
      });
      await until(
        async () => (await page.textContent('#banner-text'))!.includes('429'),
        '429 banner',
      );
      await until(async () => (await refreshed()) !== before, 'the next refresh is planned');
      const planned = Number(await refreshed());
      expect(planned - Date.now()).toBeGreaterThan(30_000); // retry-after: 40 s, not the usual 5 s
      env.emulator.faults.clear();

      // The dashboard server restarts (same port, new secret): the page's token and session are
      // refused (401); the page asks to log in again, with the new code.
      const port = new URL(dashboard.url).port;
      dashboard.child.kill('SIGKILL');
      await new Promise((r) => dashboard.child.once('exit', r));
      const restarted = await startDashboard('--port', port);
      const id = (await page.locator('tr[data-batch-id]').first().getAttribute('data-batch-id'))!;
      await page.evaluate((batch) => {
        location.hash = `#batch/${batch}`;
      }, id);
      await until(async () => await page.isVisible('#banner-relogin'), 're-login offered');
      expect(await page.textContent('#banner-text')).toContain('401');
      await page.click('#banner-relogin');
      await page.fill('#login-code', restarted.code);
      await page.keyboard.press('Enter');
      await until(
        async () =>
          (await page.isVisible('#detail')) && (await page.textContent('#detail-id')) === id,
        'back on the batch view',
      );

      restarted.child.kill('SIGKILL');
      await page.evaluate(() => {
        location.hash = '';
      });
      await until(
        async () =>
          (await page.textContent('#banner-text'))?.startsWith('Connection lost') === true,
        'connection-lost banner',
      );
      await context.close();
    }, 180_000);

    it('the API key never reached the page: not in any header, body, console line or download', async () => {
      await Promise.all(pending);
      expect(received.length).toBeGreaterThan(50);
      expect(received.some((r) => r.source.startsWith('download'))).toBe(true);
      expect(received.filter((r) => r.text.includes(CANARY)).map((r) => r.source)).toEqual([]);
    });

    it('--jobs DIR: each job is a group of its batches, with its totals; other batches after', async () => {
      const jobs = mkdtempSync(join(tmpdir(), 'msgbatch-dashboard-jobs-'));
      const client = new Anthropic({ apiKey: KEY, baseURL: env.server.url, logLevel: 'off' });
      const job = await client.messages.batches.createJob(requests(6000), {
        store: jobs,
        jobId: 'job_dash',
        maxRequestsPerBatch: 2000,
      });
      const dashboard = await startDashboard('--jobs', jobs);
      const { page, context } = await loggedIn(dashboard);
      const header = page.locator('tr.group-row[data-job-id="job_dash"]');
      await header.waitFor();
      const text = (await header.textContent())!;
      expect(text).toContain('Job job_dash');
      expect(text).toContain('3 batches');
      expect(text).toContain('6,000 requests');
      expect(text).toMatch(/\/ 6,000 done/);
      const members = page.locator('tr.in-job[data-job="job_dash"]');
      expect(await members.count()).toBe(3);
      expect(
        (
          await members.evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.batchId))
        ).sort(),
      ).toEqual(job.chunks.map((c) => c.batchId).sort());
      expect(await page.locator('tr.group-row', { hasText: 'Other batches' }).count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);

      // Cancel job: asks first, then cancels every batch of the job in progress.
      const ids = job.chunks.map((c) => c.batchId!);
      await header.locator('button.cancel-job').click();
      expect(await page.textContent('#confirm-title')).toBe('Cancel this job?');
      expect(await page.textContent('#confirm-yes')).toBe('Cancel 3 batches');
      await page.click('#confirm-yes');
      await until(
        () => ids.every((id) => env.emulator.store.get(id)?.processing_status !== 'in_progress'),
        "the job's batches canceled",
      );
      // Ended rows (both times, long counts) beside rows in progress (a Cancel button): at
      // 1280 px the table still fits its panel, no Cancel behind a horizontal scroll.
      await page
        .locator('tr.in-job[data-job="job_dash"] .badge[data-status="ended"]')
        .first()
        .waitFor();
      expect(await page.locator('td.actions button').count()).toBeGreaterThan(0);
      expect(
        await page.evaluate(() => {
          const wrap = document.querySelector('.table-wrap')!;
          return wrap.scrollWidth - wrap.clientWidth;
        }),
      ).toBeLessThanOrEqual(0);
      await context.close();
    });
  },
);
