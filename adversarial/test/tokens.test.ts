/**
 * Issue 13 §4: forged and over-long tokens against the proxy over HTTP. Each is refused
 * (401, or Node's 431 for a header past its limit) and nothing reaches the upstream.
 */
import { createBatchesProxy, mintBrowserToken, toNodeHandler } from '@msgbatch/node';
import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, listen, report, type TestServer } from './helpers.ts';

const SECRET = 'adversarial-proxy-secret-0123456789abcdef';
const TYPE = 'msgbatch-browser+jwt';
let upstream: TestServer;
let proxy: TestServer;
const counts = { forgedTokens: 0, accepted: 0, upstreamCalls: 0 };

beforeAll(async () => {
  upstream = await listen((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  const handler = createBatchesProxy({
    upstream: { baseURL: upstream.url, apiKey: CANARY },
    verify: { secret: SECRET },
    allowedOrigins: ['http://app.test'],
    logLevel: 'off',
  });
  proxy = await listen(toNodeHandler(handler, { logger: { warn() {}, error() {} } }));
});
afterAll(async () => {
  await proxy.close();
  await upstream.close();
  report('tokens', counts);
});

const key = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);
const claims = { scope: 'batches:read batches:cancel batches:delete batches:create' };
const signed = (
  edit: (jwt: SignJWT) => SignJWT,
  header: Record<string, unknown> = { alg: 'HS256', typ: TYPE },
) => edit(new SignJWT(claims).setProtectedHeader(header as never).setSubject('u')).sign(key);
const enc = (value: unknown) => base64url.encode(JSON.stringify(value));

const FORGED: Record<string, () => Promise<string>> = {
  'valid for 100 years': () =>
    signed((j) => j.setIssuedAt(now()).setExpirationTime(now() + 100 * 365 * 86400)),
  'issued an hour in the future': () =>
    signed((j) => j.setIssuedAt(now() + 3600).setExpirationTime(now() + 3700)),
  'without iat': () => signed((j) => j.setExpirationTime(now() + 60)),
  'two hours old, still unexpired': () =>
    signed((j) => j.setIssuedAt(now() - 7200).setExpirationTime(now() + 60)),
  'alg none': async () =>
    `${enc({ alg: 'none', typ: TYPE })}.${enc({ ...claims, sub: 'u', iat: now(), exp: now() + 60 })}.`,
  'signed with another secret': () =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: TYPE })
      .setSubject('u')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode('another-secret-0123456789abcdefghijkl')),
  'without the msgbatch typ': () =>
    signed((j) => j.setIssuedAt().setExpirationTime('1m'), { alg: 'HS256' }),
  'scope escalated under the original signature': async () => {
    const good = await mintBrowserToken({ secret: SECRET, subject: 'u', scopes: ['batches:read'] });
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p!)));
    return `${h}.${enc({ ...payload, scope: claims.scope })}.${s}`;
  },
  'a 1 MB token': async () => `${'a'.repeat(1 << 20)}.b.c`,
  'a 12 KB token of valid base64url': async () =>
    `${enc({ alg: 'HS256', typ: TYPE })}.${'A'.repeat(12_000)}.x`,
  'not a JWT at all': async () => 'Bearer-in-bearer',
};

describe('forged and over-long tokens', () => {
  it.each(Object.keys(FORGED))('%s: refused, nothing sent upstream', async (name) => {
    const before = upstream.received.length;
    const token = await FORGED[name]!();
    const answer = await fetch(`${proxy.url}/v1/messages/batches/msgbatch_1/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, origin: 'http://app.test' },
    }).catch((error: unknown) => error as Error);
    counts.forgedTokens++;
    counts.upstreamCalls += upstream.received.length - before;
    const status = answer instanceof Response ? answer.status : 0;
    if (status < 400 && status !== 0) counts.accepted++;
    // 431: Node's own limit on header size answered before the proxy ran.
    expect([401, 431]).toContain(status);
    expect(upstream.received.length).toBe(before);
  });

  it('the same proxy accepts a freshly minted token (the refusals are not blanket)', async () => {
    const token = await mintBrowserToken({
      secret: SECRET,
      subject: 'u',
      scopes: ['batches:cancel'],
    });
    const answer = await fetch(`${proxy.url}/v1/messages/batches/msgbatch_1/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, origin: 'http://app.test' },
    });
    expect(answer.status).toBe(200);
  });
});
