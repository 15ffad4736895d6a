import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  type BatchesProxyOptions,
  type BrowserTokenScope,
  createBatchesProxy,
  FileJobStore,
  type JobManifest,
  mintBrowserToken,
  toNodeHandler,
} from '@msgbatch/node';

/** Where the page calls the proxy (same origin as the page). */
export const MOUNT = '/api/batches-proxy';
const AUDIENCE = 'msgbatch-dashboard';
/** A page token lives 5 minutes; the browser client fetches a new one before it expires. */
const TOKEN_TTL_SECONDS = 300;

/** What the dashboard server needs: where the API is, its credential, and what the page may do. */
export interface DashboardOptions {
  host?: string;
  port: number;
  /** Upstream: the API (or the embedded emulator) and the key, which stays in this process. */
  upstream: BatchesProxyOptions['upstream'];
  /** How the proxy reaches upstream (the emulator's in-process fetch, or a proxy-aware fetch). */
  fetch?: BatchesProxyOptions['fetch'];
  /** Read-only: the page's token has no `batches:cancel` scope. */
  readOnly: boolean;
  /** Shown on the page: "the Message Batches API" or "the embedded emulator". */
  upstreamLabel: string;
  logger?: BatchesProxyOptions['logger'];
  /** A folder of job manifests (`*.job.json`): the page shows those jobs as groups of batches. */
  jobsDir?: string | undefined;
}

/** A job as the page gets it: its batches by chunk, nothing of its source but the file's name. */
export interface DashboardJob {
  jobId: string;
  state: JobManifest['state'];
  createdAt: string;
  /** The requests file's name (not its path). */
  source: string | null;
  requests: number;
  chunks: { index: number; count: number; state: string; batchId: string | null }[];
}

/** The jobs of a folder, newest first; a manifest that cannot be read is left out. */
async function readJobs(dir: string): Promise<DashboardJob[]> {
  const store = new FileJobStore(dir);
  const jobs: DashboardJob[] = [];
  for (const id of await store.list()) {
    const manifest = await store.load(id).catch(() => undefined);
    if (!manifest || !Array.isArray(manifest.chunks)) continue;
    const path = manifest.source?.path;
    jobs.push({
      jobId: manifest.jobId,
      state: manifest.state,
      createdAt: manifest.createdAt,
      source: typeof path === 'string' ? (path.split(/[\\/]/).pop() ?? null) : null,
      requests: manifest.totals?.requests ?? manifest.chunks.reduce((n, c) => n + c.count, 0),
      chunks: manifest.chunks.map((c) => ({
        index: c.index,
        count: c.count,
        state: c.state,
        batchId: c.batchId ?? null,
      })),
    });
  }
  return jobs.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 50);
}

/** A running dashboard. */
export interface Dashboard {
  /** The page's URL with the one-time login code in its fragment (never sent in a request line). */
  loginURL: string;
  /** The page's URL. */
  url: string;
  /** The login code (also typed into the page's login form after a restart or a lost session). */
  code: string;
  close(): Promise<void>;
}

const page = (name: string) => new URL(`../page/${name}`, import.meta.url);
const STATIC: Record<string, { file: URL; type: string }> = {
  '/': { file: page('index.html'), type: 'text/html; charset=utf-8' },
  '/style.css': { file: page('style.css'), type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: page('favicon.svg'), type: 'image/svg+xml' },
  '/app.js': { file: new URL('./page/app.js', import.meta.url), type: 'text/javascript' },
};

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/**
 * Serves the dashboard on loopback: the page, a login that turns the one-time code into an
 * HttpOnly session cookie, a token endpoint that mints a short-lived scoped token for that
 * session, and the batches proxy that checks the token and forwards with the real key.
 * The key never leaves this process; the page only ever holds a token.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const code = randomBytes(18).toString('base64url');
  const tokenSecret = randomBytes(32);
  const sessions = new Set<string>();
  const scopes: BrowserTokenScope[] = options.readOnly
    ? ['batches:read', 'batches:results']
    : ['batches:read', 'batches:results', 'batches:cancel'];
  const server = createServer();
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
  const origin = `http://${host}:${port}`;
  const proxy = toNodeHandler(
    createBatchesProxy({
      upstream: options.upstream,
      verify: { secret: tokenSecret, issuer: origin, audience: AUDIENCE },
      allowedOrigins: [origin, `http://localhost:${port}`],
      mountPath: MOUNT,
      fetch: options.fetch,
      logger: options.logger,
      logLevel: 'warn',
    }),
  );

  const sessionOf = (req: IncomingMessage) => {
    const sid = /(?:^|;\s*)msgbatch_session=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
    return sid && sessions.has(sid) ? sid : undefined;
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // Only this machine's names for the server: a page on another site that rebinds its
    // DNS name to 127.0.0.1 sends its own Host, and is refused.
    const hostHeader = req.headers.host ?? '';
    if (hostHeader !== `${host}:${port}` && hostHeader !== `localhost:${port}`) {
      return send(res, 421, 'text/plain', 'Misdirected request');
    }
    const path = new URL(req.url ?? '/', origin).pathname;
    if (path === MOUNT || path.startsWith(`${MOUNT}/`)) return proxy(req, res);
    handle(req, res, path).catch((error: unknown) => {
      send(res, 500, 'text/plain', error instanceof Error ? error.name : 'Error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, path: string) {
    const asset = STATIC[path];
    if (req.method === 'GET' && asset) {
      return send(res, 200, asset.type, await readFile(asset.file));
    }
    if (req.method === 'POST' && path === '/api/session') {
      if (!sameOrigin(req, origin, port)) return json(res, 403, { error: 'Cross-site request.' });
      const body = await readBody(req);
      const given = Buffer.from(
        String((JSON.parse(body || '{}') as { code?: unknown }).code ?? ''),
      );
      const expected = Buffer.from(code);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return json(res, 401, { error: 'Wrong code. Use the one msgbatch dashboard printed.' });
      }
      const sid = randomBytes(24).toString('base64url');
      sessions.add(sid);
      res.setHeader(
        'set-cookie',
        `msgbatch_session=${sid}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200`,
      );
      return json(res, 200, { ok: true });
    }
    if (req.method === 'POST' && path === '/api/logout') {
      const sid = sessionOf(req);
      if (sid) sessions.delete(sid);
      res.setHeader(
        'set-cookie',
        'msgbatch_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0',
      );
      return json(res, 200, { ok: true });
    }
    if (req.method === 'POST' && path === '/api/token') {
      if (!sameOrigin(req, origin, port)) return json(res, 403, { error: 'Cross-site request.' });
      if (!sessionOf(req)) return json(res, 401, { error: 'Log in first.' });
      const token = await mintBrowserToken({
        secret: tokenSecret,
        subject: 'dashboard',
        scopes,
        ttlSeconds: TOKEN_TTL_SECONDS,
        issuer: origin,
        audience: AUDIENCE,
      });
      return json(res, 200, {
        token,
        scopes,
        readOnly: options.readOnly,
        upstream: options.upstreamLabel,
        proxyURL: origin + MOUNT,
        jobs: options.jobsDir !== undefined,
      });
    }
    if (req.method === 'GET' && path === '/api/jobs') {
      if (!sessionOf(req)) return json(res, 401, { error: 'Log in first.' });
      const jobs = options.jobsDir === undefined ? [] : await readJobs(options.jobsDir);
      return json(res, 200, { jobs });
    }
    return send(res, 404, 'text/plain', 'Not found');
  }

  return {
    url: `${origin}/`,
    loginURL: `${origin}/#code=${code}`,
    code,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A state-changing call must come from the page itself (SameSite covers cookies; this covers the rest). */
function sameOrigin(req: IncomingMessage, origin: string, port: number): boolean {
  const from = req.headers.origin;
  return from === origin || from === `http://localhost:${port}`;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer) {
  res.writeHead(status, { 'content-type': type, ...SECURITY_HEADERS }).end(body);
}

function json(res: ServerResponse, status: number, value: unknown) {
  send(res, status, 'application/json', JSON.stringify(value));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 10_000) throw new Error('body too large');
  }
  return text;
}
