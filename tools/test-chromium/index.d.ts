import type { Browser } from 'playwright-core';

/** Debian's Chromium, used first when present. */
export declare const DEBIAN_CHROMIUM: string;
/** The flags every launch uses: `--headless --no-sandbox --disable-gpu --disable-background-networking`. */
export declare const CHROMIUM_ARGS: readonly string[];

/** The Chromium the tests will use, or why there is none. */
export type ChromiumFound =
  | {
      found: true;
      /** The binary to launch. */
      executablePath: string;
      /** Which one, for the test output: `Debian /usr/bin/chromium`, `npm @sparticuz/chromium 153.0.0`, … */
      source: string;
      /** Short name for tables: `Debian`, `@sparticuz/chromium` or `custom`. */
      kind: 'Debian' | '@sparticuz/chromium' | 'custom';
      /** Extra environment for the browser process (the npm build's own libraries). */
      env?: Record<string, string>;
    }
  | { found: false; reason: string };

export interface LaunchOptions {
  /** Flags added after `CHROMIUM_ARGS`. */
  args?: string[];
  /** Do not print which Chromium ran. */
  quiet?: boolean;
}

export type Launched =
  | {
      browser: Browser;
      /** `Chromium 156.0.8078.108 (Debian /usr/bin/chromium)` */
      label: string;
      version: string;
      chromium: Extract<ChromiumFound, { found: true }>;
    }
  | { browser: undefined; reason: string };

/**
 * Which Chromium the tests will use: `MSGBATCH_CHROMIUM` (`debian`, `npm`, `none` or a
 * path), else Debian's `/usr/bin/chromium`, else the build `@sparticuz/chromium` ships
 * (unpacked once under this package's `node_modules/.cache/`), else `{ found: false, reason }`.
 * Never throws; the answer is cached for the process.
 */
export declare function findChromium(): Promise<ChromiumFound>;

/**
 * Launches that Chromium with playwright-core and the project's flags, and prints
 * which one ran on stderr. Without one, `{ browser: undefined, reason }`: report the
 * browser tests as skipped with that reason, never as passed.
 */
export declare function launchChromium(options?: LaunchOptions): Promise<Launched>;
