import type { ClientOptions } from '../../src/client.ts';
import { MsgbatchClient } from '../../src/client.ts';

export interface Recorded {
  method: string;
  url: string;
  headers: Headers;
  body: string | null;
}

type Reply =
  | Response
  | Error
  | ((request: Recorded) => Response | Error | Promise<Response | Error>);

/**
 * A fetch that answers from a script, one reply per call (the last one repeats),
 * and records every request it saw.
 */
export function scriptedFetch(...replies: Reply[]) {
  const requests: Recorded[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const recorded: Recorded = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body ? await request.text() : null,
    };
    requests.push(recorded);
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)]!;
    // Static replies may repeat, so they are cloned; a function makes a fresh one (a clone
    // would be a tee, and cancelling one branch would not reach the source).
    const value = typeof reply === 'function' ? await reply(recorded) : reply;
    if (value instanceof Error) throw value;
    return typeof reply === 'function' ? value : value.clone();
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

/** A JSON answer with a request id. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json',
      'request-id': 'req_test0000000000000000001',
      ...headers,
    },
  });
}

/** An API error envelope answer. */
export function apiError(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
) {
  return json(
    { type: 'error', error: { type, message }, request_id: 'req_test0000000000000000001' },
    status,
    headers,
  );
}

/** A valid message batch. */
export function batch(overrides: Record<string, unknown> = {}) {
  return {
    id: 'msgbatch_01AcJtwEXDB7Vb8s5DWt9Cb1',
    type: 'message_batch',
    processing_status: 'in_progress',
    request_counts: { processing: 2, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    ended_at: null,
    created_at: '2026-11-28T10:00:00.000000Z',
    expires_at: '2026-11-29T10:00:00.000000Z',
    archived_at: null,
    cancel_initiated_at: null,
    results_url: null,
    ...overrides,
  };
}

/** A client over a fake fetch whose waits take no time. */
export function testClient(fetch: typeof globalThis.fetch, options: ClientOptions = {}) {
  const slept: number[] = [];
  const client = new MsgbatchClient({
    apiKey: 'sk-ant-api03-canary-SECRET-key-000',
    baseURL: 'http://127.0.0.1:9',
    fetch,
    logLevel: 'off',
    random: () => 0,
    clock: {
      now: () => Date.parse('2026-11-28T10:00:00Z'),
      sleep: async (ms, signal) => {
        if (signal?.aborted) throw signal.reason;
        slept.push(ms);
      },
    },
    ...options,
  });
  return { client, slept };
}
