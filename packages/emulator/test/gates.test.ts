import { describe, expect, it } from 'vitest';
import { errorOf, HEADERS, setup } from './helpers.ts';

const LIST = '/v1/messages/batches';
const without = (name: string) => {
  const headers: Record<string, string> = { ...HEADERS };
  delete headers[name];
  return headers;
};

describe('authentication', () => {
  it('answers 401 "x-api-key header is required" without a credential', async () => {
    const { call } = setup();
    const response = await call('GET', LIST, undefined, without('x-api-key'));
    expect(response.status).toBe(401);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(await errorOf(response)).toEqual({
      type: 'authentication_error',
      message: 'x-api-key header is required',
    });
  });

  it('accepts any non-empty key when apiKeys is omitted', async () => {
    const { call } = setup();
    const response = await call('GET', LIST, undefined, { ...HEADERS, 'x-api-key': 'whatever' });
    expect(response.status).toBe(200);
  });

  it('answers 401 "invalid x-api-key" for a key not in apiKeys', async () => {
    const { call } = setup({ apiKeys: ['sk-good'] });
    const response = await call('GET', LIST, undefined, { ...HEADERS, 'x-api-key': 'sk-bad' });
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toEqual({
      type: 'authentication_error',
      message: 'invalid x-api-key',
    });
    const ok = await call('GET', LIST, undefined, { ...HEADERS, 'x-api-key': 'sk-good' });
    expect(ok.status).toBe(200);
  });

  it('accepts a listed bearer token and refuses another', async () => {
    const { call } = setup({ apiKeys: ['tok-1'] });
    const base = without('x-api-key');
    const ok = await call('GET', LIST, undefined, { ...base, authorization: 'Bearer tok-1' });
    expect(ok.status).toBe(200);
    const bad = await call('GET', LIST, undefined, { ...base, authorization: 'Bearer tok-2' });
    expect(bad.status).toBe(401);
    expect(await errorOf(bad)).toEqual({
      type: 'authentication_error',
      message: 'Invalid bearer token',
    });
  });
});

describe('anthropic-version', () => {
  it('answers 400 when missing', async () => {
    const { call } = setup();
    const response = await call('GET', LIST, undefined, without('anthropic-version'));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({
      type: 'invalid_request_error',
      message: 'anthropic-version: header is required',
    });
  });

  it('answers 400 for an unknown value', async () => {
    const { call } = setup();
    const headers = { ...HEADERS, 'anthropic-version': '2099-01-01' };
    const response = await call('GET', LIST, undefined, headers);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toBe(
      'anthropic-version: "2099-01-01" is not a valid version',
    );
  });

  it.each(['2023-06-01', '2026-10-21'])('accepts %s', async (version) => {
    const { call } = setup();
    const headers = { ...HEADERS, 'anthropic-version': version };
    expect((await call('GET', LIST, undefined, headers)).status).toBe(200);
  });
});

describe('browser access', () => {
  const origin = { ...HEADERS, origin: 'https://app.example' };

  it('refuses a request with Origin but without the opt-in header (401)', async () => {
    const { call } = setup();
    const response = await call('GET', LIST, undefined, origin);
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(await errorOf(response)).toEqual({
      type: 'authentication_error',
      message: "CORS requests must set 'anthropic-dangerous-direct-browser-access' header",
    });
  });

  it('accepts it with anthropic-dangerous-direct-browser-access: true', async () => {
    const { call } = setup();
    const headers = { ...origin, 'anthropic-dangerous-direct-browser-access': 'true' };
    const response = await call('GET', LIST, undefined, headers);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-expose-headers')).toContain('request-id');
  });

  it("accepts it without the header when browserAccess is 'open'", async () => {
    const { call } = setup({ browserAccess: 'open' });
    expect((await call('GET', LIST, undefined, origin)).status).toBe(200);
  });

  it('answers preflights permissively without credentials', async () => {
    const { call } = setup();
    const response = await call('OPTIONS', LIST, undefined, {
      origin: 'https://app.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'x-api-key, anthropic-version',
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(response.headers.get('access-control-allow-methods')).toContain('DELETE');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'x-api-key, anthropic-version',
    );
  });
});

describe('rate limit', () => {
  it('answers 429 rate_limit_error past the per-minute budget, with headers', async () => {
    const { emulator, call } = setup({ rateLimit: { requestsPerMinute: 2 } });
    const first = await call('GET', LIST);
    expect(first.headers.get('anthropic-ratelimit-requests-limit')).toBe('2');
    expect(first.headers.get('anthropic-ratelimit-requests-remaining')).toBe('1');
    expect(first.headers.get('anthropic-ratelimit-requests-reset')).toBe('2026-01-01T00:01:00Z');
    await call('GET', LIST);
    emulator.clock.advance(15_000);
    const limited = await call('GET', LIST);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('45');
    expect(limited.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect((await errorOf(limited)).type).toBe('rate_limit_error');
    emulator.clock.advance(45_000);
    expect((await call('GET', LIST)).status).toBe(200);
  });

  it('sends the rate-limit headers by default, with the 20,000 per minute limit', async () => {
    const { call } = setup();
    const response = await call('GET', LIST);
    expect(response.headers.get('anthropic-ratelimit-requests-limit')).toBe('20000');
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('19999');
    expect(response.headers.get('anthropic-ratelimit-requests-reset')).toBe('2026-01-01T00:01:00Z');
  });

  it('says the limit and the organization in the 429 message, as the API does', async () => {
    const { call } = setup({ rateLimit: { requestsPerMinute: 1 } });
    const ok = await call('GET', LIST);
    const limited = await call('GET', LIST);
    const org = ok.headers.get('anthropic-organization-id');
    expect((await errorOf(limited)).message).toBe(
      `This request would exceed your organization's rate limit of 1 requests per minute (org: ${org}). For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage.`,
    );
  });

  it('sends no rate-limit headers and never limits with rateLimit: false', async () => {
    const { call } = setup({ rateLimit: false });
    const response = await call('GET', LIST);
    expect(response.headers.has('anthropic-ratelimit-requests-limit')).toBe(false);
  });
});
