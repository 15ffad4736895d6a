import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { CliFailure, type Context, proxyOptions, UsageError } from '../context.ts';
import { type Dashboard, startDashboard } from '../dashboard/server.ts';

/** Options of `msgbatch dashboard`. */
export interface DashboardCommandOptions {
  port: number;
  readOnly?: boolean;
  open?: boolean;
  emulator?: boolean;
  apiKeyFile?: string;
  /** A folder of job manifests to show as groups of batches. */
  jobs?: string;
}

/** Batches the embedded emulator starts with: one that ends soon, three that run a while. */
const EMULATOR_SEED: [string, number][] = [
  ['digest', 6],
  ['translations', 400],
  ['support-replies', 600],
  ['summaries', 900],
];

/**
 * `msgbatch dashboard [--port N] [--read-only] [--open] [--emulator] [--jobs DIR]`: serves the web
 * dashboard on 127.0.0.1. The API key stays in this process; the page gets a 5-minute
 * token scoped to reading (and canceling, unless `--read-only`) through the proxy.
 */
export async function dashboardCommand(ctx: Context, options: DashboardCommandOptions) {
  if (
    options.jobs !== undefined &&
    !statSync(options.jobs, { throwIfNoEntry: false })?.isDirectory()
  ) {
    throw new UsageError(`--jobs ${options.jobs} is not a folder (of *.job.json manifests).`);
  }
  const upstream = options.emulator ? await embeddedEmulator() : realAPI(ctx, options.apiKeyFile);
  let dashboard: Dashboard;
  try {
    dashboard = await startDashboard({
      port: options.port,
      readOnly: options.readOnly === true,
      upstream: upstream.upstream,
      fetch: upstream.fetch,
      upstreamLabel: upstream.label,
      jobsDir: options.jobs,
      logger: {
        debug() {},
        info() {},
        warn: (line) => ctx.note(line),
        error: (line) => ctx.note(line),
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliFailure(
        `Port ${options.port} on 127.0.0.1 is already in use; pick another with --port (0 picks a free one).`,
      );
    }
    throw error;
  }
  if (ctx.json) {
    ctx.printJSON({ url: dashboard.url, login_url: dashboard.loginURL, upstream: upstream.label });
  } else {
    ctx.print(`msgbatch dashboard for ${upstream.label}${options.readOnly ? ' (read-only)' : ''}`);
    ctx.print(`Open: ${dashboard.loginURL}`);
    ctx.print(`(the part after # logs the page in; the login code is ${dashboard.code})`);
    ctx.print('Stop it with Ctrl-C.');
  }
  if (options.open) openInBrowser(ctx, dashboard.loginURL);
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await dashboard.close();
  await upstream.close?.();
  ctx.signal.throwIfAborted();
}

function realAPI(ctx: Context, apiKeyFile: string | undefined) {
  const { env } = ctx.io;
  let apiKey = env.ANTHROPIC_API_KEY || undefined;
  const authToken = env.ANTHROPIC_AUTH_TOKEN || undefined;
  if (apiKeyFile !== undefined) {
    try {
      apiKey = readFileSync(apiKeyFile, 'utf8').trim();
    } catch (error) {
      throw new UsageError(
        `Cannot read the API key file ${apiKeyFile} (${(error as { code?: string }).code ?? 'unreadable'}).`,
      );
    }
  }
  if (!apiKey && !authToken) {
    throw new UsageError(
      'No credential: set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN), pass --api-key-file FILE, or use --emulator.',
    );
  }
  const baseURL = env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com';
  const { fetch: viaProxy, fetchOptions } = proxyOptions(env);
  return {
    label: baseURL === 'https://api.anthropic.com' ? 'the Message Batches API' : baseURL,
    upstream: { baseURL, ...(apiKey ? { apiKey } : { authToken }) },
    fetch: viaProxy ? (request: Request) => viaProxy(request, fetchOptions) : undefined,
    close: undefined as (() => Promise<void>) | undefined,
  };
}

async function embeddedEmulator() {
  const { createEmulator } = await import('@msgbatch/emulator');
  const { randomBytes } = await import('node:crypto');
  const apiKey = `sk-ant-emulator-${randomBytes(12).toString('hex')}`;
  const emulator = createEmulator({
    apiKeys: [apiKey],
    rate: 4,
    progressiveCounts: true,
    cancelDrainMs: 1500,
  });
  for (const [name, size] of EMULATOR_SEED) {
    await emulator.fetch('http://emulator.internal/v1/messages/batches', {
      method: 'POST',
      headers: {
        'x-api-key': apiKey,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        requests: Array.from({ length: size }, (_, i) => ({
          custom_id: `${name}-${String(i + 1).padStart(4, '0')}`,
          params: {
            model: 'claude-sonnet-4-5',
            max_tokens: 256,
            messages: [{ role: 'user', content: `Item ${i + 1} of ${name}` }],
          },
        })),
      }),
    });
  }
  return {
    label: 'the embedded emulator',
    upstream: { baseURL: 'http://emulator.internal', apiKey },
    fetch: (request: Request) => emulator.fetch(request),
    close: undefined as (() => Promise<void>) | undefined,
  };
}

/** `$BROWSER` if set, else the platform's opener; a failure is a note, not an error. */
function openInBrowser(ctx: Context, url: string) {
  const { env } = ctx.io;
  const [command, ...args] = env.BROWSER
    ? [env.BROWSER, url]
    : process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '', url]
        : ['xdg-open', url];
  const child = spawn(command!, args, { stdio: 'ignore', detached: true });
  child.on('error', () => ctx.note(`Could not open a browser (${command}); open the URL above.`));
  child.unref();
}
