import { describe, expect, it } from 'vitest';
import { MsgbatchClient } from '../src/client.ts';
import { BadRequestError, RateLimitError } from '../src/errors.ts';
import type { MessageBatch } from '../src/schemas/message-batch.ts';
import type { Clock } from '../src/transport/transport.ts';
import { isAlreadyEndedError } from '../src/workflows/shared.ts';
import { compareCounts } from '../src/workflows/summarize-results.ts';

function batch(id: string, status: string, counts: Partial<MessageBatch['request_counts']> = {}) {
  return {
    id,
    type: 'message_batch',
    processing_status: status,
    request_counts: { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0, ...counts },
    ended_at: status === 'ended' ? '2026-01-01T00:01:00Z' : null,
    created_at: '2026-01-01T00:00:00Z',
    expires_at: '2026-01-02T00:00:00Z',
    archived_at: null,
    cancel_initiated_at: null,
    results_url: null,
  } as MessageBatch;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
const apiError = (status: number, message: string, headers: Record<string, string> = {}) =>
  json(status, { type: 'error', error: { type: 'x', message }, request_id: null }, headers);

/** A client over a scripted fetch and a fake clock that only counts time. */
function fake(route: (method: string, path: string, at: number) => Response) {
  let now = 0;
  const log: { method: string; path: string; at: number }[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      const wakeAt = now + ms;
      await new Promise((r) => setTimeout(r, 0));
      now = Math.max(now, wakeAt);
    },
  };
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    log.push({ method: request.method, path, at: now });
    return route(request.method, path, now);
  };
  const client = new MsgbatchClient({
    apiKey: 'k',
    fetch,
    clock,
    random: () => 0,
    logLevel: 'off',
  });
  return { batches: client.messages.batches, log, clock };
}

describe('waitForEnd (fake server)', () => {
  it('honours a retry-after on a successful poll, and returns once ended', async () => {
    let polls = 0;
    const { batches, log } = fake(() =>
      ++polls < 3
        ? json(200, batch('b', 'in_progress'), { 'retry-after': '12' })
        : json(200, batch('b', 'ended')),
    );
    const ended = await batches.waitForEnd('b');
    expect(ended.processing_status).toBe('ended');
    expect(log.map((l) => l.at)).toEqual([0, 12_000, 24_000]);
  });
});

describe('cancelAndWait (fake server)', () => {
  it('returns a cancel answer that is already ended without polling', async () => {
    const { batches, log } = fake(() => json(200, batch('b', 'ended', { canceled: 3 })));
    const result = await batches.cancelAndWait('b');
    expect(result).toMatchObject({ alreadyEnded: false, batch: { processing_status: 'ended' } });
    expect(log).toHaveLength(1);
  });
});

describe('cancelMany (fake server)', () => {
  it('a 429 without retry-after still pauses every worker, for the backoff', async () => {
    let first = true;
    const { batches, log } = fake((_m, path) => {
      if (path.includes('/a/') && first) {
        first = false;
        return apiError(429, 'slow down');
      }
      return json(200, batch(path.split('/')[4]!, 'canceling'));
    });
    const outcomes = await batches.cancelMany(['a', 'b', 'c', 'd'], { concurrency: 1 });
    expect(outcomes.map((o) => o.status)).toEqual(['canceled', 'canceled', 'canceled', 'canceled']);
    // backoffDelay(0) with no jitter is 500 ms; the retry and all later calls come after it.
    expect(log.map((l) => l.at)).toEqual([0, 500, 500, 500, 500]);
  });

  it('a 529 with retry-after pauses every worker for what it asks, not the backoff', async () => {
    let first = true;
    const { batches, log } = fake((_m, path) => {
      if (path.includes('/a/') && first) {
        first = false;
        return apiError(529, 'overloaded', { 'retry-after': '7' });
      }
      return json(200, batch(path.split('/')[4]!, 'canceling'));
    });
    const outcomes = await batches.cancelMany(['a', 'b', 'c'], { concurrency: 1 });
    expect(outcomes.map((o) => o.status)).toEqual(['canceled', 'canceled', 'canceled']);
    expect(log.map((l) => l.at)).toEqual([0, 7000, 7000, 7000]);
  });

  it('a 429 asking for more than a minute fails that id instead of stalling the pool', async () => {
    const { batches, log } = fake((_m, path) =>
      path.includes('/a/')
        ? apiError(429, 'spend cap', { 'retry-after': '3600' })
        : json(200, batch('b', 'canceling')),
    );
    const outcomes = await batches.cancelMany(['a', 'b']);
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'canceled']);
    expect(outcomes[0]?.error).toBeInstanceOf(RateLimitError);
    expect(log.every((l) => l.at === 0)).toBe(true);
  });

  it('an abort during a per-id backoff still returns every outcome', async () => {
    const controller = new AbortController();
    const { batches } = fake((_m, path) => {
      if (path.includes('/a/')) {
        controller.abort();
        return apiError(500, 'boom');
      }
      return json(200, batch('b', 'canceling'));
    });
    const outcomes = await batches.cancelMany(['a', 'b'], {
      concurrency: 1,
      signal: controller.signal,
    });
    expect(outcomes.map((o) => [o.id, o.status, (o.error as Error).name])).toEqual([
      ['a', 'failed', 'APIUserAbortError'],
      ['b', 'failed', 'APIUserAbortError'],
    ]);
  });

  it('refuses a concurrency below 1 before sending anything', async () => {
    const { batches, log } = fake(() => json(200, {}));
    await expect(batches.cancelMany(['a'], { concurrency: 0 })).rejects.toThrow(/concurrency/);
    expect(log).toEqual([]);
  });

  it('returns an empty list for no ids', async () => {
    const { batches } = fake(() => json(200, {}));
    expect(await batches.cancelMany([])).toEqual([]);
  });
});

describe('helpers', () => {
  it('isAlreadyEndedError matches only the already-finished 400', () => {
    const h = new Headers();
    const msg = 'Batch b cannot be canceled because it has already finished processing';
    expect(isAlreadyEndedError(new BadRequestError(400, {}, `400 ${msg}`, h, null))).toBe(true);
    expect(isAlreadyEndedError(new BadRequestError(400, {}, '400 bad body', h, null))).toBe(false);
    expect(isAlreadyEndedError(new RateLimitError(429, {}, msg, h, null))).toBe(false);
  });

  it('compareCounts lists each differing type, and unreadable lines', () => {
    const b = batch('b', 'ended', { succeeded: 2, canceled: 3 });
    expect(compareCounts(b, { succeeded: 2, canceled: 3 })).toEqual([]);
    expect(compareCounts(b, { succeeded: 2, canceled: 2, weird: 1 }, 4)).toEqual([
      { type: 'canceled', expected: 3, actual: 2 },
      { type: 'weird', expected: 0, actual: 1 },
      { type: 'unreadable', expected: 0, actual: 4 },
    ]);
  });
});
