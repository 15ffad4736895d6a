import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AuthenticationError,
  BrowserClient,
  Client,
  createTokenAuth,
  InvalidArgumentError,
  isBrowserLike,
} from '../src/index.ts';

const BATCH = {
  id: 'msgbatch_01',
  type: 'message_batch',
  processing_status: 'canceling',
  request_counts: { processing: 2, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
  ended_at: null,
  created_at: '2026-01-01T00:00:00Z',
  expires_at: '2026-01-02T00:00:00Z',
  archived_at: null,
  cancel_initiated_at: '2026-01-01T00:01:00Z',
  results_url: null,
};
const PROXY = 'https://app.test/api/batches-proxy';

/** An unsigned JWT-shaped token: the client only reads `exp` and `iat`. */
function jwt(claims: Record<string, unknown>, tag = 'sig'): string {
  const part = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '');
  return `${part({ alg: 'HS256' })}.${part(claims)}.${tag}`;
}

/** A fake proxy: answers per call from `statuses` (then 200), recording the auth header. */
function fakeProxy(statuses: number[] = []) {
  const seen: { url: string; headers: Headers }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({ url: request.url, headers: request.headers });
    const status = statuses[seen.length - 1] ?? 200;
    const body =
      status === 200
        ? BATCH
        : {
            type: 'error',
            error: { type: 'authentication_error', message: 'The token has expired.' },
          };
    return Response.json(body, { status, headers: { 'request-id': 'req_1' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

afterEach(() => vi.unstubAllGlobals());

describe('token auth', () => {
  it('sends the token as a bearer and reuses it until shortly before exp', async () => {
    const now = 1_000_000;
    const issued = Math.floor(now / 1000);
    const getToken = vi.fn(async () =>
      jwt({ iat: issued, exp: issued + 300 }, `t${getToken.mock.calls.length}`),
    );
    const clock = { now: () => now };
    const auth = createTokenAuth(getToken, { now: () => clock.now() });
    const first = await auth.headers();
    expect(first.authorization).toMatch(/^Bearer .+\.t1$/);
    clock.now = () => now + 269_000;
    expect(await auth.headers()).toEqual(first);
    expect(getToken).toHaveBeenCalledTimes(1);
    clock.now = () => now + 271_000;
    expect((await auth.headers()).authorization).toMatch(/\.t2$/);
    expect(getToken).toHaveBeenCalledTimes(2);
  });

  it('shares one getToken call between concurrent requests', async () => {
    const getToken = vi.fn(async () => jwt({ exp: Math.floor(Date.now() / 1000) + 300 }));
    const auth = createTokenAuth(getToken);
    await Promise.all([auth.headers(), auth.headers(), auth.headers()]);
    expect(getToken).toHaveBeenCalledTimes(1);
  });

  it('does not cache a token without exp', async () => {
    const getToken = vi.fn(async () => 'opaque-token');
    const auth = createTokenAuth(getToken);
    await auth.headers();
    await auth.headers();
    expect(getToken).toHaveBeenCalledTimes(2);
  });

  it('names getToken when it fails', async () => {
    const auth = createTokenAuth(async () => {
      throw new Error('login expired');
    });
    await expect(auth.headers()).rejects.toThrow('getToken() failed: login expired');
  });
});

describe('BrowserClient over a proxy', () => {
  const token = (n: number) => jwt({ exp: Math.floor(Date.now() / 1000) + 300 }, `t${n}`);

  it('on a 401 gets a new token once and retries the request once', async () => {
    let n = 0;
    const getToken = vi.fn(async () => token(++n));
    const { fetch, seen } = fakeProxy([401]);
    const client = new Client({ baseURL: PROXY, getToken, fetch });
    const batch = await client.messages.batches.cancel('msgbatch_01');
    expect(batch.processing_status).toBe('canceling');
    expect(getToken).toHaveBeenCalledTimes(2);
    expect(seen.map((s) => s.headers.get('authorization')?.slice(-2))).toEqual(['t1', 't2']);
    expect(seen[0]!.url).toBe(`${PROXY}/v1/messages/batches/msgbatch_01/cancel`);
  });

  it('gives up after the one retry: a second 401 is an AuthenticationError', async () => {
    let n = 0;
    const getToken = vi.fn(async () => token(++n));
    const { fetch, seen } = fakeProxy([401, 401, 401]);
    const client = new BrowserClient({ baseURL: PROXY, getToken, fetch });
    const error = await client.messages.batches.retrieve('msgbatch_01').catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(seen).toHaveLength(2);
    expect(getToken).toHaveBeenCalledTimes(2);
  });

  it('sends no headers beyond the token, the version and accept', async () => {
    const { fetch, seen } = fakeProxy();
    const client = new BrowserClient({ baseURL: PROXY, getToken: () => token(1), fetch });
    await client.messages.batches.cancel('msgbatch_01');
    expect([...seen[0]!.headers.keys()].sort()).toEqual([
      'accept',
      'anthropic-version',
      'authorization',
    ]);
  });

  it('needs baseURL (the proxy) with getToken, and some credential at all', () => {
    expect(() => new BrowserClient({ getToken: () => 't' })).toThrow(
      /baseURL must be the URL of your proxy/,
    );
    expect(() => new BrowserClient({ baseURL: PROXY })).toThrow(InvalidArgumentError);
  });

  it('keeps getToken across withOptions', async () => {
    const { fetch, seen } = fakeProxy();
    const client = new BrowserClient({ baseURL: PROXY, getToken: () => token(7), fetch });
    await client.withOptions({ maxRetries: 0 }).messages.batches.retrieve('msgbatch_01');
    expect(seen[0]!.headers.get('authorization')).toMatch(/t7$/);
  });
});

describe('a raw API key', () => {
  it('is refused with the token path explained, in a page', () => {
    vi.stubGlobal('document', {});
    const error = (() => {
      try {
        new BrowserClient({ apiKey: 'sk-ant-api03-x', baseURL: PROXY });
      } catch (e) {
        return e as InvalidArgumentError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error!.argument).toBe('apiKey');
    expect(error!.message).toMatch(/web page or Web Worker/);
    expect(error!.message).toMatch(/mintBrowserToken.*createBatchesProxy.*getToken/s);
    expect(error!.message).toMatch(/dangerouslyAllowBrowser: true/);
  });

  it('is refused outside a browser too (the package is for pages), and so is authToken', () => {
    expect(() => new BrowserClient({ apiKey: 'k' })).toThrow(/use @msgbatch\/node/);
    expect(() => new BrowserClient({ authToken: 'k' })).toThrow(InvalidArgumentError);
  });

  it('with dangerouslyAllowBrowser: true is sent, with the direct browser access header', async () => {
    const { fetch, seen } = fakeProxy();
    const client = new BrowserClient({
      apiKey: 'sk-ant-api03-x',
      dangerouslyAllowBrowser: true,
      baseURL: PROXY,
      fetch,
    });
    await client.messages.batches.cancel('msgbatch_01');
    expect(seen[0]!.headers.get('x-api-key')).toBe('sk-ant-api03-x');
    expect(seen[0]!.headers.get('anthropic-dangerous-direct-browser-access')).toBe('true');
    await client.withOptions({ maxRetries: 0 }).messages.batches.cancel('msgbatch_01');
    expect(seen[1]!.headers.get('anthropic-dangerous-direct-browser-access')).toBe('true');
  });
});

describe('isBrowserLike', () => {
  it('sees pages and every kind of Web Worker, and not Node', () => {
    class WorkerGlobalScope {}
    const worker = Object.assign(new WorkerGlobalScope(), { WorkerGlobalScope });
    expect(isBrowserLike({ document: {}, navigator: {} })).toBe(true);
    expect(isBrowserLike(worker)).toBe(true);
    expect(isBrowserLike({ importScripts: () => {} })).toBe(true);
    expect(isBrowserLike(globalThis)).toBe(false);
  });
});
