import { describe, expect, it } from 'vitest';
import * as core from '../src/index.ts';
import {
  APIConnectionError,
  AuthenticationError,
  BadRequestError,
  InvalidArgumentError,
  MsgbatchClient,
  NotFoundError,
  ResponseValidationError,
} from '../src/index.ts';
import { apiError, batch, json, scriptedFetch, testClient } from './helpers/fake-fetch.ts';

describe('cancel', () => {
  it('POSTs to the cancel path with version and key headers and no body', async () => {
    const { fetch, requests } = scriptedFetch(json(batch({ processing_status: 'canceling' })));
    const { client } = testClient(fetch);
    const result = await client.messages.batches.cancel('msgbatch_01AcJtwEXDB7Vb8s5DWt9Cb1');
    expect(result.processing_status).toBe('canceling');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.url).toBe(
      'http://127.0.0.1:9/v1/messages/batches/msgbatch_01AcJtwEXDB7Vb8s5DWt9Cb1/cancel',
    );
    expect(requests[0]!.headers.get('anthropic-version')).toBe('2023-06-01');
    expect(requests[0]!.headers.get('x-api-key')).toBe('sk-ant-api03-canary-SECRET-key-000');
    expect(requests[0]!.body).toBeNull();
  });

  it('returns all ten fields, keeps unknown keys, and hides the request id from JSON', async () => {
    const { fetch } = scriptedFetch(json(batch({ new_field: 1 })));
    const { client } = testClient(fetch);
    const result = await client.messages.batches.cancel('msgbatch_x');
    expect(Object.keys(result)).toEqual([
      'id',
      'type',
      'processing_status',
      'request_counts',
      'ended_at',
      'created_at',
      'expires_at',
      'archived_at',
      'cancel_initiated_at',
      'results_url',
      'new_field',
    ]);
    expect((result as any)._request_id).toBe('req_test0000000000000000001');
    expect(JSON.stringify(result)).not.toContain('_request_id');
  });

  it('accepts a processing_status the API adds later', async () => {
    const { fetch } = scriptedFetch(json(batch({ processing_status: 'paused' })));
    const { client } = testClient(fetch);
    expect((await client.messages.batches.cancel('msgbatch_x')).processing_status).toBe('paused');
  });

  it('encodes the id as exactly one path segment', async () => {
    const { fetch, requests } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch);
    await client.messages.batches.cancel('../x?y#z');
    expect(new URL(requests[0]!.url).pathname).toBe('/v1/messages/batches/..%2Fx%3Fy%23z/cancel');
  });

  it.each([[''], ['.'], ['..'], [undefined], [42]])('refuses id %j before sending', async (id) => {
    const { fetch, requests } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch);
    await expect(client.messages.batches.cancel(id as any)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(requests).toHaveLength(0);
  });

  it('maps 400 on an ended batch to BadRequestError with type and request id', async () => {
    const { fetch } = scriptedFetch(
      apiError(
        400,
        'invalid_request_error',
        'Batch msgbatch_x cannot be canceled because it has already finished processing',
      ),
    );
    const { client } = testClient(fetch);
    const error = await client.messages.batches.cancel('msgbatch_x').catch((e: any) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.requestID).toBe('req_test0000000000000000001');
    expect(error.message).toContain('already finished processing');
  });

  it('names the field and request id when the answer does not match the schema', async () => {
    const bad = batch();
    (bad.request_counts as any).canceled = 'three';
    const { fetch } = scriptedFetch(json(bad));
    const { client } = testClient(fetch);
    const error = await client.messages.batches.cancel('msgbatch_x').catch((e: any) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.field).toBe('request_counts.canceled');
    expect(error.requestID).toBe('req_test0000000000000000001');
    expect(error.message).toContain('req_test0000000000000000001');
  });

  it('treats a 200 with a non-JSON body as a validation error, not a SyntaxError', async () => {
    const { fetch } = scriptedFetch(
      new Response('<html>ok</html>', { status: 200, headers: { 'request-id': 'req_1' } }),
    );
    const { client } = testClient(fetch);
    const error = await client.messages.batches.cancel('msgbatch_x').catch((e: any) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.field).toBe('(body)');
  });

  it('supports withResponse()', async () => {
    const { fetch } = scriptedFetch(json(batch(), 200, { 'x-custom': 'yes' }));
    const { client } = testClient(fetch);
    const { data, response } = await client.messages.batches.cancel('msgbatch_x').withResponse();
    expect(data.id).toBe('msgbatch_01AcJtwEXDB7Vb8s5DWt9Cb1');
    expect(response.headers.get('x-custom')).toBe('yes');
  });

  it('settles then() as a Promise would: pass-through, a throwing callback, a rejection', async () => {
    const { fetch } = scriptedFetch(
      json(batch()),
      json(batch()),
      apiError(400, 'invalid_request_error', 'ended'),
    );
    const { client } = testClient(fetch, { maxRetries: 0 });
    const batches = client.messages.batches;
    // No callback: the batch passes through (as Promise.prototype.then(undefined)).
    expect((await batches.cancel('msgbatch_x').then()).id).toBe(
      'msgbatch_01AcJtwEXDB7Vb8s5DWt9Cb1',
    );
    // A throwing onfulfilled rejects the returned promise and does not reach onrejected.
    const seen: unknown[] = [];
    const thrown = await batches
      .cancel('msgbatch_x')
      .then(
        () => {
          throw new Error('from the callback');
        },
        (reason) => seen.push(reason),
      )
      .catch((e: Error) => e.message);
    expect(thrown).toBe('from the callback');
    expect(seen).toEqual([]);
    // A failed call reaches onrejected.
    const handled = await batches.cancel('msgbatch_x').then(
      () => 'fulfilled',
      (reason) => reason,
    );
    expect(handled).toBeInstanceOf(BadRequestError);
  });
});

describe('client options', () => {
  it('sends a bearer token when only authToken is given', async () => {
    const { fetch, requests } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch, { apiKey: null, authToken: 'tok-abcdef' });
    await client.messages.batches.retrieve('msgbatch_x');
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer tok-abcdef');
    expect(requests[0]!.headers.get('x-api-key')).toBeNull();
  });

  it('refuses to construct without any credential', () => {
    expect(() => new MsgbatchClient({ fetch: globalThis.fetch })).toThrow(InvalidArgumentError);
  });

  it('refuses a malformed apiVersion and sends an accepted one', async () => {
    expect(() => new MsgbatchClient({ apiKey: 'k-1234', apiVersion: 'latest' })).toThrow(
      /apiVersion/,
    );
    const { fetch, requests } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch, { apiVersion: '2026-10-21' });
    await client.messages.batches.retrieve('msgbatch_x');
    expect(requests[0]!.headers.get('anthropic-version')).toBe('2026-10-21');
  });

  it('keeps a base URL path prefix (a proxy mount)', async () => {
    const { fetch, requests } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch, { baseURL: 'http://127.0.0.1:9/api/anthropic/' });
    await client.messages.batches.retrieve('msgbatch_x');
    expect(requests[0]!.url).toBe(
      'http://127.0.0.1:9/api/anthropic/v1/messages/batches/msgbatch_x',
    );
  });

  it('merges default and per-call headers', async () => {
    const { fetch, requests } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch, { defaultHeaders: { 'x-team': 'a' } });
    await client.messages.batches.retrieve('msgbatch_x', { headers: { 'x-call': 'b' } });
    expect(requests[0]!.headers.get('x-team')).toBe('a');
    expect(requests[0]!.headers.get('x-call')).toBe('b');
  });

  it('withOptions makes a new client and leaves the first unchanged', async () => {
    const { fetch, requests } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch);
    const other = client.withOptions({ apiKey: 'sk-other-key-1' });
    await other.messages.batches.retrieve('a');
    await client.messages.batches.retrieve('b');
    expect(requests.map((r) => r.headers.get('x-api-key'))).toEqual([
      'sk-other-key-1',
      'sk-ant-api03-canary-SECRET-key-000',
    ]);
    expect(other).toBeInstanceOf(MsgbatchClient);
  });

  it('exposes the error classes as static properties', () => {
    expect(MsgbatchClient.NotFoundError).toBe(NotFoundError);
    expect(MsgbatchClient.AuthenticationError).toBe(AuthenticationError);
    expect(MsgbatchClient.APIConnectionError).toBe(APIConnectionError);
  });

  it('carries each of the twenty statics, each the class exported under its name', () => {
    // Set from one table beside the classes (errors.ts), no longer one static field each.
    const statics = MsgbatchClient as unknown as Record<string, unknown>;
    const names = [
      'MsgbatchError',
      'APIError',
      'BadRequestError',
      'AuthenticationError',
      'PermissionDeniedError',
      'NotFoundError',
      'ConflictError',
      'RequestTooLargeError',
      'UnprocessableEntityError',
      'RateLimitError',
      'InternalServerError',
      'OverloadedError',
      'APIConnectionError',
      'APIConnectionTimeoutError',
      'APIUserAbortError',
      'CreateOutcomeUnknownError',
      'ResponseValidationError',
      'InvalidArgumentError',
      'UnexpectedRedirectError',
    ];
    for (const name of names) {
      expect(statics[name], name).toBe((core as Record<string, unknown>)[name]);
      expect(typeof statics[name], name).toBe('function');
    }
    expect(MsgbatchClient.AnthropicError).toBe(core.MsgbatchError);
    class Sub extends MsgbatchClient {}
    expect(Sub.NotFoundError).toBe(NotFoundError);
  });
});

describe('retrieve and delete', () => {
  it('maps 404 to NotFoundError', async () => {
    const { fetch } = scriptedFetch(
      apiError(404, 'not_found_error', 'Message Batch msgbatch_x not found.', {
        'x-should-retry': 'false',
      }),
    );
    const { client } = testClient(fetch);
    await expect(client.messages.batches.retrieve('msgbatch_x')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('DELETEs and validates the deleted object', async () => {
    const { fetch, requests } = scriptedFetch(
      json({ id: 'msgbatch_x', type: 'message_batch_deleted' }),
    );
    const { client } = testClient(fetch);
    const deleted = await client.messages.batches.delete('msgbatch_x');
    expect(deleted).toEqual({ id: 'msgbatch_x', type: 'message_batch_deleted' });
    expect(requests[0]!.method).toBe('DELETE');
  });
});

describe('auth providers', () => {
  it('a failing credential source rejects with its own error, unretried and unsent', async () => {
    const { fetch, requests } = scriptedFetch(json(batch()));
    const failure = new Error('getToken() failed: session expired');
    let calls = 0;
    const { client } = testClient(fetch, {
      apiKey: null,
      auth: {
        headers: () => {
          calls++;
          throw failure;
        },
      },
    });
    await expect(client.messages.batches.cancel('msgbatch_x')).rejects.toBe(failure);
    expect(calls).toBe(1);
    expect(requests).toHaveLength(0);
  });
});
