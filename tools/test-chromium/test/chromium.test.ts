import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** A fresh copy of the helper (it caches its choice per process), under `MSGBATCH_CHROMIUM=value`. */
async function helperWith(value: string | undefined) {
  vi.resetModules();
  if (value === undefined) delete process.env.MSGBATCH_CHROMIUM;
  else process.env.MSGBATCH_CHROMIUM = value;
  return import('../index.js');
}

const saved = process.env.MSGBATCH_CHROMIUM;
afterEach(() => {
  if (saved === undefined) delete process.env.MSGBATCH_CHROMIUM;
  else process.env.MSGBATCH_CHROMIUM = saved;
});

describe('findChromium and launchChromium', () => {
  it('MSGBATCH_CHROMIUM=none: no browser, and the reason to report the skip with', async () => {
    const { findChromium, launchChromium } = await helperWith('none');
    expect(await findChromium()).toEqual({ found: false, reason: 'MSGBATCH_CHROMIUM=none' });
    const launched = await launchChromium({ quiet: true });
    expect(launched.browser).toBeUndefined();
    expect(launched).toMatchObject({ reason: 'MSGBATCH_CHROMIUM=none' });
  });

  it('a path that does not exist is a reason, not a crash', async () => {
    const { findChromium } = await helperWith('/nonexistent/chromium');
    const found = await findChromium();
    expect(found.found).toBe(false);
    expect(found).toMatchObject({ reason: expect.stringContaining('/nonexistent/chromium') });
  });

  it.skipIf(!existsSync('/usr/bin/chromium'))('prefers Debian’s /usr/bin/chromium', async () => {
    const { findChromium } = await helperWith(undefined);
    expect(await findChromium()).toMatchObject({
      found: true,
      executablePath: '/usr/bin/chromium',
      kind: 'Debian',
    });
  });

  it('runs a page in the Chromium @sparticuz/chromium ships, with no apt and no download', async () => {
    const { launchChromium } = await helperWith('npm');
    const launched = await launchChromium({ quiet: true });
    if (!launched.browser) throw new Error(`no Chromium: ${launched.reason}`);
    try {
      expect(launched.chromium.kind).toBe('@sparticuz/chromium');
      expect(launched.chromium.executablePath).not.toBe('/usr/bin/chromium');
      expect(launched.label).toMatch(/^Chromium \d+\.\S+ \(npm @sparticuz\/chromium /);
      const page = await launched.browser.newPage();
      await page.setContent('<p id="p">hello</p>');
      expect(await page.evaluate(() => document.getElementById('p')?.textContent)).toBe('hello');
    } finally {
      await launched.browser.close();
    }
  });
});
