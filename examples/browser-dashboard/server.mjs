// The dashboard's backend: logs a demo user in, mints that user's browser token,
// mounts the batches proxy, and serves the page. The emulator stands in for the
// API, in process; the API key lives only in this file's memory.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createEmulator } from '@msgbatch/emulator';
import {
  createBatchesProxy,
  MsgbatchClient,
  mintBrowserToken,
  toNodeHandler,
} from '@msgbatch/node';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** Demo accounts: `demo` may read, download results and cancel; `viewer` may only read. */
export const USERS = {
  demo: { password: 'demo', scopes: ['batches:read', 'batches:results', 'batches:cancel'] },
  viewer: { password: 'viewer', scopes: ['batches:read', 'batches:results'] },
};

const MOUNT = '/api/batches-proxy';
const AUDIENCE = 'msgbatch-dashboard-proxy';

/**
 * Starts the app (page, login, token) and the proxy on two 127.0.0.1 ports, so
 * the page calls the proxy cross-origin, with CORS, as it would in production.
 *
 * @param {{ port?: number, proxyPort?: number, rate?: number, logger?: Pick<Console, 'debug'|'info'|'warn'|'error'>, onSent?: (text: string) => void }} [options]
 */
export async function startDashboard(options = {}) {
  const host = '127.0.0.1';
  const apiKey = `sk-ant-api03-dashboard-${randomBytes(18).toString('base64url')}`;
  const tokenSecret = randomBytes(32);
  const emulator = createEmulator({
    apiKeys: [apiKey],
    rate: options.rate ?? 4,
    progressiveCounts: true,
    cancelDrainMs: 1500,
    seed: 'browser-dashboard',
  });
  await seed(emulator, apiKey);

  const app = createServer();
  const api = createServer();
  if (options.onSent) for (const server of [app, api]) tapResponses(server, options.onSent);
  const appURL = await listen(app, host, options.port ?? 0);
  const apiURL = await listen(api, host, options.proxyPort ?? 0);
  const proxyURL = apiURL + MOUNT;

  const proxy = createBatchesProxy({
    upstream: { baseURL: 'http://emulator.internal', apiKey },
    verify: { secret: tokenSecret, issuer: appURL, audience: AUDIENCE },
    allowedOrigins: [appURL],
    mountPath: MOUNT,
    fetch: (request) => emulator.fetch(request),
    logger: options.logger ?? console,
    logLevel: 'info',
  });
  api.on('request', toNodeHandler(proxy));

  const sessions = new Map();
  const page = await readFile(here('./public/index.html'), 'utf8');
  app.on('request', async (req, res) => {
    try {
      await serveApp(req, res, { page, sessions, proxyURL, tokenSecret, appURL });
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error?.message ?? error));
    }
  });

  return {
    appURL,
    proxyURL,
    emulator,
    /** Only for tests that check the key never reaches the page. */
    apiKey,
    async close() {
      await Promise.all(
        [app, api].map((s) => new Promise((r) => s.close(r).closeAllConnections())),
      );
    },
  };
}

/**
 * Hands every header and body byte a server sends to `onSent` (as text), for tests
 * that check what could reach the browser; Chromium cannot always return a body it
 * has consumed, so the browser side alone would miss some.
 */
function tapResponses(server, onSent) {
  server.prependListener('request', (_req, res) => {
    const writeHead = res.writeHead.bind(res);
    res.writeHead = (...args) => {
      onSent(JSON.stringify(args));
      return writeHead(...args);
    };
    for (const name of ['write', 'end']) {
      const original = res[name].bind(res);
      res[name] = (chunk, ...rest) => {
        if (chunk != null && typeof chunk !== 'function')
          onSent(Buffer.from(chunk).toString('utf8'));
        return original(chunk, ...rest);
      };
    }
    res.on('finish', () => onSent(JSON.stringify(res.getHeaders())));
  });
}

async function serveApp(req, res, { page, sessions, proxyURL, tokenSecret, appURL }) {
  const url = new URL(req.url ?? '/', appURL);
  if (req.method === 'GET' && url.pathname === '/') {
    return send(res, 200, 'text/html; charset=utf-8', page);
  }
  if (req.method === 'GET' && url.pathname === '/app.js') {
    return send(res, 200, 'text/javascript', await readFile(here('./dist/app.js')));
  }
  if (req.method === 'POST' && url.pathname === '/api/session') {
    const { user, password } = JSON.parse((await readBody(req)) || '{}');
    const account = USERS[user];
    if (!account || account.password !== password) {
      return send(
        res,
        401,
        'application/json',
        JSON.stringify({ error: 'Wrong user or password.' }),
      );
    }
    const sid = randomUUID();
    sessions.set(sid, user);
    res.setHeader('set-cookie', `sid=${sid}; HttpOnly; SameSite=Strict; Path=/`);
    return send(
      res,
      200,
      'application/json',
      JSON.stringify({ user, scopes: account.scopes, proxyURL }),
    );
  }
  if (req.method === 'POST' && url.pathname === '/api/token') {
    const sid = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const user = sid && sessions.get(sid);
    if (!user)
      return send(res, 401, 'application/json', JSON.stringify({ error: 'Log in first.' }));
    const token = await mintBrowserToken({
      secret: tokenSecret,
      subject: user,
      scopes: USERS[user].scopes,
      ttlSeconds: 300,
      issuer: appURL,
      audience: AUDIENCE,
    });
    return send(res, 200, 'application/json', JSON.stringify({ token }));
  }
  return send(res, 404, 'text/plain', 'Not found');
}

/** A few batches so there is something to see: one already ended, three still running. */
async function seed(emulator, apiKey) {
  const client = new MsgbatchClient({
    apiKey,
    baseURL: 'http://emulator.internal',
    fetch: emulator.fetch,
  });
  const sizes = [
    ['digest', 6],
    ['translations', 400],
    ['support-replies', 600],
    ['summaries', 900],
  ];
  for (const [name, size] of sizes) {
    await client.messages.batches.create({
      requests: Array.from({ length: size }, (_, i) => ({
        custom_id: `${name}-${String(i + 1).padStart(4, '0')}`,
        params: {
          model: 'claude-sonnet-4-5',
          max_tokens: 256,
          messages: [{ role: 'user', content: `Item ${i + 1} of ${name}` }],
        },
      })),
    });
  }
}

function listen(server, host, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(`http://${host}:${server.address().port}`));
  });
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
}

async function readBody(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 10_000) throw new Error('body too large');
  }
  return text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dashboard = await startDashboard({
    port: Number(process.env.PORT ?? 5173),
    proxyPort: Number(process.env.PROXY_PORT ?? 5174),
  });
  console.log(
    `Dashboard: ${dashboard.appURL}  (log in as demo/demo, or viewer/viewer to see a 403)`,
  );
  console.log(`Proxy:     ${dashboard.proxyURL}`);
  const stop = () => dashboard.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
