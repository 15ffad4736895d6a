/**
 * The credential stays out of every string an error carries, after decoding: message,
 * stack, the error body, headers, request id and every cause, whatever form the server
 * echoed it in (raw, JSON-escaped, percent-encoded, base64).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  InvalidArgumentError,
  MsgbatchClient,
  ResponseValidationError,
} from '../src/index.ts';
import { createRedactor } from '../src/transport/redact.ts';
import { redactError } from '../src/transport/redact-values.ts';
import { batch, json, scriptedFetch, testClient } from './helpers/fake-fetch.ts';

const { inspect } = (await import('node:util' as string)) as {
  inspect: (value: unknown, options?: object) => string;
};

const KEY = 'sk-ant-api03-canary-SECRET-key-000';

/** The forms a server can echo a key in; the redactor must catch each. */
const ECHO_FORMS: Record<string, (key: string) => string> = {
  raw: (k) => k,
  'JSON \\u escapes': (k) =>
    [...k].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  'JSON \\u002d for dashes only': (k) => k.replaceAll('-', '\\u002d'),
  'JSON \\u002D upper case': (k) => k.replaceAll('-', '\\u002D'),
  'percent-encoded': (k) =>
    [...k].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join(''),
  'percent, lower case, mixed': (k) =>
    [...k].map((c, i) => (i % 2 ? c : `%${c.charCodeAt(0).toString(16)}`)).join(''),
  base64: (k) => btoa(k),
  'base64 after one byte': (k) => btoa(`x${k}`),
  'base64 after two bytes': (k) => btoa(`xy${k}`),
  base64url: (k) => btoa(`?>${k}`).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, ''),
};

/** Every text form of an error, its whole cause chain included. */
function textsOf(error: unknown): string[] {
  const texts = [String(error), JSON.stringify(error) ?? '', inspect(error, { depth: 10 })];
  for (let e: any = error, depth = 0; e && depth < 12; e = e.cause, depth++) {
    texts.push(
      String(e),
      String(e?.stack),
      JSON.stringify(e) ?? '',
      inspect(e, { depth: 10, showHidden: true }),
    );
  }
  return texts;
}

/** True when some text shows the key in any echo form or decodes to it. */
function shows(texts: string[], key = KEY): boolean {
  return texts.some(
    (t) =>
      Object.values(ECHO_FORMS).some((form) => t.includes(form(key))) || decodeAll(t).includes(key),
  );
}

function decodeAll(text: string): string {
  let out = text.replace(/\\u([0-9a-fA-F]{4})/g, (_, h) =>
    String.fromCharCode(Number.parseInt(h, 16)),
  );
  try {
    out = decodeURIComponent(out);
  } catch {
    out = out.replace(/%([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(Number.parseInt(h, 16)));
  }
  return out;
}

describe('createRedactor', () => {
  it.each(Object.entries(ECHO_FORMS))('removes the %s form inside any text', (_, form) => {
    const redact = createRedactor([KEY]);
    const text = `before ${form(KEY)} after`;
    expect(redact(text)).toContain('[redacted]');
    expect(shows([redact(text)])).toBe(false);
  });

  it('removes every form of any key, wherever it sits', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 12, maxLength: 60, unit: 'grapheme-ascii' }),
        fc.constantFrom(...Object.keys(ECHO_FORMS)),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        (key, form, before, after) => {
          const redact = createRedactor([key]);
          const out = redact(before + ECHO_FORMS[form]!(key) + after);
          expect(out).not.toContain(key);
          expect(out).not.toContain(ECHO_FORMS[form]!(key));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves text without the key as it is', () => {
    const redact = createRedactor([KEY]);
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!text.includes('sk-ant'));
        expect(redact(text)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('an answer that echoes the key', () => {
  const echoing = (make: (echo: string) => Response) =>
    Object.entries(ECHO_FORMS).map(([name, form]) => [name, () => make(form(KEY))] as const);

  it.each(echoing((e) => new Response(`oops ${e} not json`, { status: 200 })))(
    '200 with a body that is not JSON (%s): ResponseValidationError without the key',
    async (_, reply) => {
      const { fetch } = scriptedFetch(reply);
      const { client } = testClient(fetch);
      const error = await client.messages.batches.retrieve('x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseValidationError);
      expect(shows(textsOf(error))).toBe(false);
    },
  );

  it.each(
    echoing(
      (e) =>
        new Response(
          `{"type":"error","error":{"type":"authentication_error","message":"bad key ${e}"}}`,
          {
            status: 401,
            headers: { 'content-type': 'application/json', 'request-id': `req_${e}`, 'x-echo': e },
          },
        ),
    ),
  )('401 echoing it in the body, request-id and a header (%s)', async (_, reply) => {
    const { fetch } = scriptedFetch(reply);
    const { client } = testClient(fetch);
    const error = (await client.messages.batches.retrieve('x').catch((e: unknown) => e)) as any;
    expect(error.status).toBe(401);
    expect(error.message).toContain('[redacted]');
    expect(error.requestID).toContain('[redacted]');
    expect(error.headers.get('x-echo')).toContain('[redacted]');
    expect(error.error.error.message).toContain('[redacted]');
    expect(shows(textsOf(error))).toBe(false);
  });

  const resultsError = async (body: string) => {
    const { fetch } = scriptedFetch(
      () => new Response(body, { status: 200, headers: { 'request-id': 'req_1' } }),
    );
    const { client } = testClient(fetch);
    return (async () => {
      for await (const _ of await client.messages.batches.results('x'));
    })().catch((e: unknown) => e);
  };

  it('a results line whose custom_id is the key, then a broken line: JSONLDecodeError without it', async () => {
    const error = await resultsError(
      `{"custom_id":"${KEY}","result":{"type":"canceled"}}\n{"custom_id":"b",oops}\n`,
    );
    expect((error as Error).name).toBe('JSONLDecodeError');
    expect((error as { lastCustomId: string }).lastCustomId).toBe('[redacted]');
    expect(shows(textsOf(error))).toBe(false);
  });

  it('a results line that quotes the key in a mistyped field: ResponseValidationError without it', async () => {
    const error = await resultsError(
      `{"custom_id":"a","result":{"type":"succeeded","message":"${KEY}"}}\n`,
    );
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(shows(textsOf(error))).toBe(false);
  });
});

describe('credentials fetch cannot send', () => {
  it.each([
    ['a newline', `${KEY}\nx-evil: 1`],
    ['a NUL', `${KEY}\0`],
    ['a carriage return', `${KEY}\r`],
    ['a character past U+00FF', `${KEY}\u2028`],
  ])(
    'an apiKey with %s: InvalidArgumentError before sending, without the value, not retried',
    async (_, bad) => {
      const { fetch, requests } = scriptedFetch(json(batch()));
      const { client } = testClient(fetch, { apiKey: bad, maxRetries: 3 });
      const error = await client.messages.batches.retrieve('x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('apiKey');
      expect(requests).toHaveLength(0);
      expect(textsOf(error).some((t) => t.includes(KEY))).toBe(false);
    },
  );

  it('an authToken with a newline, through the real fetch', async () => {
    const client = new MsgbatchClient({
      authToken: `${KEY}\n`,
      baseURL: 'http://127.0.0.1:9',
      logLevel: 'off',
    });
    const error = await client.messages.batches.retrieve('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('authToken');
    expect(textsOf(error).some((t) => t.includes(KEY))).toBe(false);
  });
});

describe('a custom fetch whose error carries the request', () => {
  it('does not leak it through cause', async () => {
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const inner = Object.assign(new Error('socket hang up'), {
        code: 'ECONNRESET',
        headers: Object.fromEntries(request.headers),
      });
      throw Object.assign(new TypeError('request failed'), {
        request,
        options: { headers: { 'x-api-key': KEY } },
        cause: inner,
      });
    }) as typeof globalThis.fetch;
    const { client } = testClient(fetch, { maxRetries: 0 });
    const error = await client.messages.batches.retrieve('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(textsOf(error).some((t) => t.includes(KEY))).toBe(false);
    // What helps is kept: the class, the message, the network code.
    const cause = (error as Error).cause as any;
    expect(cause).toBeInstanceOf(TypeError);
    expect(cause.message).toBe('request failed');
    expect(cause.cause.code).toBe('ECONNRESET');
  });

  it('copies a DOMException cause that quotes the key (class, name and code kept)', () => {
    const cause = new DOMException(`aborted while sending ${KEY}`, 'AbortError');
    const error = redactError(new APIConnectionError('x', { cause }), createRedactor([KEY]));
    const copy = error.cause as DOMException;
    expect(copy).toBeInstanceOf(DOMException);
    expect([copy.name, copy.code, copy.message]).toEqual([
      'AbortError',
      20,
      'aborted while sending [redacted]',
    ]);
  });

  it('keeps a plain cause as it is', () => {
    const cause = new TypeError('fetch failed');
    const error = new APIConnectionError('x', { cause });
    expect(redactError(error, createRedactor([KEY])).cause).toBe(cause);
  });
});

// Refused and reset over real sockets: adversarial/test/connection.test.ts.
describe('a connection failure says why', () => {
  it.each([
    [
      'DNS',
      {
        code: 'ENOTFOUND',
        syscall: 'getaddrinfo',
        message: 'getaddrinfo ENOTFOUND api.example.invalid',
      },
      'getaddrinfo ENOTFOUND api.example.invalid',
    ],
    [
      'TLS',
      { code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' },
      'certificate has expired (CERT_HAS_EXPIRED)',
    ],
  ])('%s', async (_, fields, expected) => {
    const cause = Object.assign(new Error(fields.message), fields);
    const { fetch } = scriptedFetch(Object.assign(new TypeError('fetch failed'), { cause }));
    const { client } = testClient(fetch, { maxRetries: 0 });
    const error = await client.messages.batches.retrieve('x').catch((e: unknown) => e);
    expect((error as Error).message).toBe(`Connection error: ${expected} (fetch failed)`);
  });
});
