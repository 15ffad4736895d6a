// @ts-check
/**
 * The one way the project's tests find and launch Chromium, so that a machine with
 * only Node.js and npm runs the browser tests too:
 *
 * 1. Debian's `/usr/bin/chromium`, when present;
 * 2. else the headless Chromium that the `@sparticuz/chromium` npm package ships as
 *    a brotli-compressed binary (installed by `pnpm install`, nothing downloaded at
 *    run time), unpacked once under this package's `node_modules/.cache/`;
 * 3. else nothing: the caller reports its browser tests as skipped, with the reason.
 *
 * `MSGBATCH_CHROMIUM` overrides the choice: `debian`, `npm`, `none` (to see the
 * skip path), or the path of a Chromium binary.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
/** The flags every launch uses: headless, no sandbox (containers), no GPU, no background traffic. */
export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
]);

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** @type {Promise<import('./index.js').ChromiumFound> | undefined} */
let found;

/**
 * Which Chromium the tests will use, or why there is none. Unpacks the npm build on
 * first use (a few seconds, once per checkout). Never throws.
 * @returns {Promise<import('./index.js').ChromiumFound>}
 */
export function findChromium() {
  found ??= choose().catch((error) => ({
    found: /** @type {const} */ (false),
    reason: `could not prepare Chromium: ${error instanceof Error ? error.message : String(error)}`,
  }));
  return found;
}

/**
 * Launches the Chromium `findChromium` chose, through playwright-core, with the
 * project's flags. Prints which one ran (`chromium: …`) on stderr unless `quiet`.
 * @param {import('./index.js').LaunchOptions} [options]
 * @returns {Promise<import('./index.js').Launched>}
 */
export async function launchChromium(options = {}) {
  const choice = await findChromium();
  if (!choice.found) {
    if (!options.quiet) console.error(`chromium: none, browser tests skipped: ${choice.reason}`);
    return { browser: undefined, reason: choice.reason };
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: choice.executablePath,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    ...(choice.env ? { env: { ...process.env, ...choice.env } } : {}),
  });
  const label = `Chromium ${browser.version()} (${choice.source})`;
  if (!options.quiet) console.error(`chromium: ${label} at ${choice.executablePath}`);
  return { browser, label, chromium: choice, version: browser.version() };
}

/** @returns {Promise<import('./index.js').ChromiumFound>} */
async function choose() {
  const wanted = process.env.MSGBATCH_CHROMIUM?.trim() || 'auto';
  if (wanted === 'none') {
    return { found: false, reason: 'MSGBATCH_CHROMIUM=none' };
  }
  if (wanted !== 'auto' && wanted !== 'debian' && wanted !== 'npm') {
    return existsSync(wanted)
      ? {
          found: true,
          executablePath: wanted,
          source: `MSGBATCH_CHROMIUM=${wanted}`,
          kind: 'custom',
        }
      : { found: false, reason: `MSGBATCH_CHROMIUM=${wanted} does not exist` };
  }
  if (wanted !== 'npm' && existsSync(DEBIAN_CHROMIUM)) {
    return {
      found: true,
      executablePath: DEBIAN_CHROMIUM,
      source: `Debian ${DEBIAN_CHROMIUM}`,
      kind: 'Debian',
    };
  }
  if (wanted === 'debian') {
    return { found: false, reason: `MSGBATCH_CHROMIUM=debian and ${DEBIAN_CHROMIUM} is missing` };
  }
  return fromNpm(
    wanted === 'npm' ? '' : `${DEBIAN_CHROMIUM} is missing (apt-get install chromium), and `,
  );
}

/**
 * The binary of `@sparticuz/chromium`, unpacked into `node_modules/.cache/` (staged in
 * a directory of its own and renamed into place, so parallel test processes never
 * see half a binary).
 * @param {string} why
 * @returns {Promise<import('./index.js').ChromiumFound>}
 */
async function fromNpm(why) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return {
      found: false,
      reason: `${why}@sparticuz/chromium ships a build for linux-x64 only (this is ${process.platform}-${process.arch})`,
    };
  }
  let packageJson;
  try {
    // Its exports hide package.json: go from the entry point (build/index.js).
    packageJson = join(dirname(require.resolve('@sparticuz/chromium')), '..', 'package.json');
  } catch {
    return { found: false, reason: `${why}@sparticuz/chromium is not installed` };
  }
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8'));
  const bin = join(dirname(packageJson), 'bin');
  const cache = join(here, 'node_modules', '.cache', 'msgbatch-chromium');
  const target = join(cache, `sparticuz-${version}`);
  const executablePath = join(target, 'chromium');
  if (!existsSync(executablePath)) {
    const staging = join(cache, `staging-${process.pid}-${Date.now()}`);
    mkdirSync(staging, { recursive: true });
    try {
      await unpack(bin, staging);
      try {
        renameSync(staging, target);
      } catch (error) {
        // Another process won the race: use its copy.
        if (!existsSync(executablePath)) throw error;
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  // The build links NSS and expat dynamically; a machine without them gets the copies
  // the package ships for Amazon Linux.
  const missing = missingLibraries(executablePath);
  const env = missing ? { LD_LIBRARY_PATH: joinPaths(join(target, 'al2023', 'lib')) } : undefined;
  return {
    found: true,
    executablePath,
    source: `npm @sparticuz/chromium ${version}${missing ? ', its own NSS libraries' : ''}`,
    kind: '@sparticuz/chromium',
    ...(env ? { env } : {}),
  };
}

/**
 * Unpacks the package's archives into `dir` with the package's own `inflate`
 * (which writes under `os.tmpdir()`, pointed at `dir` for the call).
 * @param {string} bin
 * @param {string} dir
 */
async function unpack(bin, dir) {
  const { inflate } = await import('@sparticuz/chromium');
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    for (const archive of ['chromium.br', 'swiftshader.tar.br', 'fonts.tar.br', 'al2023.tar.br']) {
      await inflate(join(bin, archive));
    }
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

/**
 * True when the dynamic linker cannot find a library the binary needs (or `ldd` is
 * not there to ask).
 * @param {string} executablePath
 */
function missingLibraries(executablePath) {
  const ldd = spawnSync('ldd', [executablePath], { encoding: 'utf8' });
  if (ldd.error || ldd.status !== 0) return true;
  return /not found/.test(ldd.stdout);
}

/** @param {string} dir */
function joinPaths(dir) {
  return [dir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
}
