import { base64url, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { BROWSER_TOKEN_TYPE, createBatchesProxy, mintBrowserToken } from '../src/proxy/index.ts';
import {
  API_KEY,
  AUDIENCE,
  BATCH_ID,
  call,
  fakeUpstream,
  harness,
  ISSUER,
  SECRET,
  token,
} from './helpers/proxy-harness.ts';

/** Sends one request and returns the answer's status, error envelope and the upstream calls. */
async function refused(request: Request, options: Parameters<typeof harness>[0] = {}) {
  const { proxy, upstream, logLines } = harness(options);
  const response = await proxy(request);
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : null,
    headers: response.headers,
    upstreamCalls: upstream.calls.length,
    logLines,
  };
}

const cancelPath = `/v1/messages/batches/${BATCH_ID}/cancel`;

describe('proxy refuses bad tokens with 401, before any upstream call', () => {
  it('no token', async () => {
    const r = await refused(call(cancelPath, { method: 'POST' }));
    expect(r).toMatchObject({ status: 401, upstreamCalls: 0 });
    expect(r.body).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(r.body.request_id).toMatch(/^proxyreq_/);
    expect(r.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('a tampered signature', async () => {
    const [h, p, s] = (await token()).split('.');
    const flipped = s!.slice(0, 10) + (s![10] === 'A' ? 'B' : 'A') + s!.slice(11);
    const r = await refused(call(cancelPath, { method: 'POST', token: `${h}.${p}.${flipped}` }));
    expect(r).toMatchObject({ status: 401, upstreamCalls: 0 });
    expect(r.body.error.message).toBe('The token signature is invalid.');
  });

  it('a tampered payload (scope escalated) under the original signature', async () => {
    const [h, p, s] = (await token(['batches:read'])).split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p!)));
    claims.scope = 'batches:read batches:delete';
    const forged = `${h}.${base64url.encode(JSON.stringify(claims))}.${s}`;
    const r = await refused(
      call(`/v1/messages/batches/${BATCH_ID}`, { method: 'DELETE', token: forged }),
    );
    expect(r).toMatchObject({ status: 401, upstreamCalls: 0 });
  });

  it('an expired token', async () => {
    const expired = await token(undefined, { ttlSeconds: 300, now: () => Date.now() - 301_000 });
    const r = await refused(call(cancelPath, { method: 'POST', token: expired }));
    expect(r).toMatchObject({ status: 401, upstreamCalls: 0 });
    expect(r.body.error.message).toBe('The token has expired.');
  });

  it('a token not valid yet', async () => {
    const future = await token(undefined, { now: () => Date.now() + 120_000 });
    const r = await refused(call(cancelPath, { method: 'POST', token: future }));
    expect(r).toMatchObject({ status: 401, upstreamCalls: 0 });
    expect(r.body.error.message).toBe('The token is not valid yet.');
  });

  it('a wrong audience, and a wrong issuer', async () => {
    for (const extra of [{ audience: 'another-service' }, { issuer: 'https://evil.test' }]) {
      const r = await refused(
        call(cancelPath, { method: 'POST', token: await token(undefined, extra) }),
      );
      expect(r).toMatchObject({ status: 401, upstreamCalls: 0 });
      expect(r.body.error.message).toBe('The token was not issued for this proxy.');
    }
  });

  it('alg: none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: BROWSER_TOKEN_TYPE }));
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url.encode(
      JSON.stringify({
        sub: 'u',
        scope: 'batches:cancel',
        iat: now,
        exp: now + 60,
        iss: ISSUER,
        aud: AUDIENCE,
      }),
    );
    for (const unsigned of [`${header}.${payload}.`, `${header}.${payload}`]) {
      const r = await refused(call(cancelPath, { method: 'POST', token: unsigned }));
      expect(r).toMatchObject({ status: 401, upstreamCalls: 0 });
    }
  });

  it('algorithm confusion: HS256 signed with the EdDSA public key, and EdDSA sent to an HS256 proxy', async () => {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
    const jwk = await exportJWK(publicKey);
    const claims = { scope: 'batches:cancel' };
    const asSecret = new TextEncoder().encode(JSON.stringify(jwk));
    const rawKey = base64url.decode(jwk.x!);
    for (const hmacKey of [asSecret, rawKey]) {
      const confused = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: BROWSER_TOKEN_TYPE })
        .setSubject('u')
        .setExpirationTime('1m')
        .sign(hmacKey);
      const r = await refused(call(cancelPath, { method: 'POST', token: confused }), {
        verify: { publicKey },
      });
      expect(r).toMatchObject({ status: 401, upstreamCalls: 0 });
      expect(r.body.error.message).toMatch(/algorithm/);
    }
    const eddsa = await mintBrowserToken({ privateKey, subject: 'u', scopes: ['batches:cancel'] });
    const r = await refused(call(cancelPath, { method: 'POST', token: eddsa }), {
      verify: { secret: SECRET },
    });
    expect(r).toMatchObject({ status: 401, upstreamCalls: 0 });
  });

  it('a JWT signed with the same secret but not a browser token (no typ)', async () => {
    const session = await new SignJWT({ scope: 'batches:cancel' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(SECRET));
    const r = await refused(call(cancelPath, { method: 'POST', token: session }));
    expect(r).toMatchObject({ status: 401, upstreamCalls: 0 });
  });
});

describe('proxy refuses what the token does not allow with 403', () => {
  it('a missing scope: a read-only token cannot cancel', async () => {
    const r = await refused(
      call(cancelPath, { method: 'POST', token: await token(['batches:read']) }),
    );
    expect(r).toMatchObject({ status: 403, upstreamCalls: 0 });
    expect(r.body.error).toEqual({
      type: 'permission_error',
      message: 'This token does not allow cancel (it needs the batches:cancel scope).',
    });
  });

  it('another batch than the token names, and list / create for a restricted token', async () => {
    const restricted = await token(['batches:read', 'batches:cancel'], {
      batchIds: ['msgbatch_mine'],
    });
    for (const request of [
      call(cancelPath, { method: 'POST', token: restricted }),
      call('/v1/messages/batches', { token: restricted }),
    ]) {
      const r = await refused(request);
      expect(r).toMatchObject({ status: 403, upstreamCalls: 0 });
    }
  });
});

describe('proxy refuses other routes and path tricks', () => {
  it.each([
    ['GET', `/v1/messages/batches/..%2F..%2Fv1%2Forganizations`, 400],
    ['POST', `/v1/messages/batches/${BATCH_ID}%2Fcancel`, 400],
    ['GET', `/v1/messages/batches/${BATCH_ID}%5C..%5Cresults`, 400],
    ['GET', `/v1/messages/batches/%252e%252e/results`, 400],
    ['GET', `/v1/messages/batches//results`, 400],
    ['GET', '/v1/messages/batches/%2e%2e/%2e%2e/organizations', 404],
    ['GET', '/../../v1/messages/batches', 404],
    ['GET', `/v1/messages/batches/${BATCH_ID}/results/extra`, 404],
    ['GET', '/v1/models', 404],
    ['POST', '/v1/messages', 404],
  ])('%s %s → %i', async (method, path, status) => {
    const r = await refused(call(path, { method, token: await token() }));
    expect(r).toMatchObject({ status, upstreamCalls: 0 });
  });

  it.each([
    ['PUT', '/v1/messages/batches'],
    ['DELETE', '/v1/messages/batches'],
    ['PATCH', `/v1/messages/batches/${BATCH_ID}`],
    ['POST', `/v1/messages/batches/${BATCH_ID}`],
    ['GET', cancelPath],
    ['DELETE', `/v1/messages/batches/${BATCH_ID}/results`],
    ['HEAD', `/v1/messages/batches/${BATCH_ID}`],
    ['OPTIONS', `/v1/messages/batches/${BATCH_ID}`],
  ])('method %s on %s → 404', async (method, path) => {
    const r = await refused(call(path, { method, token: await token(), origin: null }));
    expect(r).toMatchObject({ status: 404, upstreamCalls: 0 });
  });
});

describe('proxy CORS refusals', () => {
  it("a foreign origin's preflight gets 403 and no allow headers", async () => {
    const r = await refused(
      call(cancelPath, {
        method: 'OPTIONS',
        origin: 'https://evil.test',
        headers: {
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization',
        },
      }),
    );
    expect(r).toMatchObject({ status: 403, upstreamCalls: 0 });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a foreign origin with a valid token gets 403', async () => {
    const r = await refused(
      call(cancelPath, { method: 'POST', origin: 'https://evil.test', token: await token() }),
    );
    expect(r).toMatchObject({ status: 403, upstreamCalls: 0 });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('an allowed origin asking to send x-api-key or cookie-like headers gets a refused preflight', async () => {
    const r = await refused(
      call(cancelPath, {
        method: 'OPTIONS',
        headers: {
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, x-api-key',
        },
      }),
    );
    expect(r).toMatchObject({ status: 403, upstreamCalls: 0 });
    expect(r.headers.get('access-control-allow-headers')).toBeNull();
  });
});

describe('proxy refuses oversized bodies with 413', () => {
  const big = JSON.stringify({ requests: [{ custom_id: 'a', params: { pad: 'x'.repeat(4096) } }] });

  it('declared by content-length (even before the token is checked)', async () => {
    for (const t of [await token(['batches:create']), undefined]) {
      const r = await refused(
        call('/v1/messages/batches', {
          method: 'POST',
          token: t,
          body: big,
          headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
        }),
        { maxBodyBytes: 1024 },
      );
      expect(r).toMatchObject({ status: 413, upstreamCalls: 0 });
      expect(r.body.error.type).toBe('request_too_large');
    }
  });

  it('streamed without a length: counted while reading', async () => {
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 512) controller.enqueue(bytes.slice(i, i + 512));
        controller.close();
      },
    });
    const request = call('/v1/messages/batches', {
      method: 'POST',
      token: await token(['batches:create']),
      body: stream,
    });
    expect(request.headers.get('content-length')).toBeNull();
    const r = await refused(request, { maxBodyBytes: 1024 });
    expect(r).toMatchObject({ status: 413, upstreamCalls: 0 });
  });
});

describe('configuration mistakes fail at creation', () => {
  const upstream = { baseURL: 'https://api.upstream.test', apiKey: API_KEY };
  it.each([
    [
      'both keys',
      { upstream, verify: { secret: SECRET, publicKey: {} as never }, allowedOrigins: [] },
    ],
    ['a short secret', { upstream, verify: { secret: 'short' }, allowedOrigins: [] }],
    [
      'no upstream credential',
      { upstream: { baseURL: 'https://x.test' }, verify: { secret: SECRET }, allowedOrigins: [] },
    ],
    [
      'an origin with a path',
      { upstream, verify: { secret: SECRET }, allowedOrigins: ['https://app.test/page'] },
    ],
    ['a wildcard origin', { upstream, verify: { secret: SECRET }, allowedOrigins: ['*'] }],
  ])('%s', (_name, options) => {
    expect(() => createBatchesProxy({ ...options, fetch: fakeUpstream().fetch })).toThrow(
      /Invalid argument/,
    );
  });
});

describe('proxy refuses tokens that live too long or come from the future', () => {
  /** A token signed with the proxy's own secret, with the times given (seconds from now). */
  const forged = (times: { iat?: number | null; exp: number; nbf?: number }) => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ scope: 'batches:cancel' })
      .setProtectedHeader({ alg: 'HS256', typ: BROWSER_TOKEN_TYPE })
      .setSubject('u')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime(now + times.exp);
    if (times.iat !== null) jwt.setIssuedAt(now + (times.iat ?? 0));
    if (times.nbf !== undefined) jwt.setNotBefore(now + times.nbf);
    return jwt.sign(new TextEncoder().encode(SECRET));
  };
  const year = 365 * 24 * 3600;

  it('a token valid for 100 years', async () => {
    const r = await refused(
      call(cancelPath, { method: 'POST', token: await forged({ exp: 100 * year }) }),
    );
    expect(r).toMatchObject({ status: 401, upstreamCalls: 0 });
    expect(r.body.error.message).toBe('The token lives longer than this proxy accepts.');
  });

  it('an iat in the future, beyond the clock tolerance', async () => {
    const token = await forged({ iat: 600, nbf: -10, exp: 900 });
    const r = await refused(call(cancelPath, { method: 'POST', token }));
    expect(r).toMatchObject({ status: 401, upstreamCalls: 0 });
    expect(r.body.error.message).toBe('The token was issued in the future; check the clocks.');
    const tolerated = await refused(call(cancelPath, { method: 'POST', token }), {
      verify: { secret: SECRET, issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 900 },
    });
    expect(tolerated.status).toBe(200);
  });

  it('a token without iat', async () => {
    const r = await refused(
      call(cancelPath, { method: 'POST', token: await forged({ iat: null, exp: 60 }) }),
    );
    expect(r).toMatchObject({ status: 401, upstreamCalls: 0 });
  });

  it('a token older than maxTokenAge', async () => {
    const token = await forged({ iat: -120, exp: 60 });
    const options = {
      verify: { secret: SECRET, issuer: ISSUER, audience: AUDIENCE, maxTokenAge: 60 },
    };
    const r = await refused(call(cancelPath, { method: 'POST', token }), options);
    expect(r).toMatchObject({ status: 401, upstreamCalls: 0 });
    expect((await refused(call(cancelPath, { method: 'POST', token }))).status).toBe(200);
  });

  it('accepts the longest token mintBrowserToken mints', async () => {
    const longest = await token(['batches:cancel'], { ttlSeconds: 3600 });
    expect((await refused(call(cancelPath, { method: 'POST', token: longest }))).status).toBe(200);
  });

  it('refuses a maxTokenAge that is not a positive number when the proxy is made', () => {
    expect(() => harness({ verify: { secret: SECRET, maxTokenAge: 0 } })).toThrow(/maxTokenAge/);
  });
});
