import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  type APIError,
  AuthenticationError,
  IndividualResponseSchema,
  MessageBatchPageSchema,
  MessageBatchSchema,
  NotFoundError,
  PaymentRequiredError,
  RequestTooLargeError,
} from '../src/index.ts';
import { scriptedFetch, testClient } from './helpers/fake-fetch.ts';
import {
  loadRecordedApi,
  nameOf,
  RECORDED_API_ABSENT,
  type RecordedInteraction,
} from './helpers/recorded-api.ts';

// The client judged by 152 real interactions (../shared/fixtures/recorded-api.json, read in
// place): every 2xx body goes through msgbatch's schemas and its client as recorded, and
// every recorded error becomes the right class with its message and request id.

const corpus = loadRecordedApi();
const entries = (corpus ?? []).map((entry, index) => ({ entry, index }));
const select = (test: (entry: RecordedInteraction) => boolean) =>
  entries
    .filter(({ entry }) => test(entry))
    .map(({ entry, index }) => [nameOf(entry, index), entry] as const);

const isResults = (e: RecordedInteraction) => e.request.path.endsWith('/results');
const isList = (e: RecordedInteraction) =>
  e.request.path.split('?')[0] === '/v1/messages/batches' && e.request.method === 'GET';
const ok = (e: RecordedInteraction) => e.response.status >= 200 && e.response.status < 300;

const hasArchivedAt = (e: RecordedInteraction) => {
  const body = JSON.parse(e.response.body);
  return (body.data ?? [body]).every((b: object) => 'archived_at' in b);
};
const batchAnswers = select((e) => ok(e) && !isResults(e) && !isList(e) && hasArchivedAt(e));
// Recorded in 2024, before `archived_at` existed: the client reads it as null.
const legacyAnswers = select((e) => ok(e) && !isResults(e) && !hasArchivedAt(e));
const pageAnswers = select((e) => ok(e) && isList(e) && hasArchivedAt(e));
const resultsAnswers = select((e) => ok(e) && isResults(e));
const errorAnswers = select((e) => !ok(e));

/** A fetch that answers with the recorded response, byte for byte, headers as recorded. */
const replay = (entry: RecordedInteraction) =>
  scriptedFetch(
    () =>
      new Response(entry.response.body, {
        status: entry.response.status,
        headers: entry.response.headers,
      }),
  );

/** The recorded request, made through the client. */
function call(entry: RecordedInteraction) {
  const { fetch, requests } = replay(entry);
  const { client } = testClient(fetch, { maxRetries: 0 });
  const { method, path } = entry.request;
  const id = /msgbatch_\w+/.exec(path)?.[0] ?? 'msgbatch_x';
  const batches = client.messages.batches;
  let promise: Promise<unknown>;
  if (method === 'POST' && path === '/v1/messages/batches') {
    promise = batches.create(JSON.parse(entry.request.body!));
  } else if (path.endsWith('/cancel')) promise = batches.cancel(id);
  else if (isResults(entry)) {
    promise = (async () => {
      const lines = [];
      for await (const line of await batches.results(id)) lines.push(line);
      return lines;
    })();
  } else if (isList(entry)) {
    const query = Object.fromEntries(new URL(path, 'http://x').searchParams);
    promise = batches.list(query.limit ? { limit: Number(query.limit) } : {});
  } else promise = batches.retrieve(id);
  return { promise, requests };
}

const noCorpus = (title: string) => it(title, (context) => context.skip(RECORDED_API_ABSENT));

describe('recorded 2xx answers parse through the schemas and the client, as recorded', () => {
  if (!corpus) return noCorpus('message batches, pages and results lines');

  it.each(batchAnswers)('%s', async (_, entry) => {
    const body = JSON.parse(entry.response.body);
    const { promise } = call(entry);
    const batch = (await promise) as Record<string, unknown>;
    // Every recorded field reads as sent; a batch recorded before `archived_at` existed
    // (2024) reads it as null.
    expect(batch).toMatchObject(body);
    if (!('archived_at' in body)) expect(batch.archived_at).toBeNull();
    expect((batch as { _request_id?: string })._request_id).toBe(
      entry.response.headers['request-id'],
    );
    if ('archived_at' in body) {
      expect(v.safeParse(MessageBatchSchema, body).issues?.map((i) => i.message)).toBeUndefined();
    }
  });

  it.each(legacyAnswers)('%s (without archived_at: read as null)', async (_, entry) => {
    const body = JSON.parse(entry.response.body);
    const answer = (await call(entry).promise) as Record<string, any>;
    const batches = isList(entry) ? answer.data : [answer];
    expect(batches).toMatchObject(body.data ?? [body]);
    for (const batch of batches) expect(batch.archived_at).toBeNull();
  });

  it.each(pageAnswers)('%s', async (_, entry) => {
    const body = JSON.parse(entry.response.body);
    const page = (await call(entry).promise) as { data: unknown[]; has_more: boolean };
    expect(page.data).toMatchObject(body.data);
    expect(page.has_more).toBe(body.has_more);
    expect(v.safeParse(MessageBatchPageSchema, body).issues).toBeUndefined();
  });

  it.each(resultsAnswers)('%s', async (_, entry) => {
    const recorded = entry.response.body
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line));
    for (const line of recorded) {
      expect(v.safeParse(IndividualResponseSchema, line).issues).toBeUndefined();
    }
    // Whatever the content type (text/html in 2024, none in 2025, application/x-jsonl in
    // 2026) and with or without a final newline, the lines arrive equal to what was sent.
    expect(await call(entry).promise).toEqual(recorded);
  });
});

describe('recorded errors map to their class, message and request id', () => {
  if (!corpus) return noCorpus('recorded error answers');

  const classes: Record<number, typeof APIError> = {
    401: AuthenticationError,
    404: NotFoundError,
  };

  it.each(errorAnswers)('%s', async (_, entry) => {
    const body = JSON.parse(entry.response.body);
    const { promise, requests } = call(entry);
    const error = (await promise.catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(classes[entry.response.status]);
    expect(error.status).toBe(entry.response.status);
    expect(error.type).toBe(body.error.type);
    expect(error.message).toContain(body.error.message);
    expect(error.requestID).toBe(entry.response.headers['request-id']);
    expect(error.message).toContain(entry.response.headers['request-id']);
    expect(error.error).toEqual(body);
    // x-should-retry: false was recorded on each: exactly one request went out.
    expect(requests).toHaveLength(1);
  });

  it('covers every recorded status', () => {
    const statuses = new Set(errorAnswers.map(([, entry]) => entry.response.status));
    expect([...statuses].every((status) => status in classes)).toBe(true);
  });
});

describe('the answers no recording holds, in the shapes the issue documents', () => {
  it('the edge 413 (no top-level type, no request id anywhere) is a RequestTooLargeError', async () => {
    const body = {
      error: { type: 'request_too_large', message: 'Request exceeds the maximum size' },
    };
    const { fetch } = scriptedFetch(
      new Response(JSON.stringify(body), {
        status: 413,
        headers: { 'content-type': 'application/json' },
      }),
    );
    const { client } = testClient(fetch);
    const error = (await client.messages.batches
      .create({ requests: [{ custom_id: 'a', params: {} as any }] })
      .catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(RequestTooLargeError);
    expect(error.type).toBe('request_too_large');
    expect(error.requestID).toBeNull();
    expect(error.message).toBe('413 request_too_large: Request exceeds the maximum size');
  });

  it('402 billing_error is a PaymentRequiredError with its type, message and request id', async () => {
    const body = {
      type: 'error',
      error: { type: 'billing_error', message: 'Your credit balance is too low.' },
      request_id: 'req_011Cf75wfCXCbniKKrP6wSut',
    };
    const { fetch, requests } = scriptedFetch(
      new Response(JSON.stringify(body), {
        status: 402,
        headers: { 'request-id': 'req_011Cf75wfCXCbniKKrP6wSut', 'x-should-retry': 'false' },
      }),
    );
    const { client } = testClient(fetch);
    const error = (await client.messages.batches
      .retrieve('msgbatch_x')
      .catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(PaymentRequiredError);
    expect(error.status).toBe(402);
    expect(error.type).toBe('billing_error');
    expect(error.requestID).toBe('req_011Cf75wfCXCbniKKrP6wSut');
    expect(error.message).toContain('Your credit balance is too low.');
    expect(requests).toHaveLength(1);
  });
});
