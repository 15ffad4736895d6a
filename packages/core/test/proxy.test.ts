import { decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.ts';
import { mintBrowserToken } from '../src/proxy/index.ts';
import {
  API_KEY,
  APP_ORIGIN,
  BATCH_ID,
  call,
  fakeUpstream,
  harness,
  PROXY,
  SECRET,
  token,
} from './helpers/proxy-harness.ts';

const all = [
  'batches:read',
  'batches:results',
  'batches:cancel',
  'batches:create',
  'batches:delete',
] as const;

describe('proxy forwards each allowed operation with the upstream credential', () => {
  it.each([
    [
      'list',
      'GET',
      '/v1/messages/batches?limit=2&after_id=msgbatch_x&junk=1',
      '/v1/messages/batches?limit=2&after_id=msgbatch_x',
    ],
    ['retrieve', 'GET', `/v1/messages/batches/${BATCH_ID}`, `/v1/messages/batches/${BATCH_ID}`],
    [
      'cancel',
      'POST',
      `/v1/messages/batches/${BATCH_ID}/cancel`,
      `/v1/messages/batches/${BATCH_ID}/cancel`,
    ],
    ['delete', 'DELETE', `/v1/messages/batches/${BATCH_ID}`, `/v1/messages/batches/${BATCH_ID}`],
    [
      'results',
      'GET',
      `/v1/messages/batches/${BATCH_ID}/results`,
      `/v1/messages/batches/${BATCH_ID}/results`,
    ],
  ])('%s', async (_op, method, path, upstreamPath) => {
    const { proxy, upstream } = harness();
    const response = await proxy(
      call(path, {
        method,
        token: await token([...all]),
        headers: {
          cookie: 'session=abc',
          'x-api-key': 'caller-key',
          'anthropic-version': '2023-06-01',
        },
      }),
    );
    expect(response.status).toBe(200);
    expect(upstream.calls).toHaveLength(1);
    const sent = upstream.calls[0]!;
    expect(sent.method).toBe(method);
    expect(sent.url).toBe(`https://api.upstream.test${upstreamPath}`);
    expect(sent.headers.get('x-api-key')).toBe(API_KEY);
    expect(sent.headers.get('anthropic-version')).toBe('2023-06-01');
    for (const stripped of ['authorization', 'cookie', 'origin'])
      expect(sent.headers.get(stripped)).toBeNull();
    expect(sent.body).toBeNull();
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('anthropic-organization-id')).toBeNull();
  });

  it('create, with its JSON body', async () => {
    const { proxy, upstream } = harness();
    const body = JSON.stringify({ requests: [{ custom_id: 'a', params: {} }] });
    const response = await proxy(
      call('/v1/messages/batches', {
        method: 'POST',
        token: await token(['batches:create']),
        body,
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(response.status).toBe(200);
    expect(upstream.calls[0]).toMatchObject({
      method: 'POST',
      body,
      url: 'https://api.upstream.test/v1/messages/batches',
    });
    expect(upstream.calls[0]!.headers.get('content-type')).toBe('application/json');
  });

  it('uses an upstream bearer token when configured with authToken', async () => {
    const { proxy, upstream } = harness({
      upstream: { baseURL: 'https://api.upstream.test', authToken: 'upstream-bearer-token' },
    });
    await proxy(call(`/v1/messages/batches/${BATCH_ID}`, { token: await token() }));
    expect(upstream.calls[0]!.headers.get('authorization')).toBe('Bearer upstream-bearer-token');
    expect(upstream.calls[0]!.headers.get('x-api-key')).toBeNull();
  });

  it('accepts EdDSA tokens verified with the public key only', async () => {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA');
    const { proxy, upstream } = harness({ verify: { publicKey } });
    const eddsa = await mintBrowserToken({ privateKey, subject: 'u', scopes: ['batches:read'] });
    expect(decodeProtectedHeader(eddsa).alg).toBe('EdDSA');
    const response = await proxy(call(`/v1/messages/batches/${BATCH_ID}`, { token: eddsa }));
    expect(response.status).toBe(200);
    expect(upstream.calls).toHaveLength(1);
  });
});

describe('proxy answers', () => {
  it('rewrite results_url to the proxy, in a batch and in a list page', async () => {
    const { proxy } = harness();
    const expected = `${PROXY}/v1/messages/batches/${BATCH_ID}/results`;
    const batch = await (
      await proxy(call(`/v1/messages/batches/${BATCH_ID}`, { token: await token() }))
    ).json();
    expect(batch.results_url).toBe(expected);
    const page = await (await proxy(call('/v1/messages/batches', { token: await token() }))).json();
    expect(page.data.map((b: any) => b.results_url)).toEqual([expected, null]);
    expect(page.has_more).toBe(false);
  });

  it('stream results through as they arrive, without waiting for the end', async () => {
    let finish!: () => void;
    const released = new Promise<void>((resolve) => (finish = resolve));
    const upstream = fakeUpstream(
      () =>
        new Response(
          new ReadableStream({
            async start(controller) {
              controller.enqueue(new TextEncoder().encode('{"custom_id":"a"}\n'));
              await released;
              controller.enqueue(new TextEncoder().encode('{"custom_id":"b"}'));
              controller.close();
            },
          }),
          { headers: { 'content-type': 'application/x-jsonl' } },
        ),
    );
    const { proxy } = harness({ fetch: upstream.fetch });
    const response = await proxy(
      call(`/v1/messages/batches/${BATCH_ID}/results`, { token: await token() }),
    );
    expect(response.headers.get('content-type')).toBe('application/x-jsonl');
    expect(upstream.calls[0]!.headers.get('accept')).toBe('application/x-jsonl');
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('{"custom_id":"a"}\n');
    finish();
    const second = await reader.read();
    expect(new TextDecoder().decode(second.value)).toBe('{"custom_id":"b"}');
  });

  it('carry CORS headers for an allowed origin, on success and on errors', async () => {
    const { proxy } = harness();
    const ok = await proxy(call(`/v1/messages/batches/${BATCH_ID}`, { token: await token() }));
    const denied = await proxy(
      call(`/v1/messages/batches/${BATCH_ID}`, { method: 'DELETE', token: await token() }),
    );
    expect(denied.status).toBe(403);
    for (const response of [ok, denied]) {
      expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect(response.headers.get('vary')).toBe('Origin');
      expect(response.headers.get('access-control-expose-headers')).toContain('request-id');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('answer a preflight from an allowed origin with exactly the headers the client sends', async () => {
    const { proxy, upstream } = harness();
    const response = await proxy(
      call(`/v1/messages/batches/${BATCH_ID}/cancel`, {
        method: 'OPTIONS',
        headers: {
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'anthropic-version,authorization',
        },
      }),
    );
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': APP_ORIGIN,
      'access-control-allow-methods': 'GET, POST, DELETE',
      'access-control-allow-headers': 'authorization, content-type, anthropic-version',
    });
    expect(upstream.calls).toHaveLength(0);
  });

  it('never show the upstream key: not in error bodies echoed from upstream, headers, or log lines', async () => {
    const upstream = fakeUpstream((c) =>
      c.method === 'DELETE'
        ? Promise.reject(new TypeError(`connect failed with key ${API_KEY}`))
        : Response.json(
            {
              type: 'error',
              error: { type: 'invalid_request_error', message: `bad key ${API_KEY}` },
            },
            { status: 400, headers: { 'request-id': `req_${API_KEY}` } },
          ),
    );
    const { proxy, logLines } = harness({ fetch: upstream.fetch });
    const seen: string[] = [];
    for (const method of ['GET', 'DELETE']) {
      const response = await proxy(
        call(`/v1/messages/batches/${BATCH_ID}`, { method, token: await token([...all]) }),
      );
      seen.push(await response.text(), JSON.stringify([...response.headers]));
    }
    expect(seen[0]).toContain('bad key [redacted]');
    expect(seen[2]).toContain('could not reach the upstream API');
    expect(logLines.some((l) => l.includes('[redacted]'))).toBe(true);
    for (const text of [...seen, ...logLines]) expect(text).not.toContain(API_KEY);
  });

  it('turn an upstream 401 (the server key refused) into a 502, so the page does not refresh its token', async () => {
    const upstream = fakeUpstream(() =>
      Response.json(
        { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } },
        { status: 401 },
      ),
    );
    const { proxy } = harness({ fetch: upstream.fetch });
    const response = await proxy(
      call(`/v1/messages/batches/${BATCH_ID}`, { token: await token() }),
    );
    expect(response.status).toBe(502);
    expect((await response.json()).error.type).toBe('api_error');
  });

  it('let onRequest see the verified user and answer instead', async () => {
    const seen: string[] = [];
    const { proxy, upstream } = harness({
      onRequest: ({ operation, batchId, claims }) => {
        seen.push(`${claims.subject} ${operation} ${batchId}`);
        if (operation === 'cancel')
          return Response.json(
            { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
            { status: 429 },
          );
      },
    });
    const ok = await proxy(call(`/v1/messages/batches/${BATCH_ID}`, { token: await token() }));
    const limited = await proxy(
      call(`/v1/messages/batches/${BATCH_ID}/cancel`, { method: 'POST', token: await token() }),
    );
    expect([ok.status, limited.status]).toEqual([200, 429]);
    expect(limited.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(seen).toEqual([`user-1 retrieve ${BATCH_ID}`, `user-1 cancel ${BATCH_ID}`]);
    expect(upstream.calls).toHaveLength(1);
  });

  it('serve callers without an Origin (server to server) on the token alone', async () => {
    const { proxy } = harness();
    const response = await proxy(
      call(`/v1/messages/batches/${BATCH_ID}`, { token: await token(), origin: null }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('mintBrowserToken', () => {
  it('makes an HS256 token with the claims, a 5-minute default TTL and the browser typ', async () => {
    const jwt = await mintBrowserToken({
      secret: SECRET,
      subject: 'alice',
      scopes: ['batches:read', 'batches:cancel'],
      batchIds: ['msgbatch_a'],
      now: () => 1_800_000_000_000,
    });
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'HS256', typ: 'msgbatch-browser+jwt' });
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({
      sub: 'alice',
      scope: 'batches:read batches:cancel',
      batch_ids: ['msgbatch_a'],
      iat: 1_800_000_000,
      nbf: 1_800_000_000,
      exp: 1_800_000_300,
    });
    expect(typeof claims.jti).toBe('string');
  });

  it.each([
    ['a TTL over an hour', { ttlSeconds: 3601 }, 'ttlSeconds'],
    ['a fractional TTL', { ttlSeconds: 1.5 }, 'ttlSeconds'],
    ['an unknown scope', { scopes: ['batches:admin'] }, 'scopes'],
    ['no scope', { scopes: [] }, 'scopes'],
    [
      'create restricted to batch ids',
      { scopes: ['batches:create'], batchIds: ['msgbatch_a'] },
      'scopes',
    ],
    ['a short secret', { secret: 'too-short' }, 'mintBrowserToken.secret'],
    ['no key', { secret: undefined }, 'mintBrowserToken'],
    ['no subject', { subject: '' }, 'subject'],
  ])('refuses %s', async (_name, override, argument) => {
    const options = {
      secret: SECRET,
      subject: 'alice',
      scopes: ['batches:read'],
      ...override,
    } as never;
    const error = await mintBrowserToken(options).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.argument).toBe(argument);
  });

  it('accepts exactly one hour', async () => {
    const jwt = await mintBrowserToken({
      secret: SECRET,
      subject: 'a',
      scopes: ['batches:read'],
      ttlSeconds: 3600,
    });
    const { exp, iat } = decodeJwt(jwt);
    expect(exp! - iat!).toBe(3600);
  });
});
