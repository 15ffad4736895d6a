import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  CreateOutcomeUnknownError,
  InternalServerError,
  isMsgbatchError,
  NotFoundError,
  OverloadedError,
  RateLimitError,
} from '../src/index.ts';
import { apiError, batch, json, scriptedFetch, testClient } from './helpers/fake-fetch.ts';

const createParams = {
  requests: [
    {
      custom_id: 'a',
      params: {
        model: 'claude-x',
        max_tokens: 8,
        messages: [{ role: 'user' as const, content: 'hi' }],
      },
    },
  ],
};

function refused(): Error {
  return Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  });
}

describe('retries', () => {
  it.each([408, 409, 429, 500, 502, 503, 504, 529])(
    'retries %i and then succeeds',
    async (status) => {
      const { fetch, requests } = scriptedFetch(
        apiError(status, 'api_error', 'boom'),
        json(batch()),
      );
      const { client } = testClient(fetch);
      await expect(client.messages.batches.retrieve('msgbatch_x')).resolves.toMatchObject({
        type: 'message_batch',
      });
      expect(requests).toHaveLength(2);
    },
  );

  it('gives up after maxRetries and throws the typed error', async () => {
    const { fetch, requests } = scriptedFetch(apiError(529, 'overloaded_error', 'Overloaded'));
    const { client, slept } = testClient(fetch, { maxRetries: 3 });
    const error = await client.messages.batches.retrieve('msgbatch_x').catch((e: any) => e);
    expect(error).toBeInstanceOf(OverloadedError);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(requests).toHaveLength(4);
    expect(slept).toEqual([500, 1000, 2000]);
  });

  it('per-call maxRetries wins over the client option', async () => {
    const { fetch, requests } = scriptedFetch(apiError(500, 'api_error', 'boom'));
    const { client } = testClient(fetch);
    await expect(client.messages.batches.retrieve('x', { maxRetries: 0 })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(requests).toHaveLength(1);
  });

  it('does not retry 400, 401, 404', async () => {
    for (const [status, type] of [
      [400, 'invalid_request_error'],
      [401, 'authentication_error'],
      [404, 'not_found_error'],
    ] as const) {
      const { fetch, requests } = scriptedFetch(apiError(status, type, 'no'));
      const { client } = testClient(fetch);
      await expect(client.messages.batches.retrieve('x')).rejects.toMatchObject({ status });
      expect(requests).toHaveLength(1);
    }
  });

  it('x-should-retry wins over the status in both directions', async () => {
    const no = scriptedFetch(
      apiError(503, 'api_error', 'x', { 'x-should-retry': 'false' }),
      json(batch()),
    );
    await expect(testClient(no.fetch).client.messages.batches.retrieve('x')).rejects.toMatchObject({
      status: 503,
    });
    expect(no.requests).toHaveLength(1);
    const yes = scriptedFetch(
      apiError(400, 'invalid_request_error', 'x', { 'x-should-retry': 'true' }),
      json(batch()),
    );
    await expect(testClient(yes.fetch).client.messages.batches.retrieve('x')).resolves.toBeTruthy();
    expect(yes.requests).toHaveLength(2);
  });

  it('waits retry-after-ms, else retry-after seconds (fractional) or an HTTP date', async () => {
    const cases: [Record<string, string>, number][] = [
      [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
      [{ 'retry-after': '1.5' }, 1500],
      [{ 'retry-after': new Date(Date.parse('2026-11-28T10:00:00Z') + 3000).toUTCString() }, 3000],
      [{ 'retry-after': 'soon' }, 500],
    ];
    for (const [headers, expected] of cases) {
      const { fetch } = scriptedFetch(
        apiError(429, 'rate_limit_error', 'slow down', headers),
        json(batch()),
      );
      const { client, slept } = testClient(fetch);
      await client.messages.batches.retrieve('x');
      expect(slept).toEqual([expected]);
    }
  });

  it('fails fast when the server asks to wait more than 60 s, saying when to retry', async () => {
    const { fetch, requests } = scriptedFetch(
      apiError(429, 'rate_limit_error', 'slow down', { 'retry-after': '120' }),
    );
    const { client, slept } = testClient(fetch);
    const error = await client.messages.batches.retrieve('x').catch((e: any) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.message).toMatch(/wait 120 s \(until 2026-11-28T10:02:00.000Z\)/);
    expect(requests).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  it('retries a connection failure of an idempotent call', async () => {
    const { fetch, requests } = scriptedFetch(new TypeError('fetch failed'), json(batch()));
    const { client } = testClient(fetch);
    await expect(client.messages.batches.cancel('x')).resolves.toBeTruthy();
    expect(requests).toHaveLength(2);
  });

  it('maps a persistent connection failure to APIConnectionError', async () => {
    const { fetch } = scriptedFetch(new TypeError('fetch failed'));
    const { client } = testClient(fetch);
    const error = await client.messages.batches.cancel('x').catch((e: any) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(isMsgbatchError(error)).toBe(true);
  });

  it('a 502 HTML page from a proxy is still a typed error with its status', async () => {
    const { fetch } = scriptedFetch(
      new Response('<html><h1>502 Bad Gateway</h1></html>', {
        status: 502,
        headers: { 'content-type': 'text/html' },
      }),
    );
    const { client } = testClient(fetch, { maxRetries: 0 });
    const error = await client.messages.batches.retrieve('x').catch((e: any) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(502);
    expect(error.message).toContain('502 Bad Gateway');
    expect(error.requestID).toBeNull();
  });
});

describe('create is not idempotent', () => {
  it('is retried after 429 and 529, where the server did not act', async () => {
    const { fetch, requests } = scriptedFetch(
      apiError(429, 'rate_limit_error', 'x', { 'retry-after-ms': '10' }),
      apiError(529, 'overloaded_error', 'x'),
      json(batch()),
    );
    const { client } = testClient(fetch);
    await expect(client.messages.batches.create(createParams)).resolves.toBeTruthy();
    expect(requests).toHaveLength(3);
  });

  it('is not retried after a 500', async () => {
    const { fetch, requests } = scriptedFetch(apiError(500, 'api_error', 'x'), json(batch()));
    const { client } = testClient(fetch);
    await expect(client.messages.batches.create(createParams)).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(requests).toHaveLength(1);
  });

  it('is retried when the connection was refused before sending', async () => {
    const { fetch, requests } = scriptedFetch(refused(), json(batch()));
    const { client } = testClient(fetch);
    await expect(client.messages.batches.create(createParams)).resolves.toBeTruthy();
    expect(requests).toHaveLength(2);
  });

  it('fails with CreateOutcomeUnknownError after the connection dropped, never a second batch', async () => {
    const { fetch, requests } = scriptedFetch(new TypeError('other side closed'), json(batch()));
    const { client } = testClient(fetch);
    const error = await client.messages.batches.create(createParams).catch((e: any) => e);
    expect(error).toBeInstanceOf(CreateOutcomeUnknownError);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toMatch(/may exist/);
    expect(error.message).toMatch(/list/);
    expect(requests).toHaveLength(1);
  });
});

describe('timeouts and abort', () => {
  const never = () => new Promise<Response>(() => {});

  it('a slow answer fails with APIConnectionTimeoutError after the retries', async () => {
    const { fetch, requests } = scriptedFetch(never as any);
    const { client } = testClient(fetch, { timeout: 20, maxRetries: 1 });
    await expect(client.messages.batches.retrieve('x')).rejects.toBeInstanceOf(
      APIConnectionTimeoutError,
    );
    expect(requests).toHaveLength(2);
  });

  it('a create whose answer timed out is not retried', async () => {
    const { fetch, requests } = scriptedFetch(never as any);
    const { client } = testClient(fetch, { timeout: 20 });
    await expect(client.messages.batches.create(createParams)).rejects.toBeInstanceOf(
      CreateOutcomeUnknownError,
    );
    expect(requests).toHaveLength(1);
  });

  it('aborting during the request gives APIUserAbortError', async () => {
    const controller = new AbortController();
    const fetch = (async (input: RequestInfo, init?: RequestInit) => {
      const signal = (input as Request).signal ?? init?.signal;
      return new Promise<Response>((_, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason));
        controller.abort();
      });
    }) as typeof globalThis.fetch;
    const { client } = testClient(fetch);
    await expect(
      client.messages.batches.retrieve('x', { signal: controller.signal }),
    ).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it('aborting during a backoff wait stops at once', async () => {
    const controller = new AbortController();
    const { fetch, requests } = scriptedFetch(apiError(503, 'api_error', 'x'));
    const { client } = testClient(fetch, {
      clock: {
        now: () => 0,
        sleep: (_ms, signal) =>
          new Promise((_, reject) => {
            signal?.addEventListener('abort', () => reject(signal.reason));
            controller.abort();
          }),
      },
    });
    await expect(
      client.messages.batches.retrieve('x', { signal: controller.signal }),
    ).rejects.toBeInstanceOf(APIUserAbortError);
    expect(requests).toHaveLength(1);
  });
});

describe('credentials never leak', () => {
  const key = 'sk-ant-api03-canary-SECRET-key-000';

  it('redacts the key from error messages even when the server echoes it', async () => {
    const { fetch } = scriptedFetch(
      apiError(401, 'authentication_error', `invalid x-api-key ${key}`),
    );
    const { client } = testClient(fetch);
    const error = await client.messages.batches.retrieve('x').catch((e: any) => e);
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain(key);
    expect(String(error.stack)).not.toContain(key);
  });

  it('redacts the key from connection errors and log lines', async () => {
    const lines: string[] = [];
    const log = (m: string) => lines.push(m);
    const { fetch } = scriptedFetch(new TypeError(`connect failed for ${key}`));
    const { client } = testClient(fetch, {
      logLevel: 'debug',
      logger: { debug: log, info: log, warn: log, error: log },
      maxRetries: 1,
    });
    const error = await client.messages.batches.retrieve('x').catch((e: any) => e);
    expect(error.message).not.toContain(key);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('\n')).not.toContain(key);
    expect(lines.join('\n')).toContain('[redacted]');
  });
});

describe('error classes', () => {
  it('NotFoundError carries status, headers, body and type', async () => {
    const { fetch } = scriptedFetch(
      apiError(404, 'not_found_error', 'Message Batch x not found.', { 'x-should-retry': 'false' }),
    );
    const { client } = testClient(fetch);
    const error = await client.messages.batches.retrieve('x').catch((e: any) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.name).toBe('NotFoundError');
    expect(error.headers.get('x-should-retry')).toBe('false');
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});
