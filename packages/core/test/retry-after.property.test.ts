import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMsgbatchError, type RateLimitError } from '../src/errors.ts';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../src/transport/retry.ts';
import { apiError, batch, json, scriptedFetch, testClient } from './helpers/fake-fetch.ts';

const NOW = Date.parse('2026-11-28T10:00:00Z');

/** Header values a server (or a proxy) might send: numbers of every kind, dates, garbage. */
const headerValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.double().map(String),
  fc.integer().map(String),
  fc.nat({ max: 600_000 }).map(String),
  fc.double({ min: 0, max: 200, noNaN: true }).map((n) => n.toFixed(3)),
  fc.double().map((n) => n.toExponential()),
  fc
    .date({ noInvalidDate: false })
    .map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toUTCString())),
  fc.integer({ min: -120_000, max: 10_000_000 }).map((ms) => new Date(NOW + ms).toUTCString()),
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '-0',
    '0',
    '1e309',
    '-1e309',
    'Infinity',
    'NaN',
    '0x10',
    '0b11',
    '1_000',
    '60',
    '60.001',
    '61',
    '59.9999',
    'Fri, 31 Dec 9999 23:59:59 GMT',
    'Thu, 01 Jan 1970 00:00:00 GMT',
    '2026-11-28T10:01:00Z',
    'tomorrow',
    '1 2',
  ),
);

/** Headers with one or both of the two, as a server could send them (invalid values dropped). */
const retryHeaders = fc
  .record({ ms: fc.option(headerValue), seconds: fc.option(headerValue) })
  .map(({ ms, seconds }) => {
    const out: Record<string, string> = {};
    const headers = new Headers();
    for (const [name, value] of [
      ['retry-after-ms', ms],
      ['retry-after', seconds],
    ] as const) {
      if (value === null) continue;
      try {
        headers.set(name, value); // what fetch itself would refuse never reaches the client
        out[name] = value;
      } catch {
        // not a valid header value
      }
    }
    return out;
  });

/** A test client whose clock moves forward by each sleep (workflows read `now()`). */
function advancingClient(fetch: typeof globalThis.fetch) {
  let now = NOW;
  const slept: number[] = [];
  const { client } = testClient(fetch, {
    clock: {
      now: () => now,
      sleep: async (ms, signal) => {
        if (signal?.aborted) throw signal.reason;
        slept.push(ms);
        now += ms;
      },
    },
  });
  return { client, slept };
}

describe('retry delay parsing (properties)', () => {
  it('parseRetryAfter yields a non-negative delay (never NaN) or null for any header values', () => {
    fc.assert(
      fc.property(retryHeaders, fc.integer({ min: 0, max: 4e12 }), (values, now) => {
        const delay = parseRetryAfter(new Headers(values), now);
        if (delay !== null) {
          expect(Number.isNaN(delay)).toBe(false);
          expect(delay).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 5_000 },
    );
  }, 60_000);

  it('retry-after-ms wins; retry-after counts seconds; past dates mean now', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.nat({ max: 100_000 }), (ms, seconds) => {
        expect(
          parseRetryAfter(new Headers({ 'retry-after-ms': String(ms), 'retry-after': '5' }), NOW),
        ).toBe(ms);
        expect(parseRetryAfter(new Headers({ 'retry-after': String(seconds) }), NOW)).toBe(
          seconds * 1000,
        );
        const past = new Date(NOW - seconds * 1000 - 1000).toUTCString();
        expect(parseRetryAfter(new Headers({ 'retry-after': past }), NOW)).toBe(0);
      }),
      { numRuns: 2_000 },
    );
  }, 60_000);

  it('the transport never sleeps a negative, NaN or over-60 s duration; longer asks fail fast', async () => {
    await fc.assert(
      fc.asyncProperty(
        retryHeaders,
        fc.constantFrom(408, 429, 500, 503, 529),
        async (headers, status) => {
          const { fetch, requests } = scriptedFetch(
            apiError(status, 'rate_limit_error', 'slow down', headers),
            json(batch()),
          );
          const { client, slept } = testClient(fetch);
          const asked = parseRetryAfter(new Headers(headers), NOW);
          let error: unknown;
          try {
            await client.messages.batches.retrieve('msgbatch_x');
          } catch (e) {
            error = e;
          }
          for (const ms of slept) {
            expect(Number.isFinite(ms)).toBe(true);
            expect(ms).toBeGreaterThanOrEqual(0);
            expect(ms).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
          }
          if (asked !== null && asked > MAX_RETRY_AFTER_MS) {
            // Fails fast, typed, without sleeping or sending again.
            expect(isMsgbatchError(error)).toBe(true);
            expect((error as { status: number }).status).toBe(status);
            expect(slept).toEqual([]);
            expect(requests).toHaveLength(1);
            if (status === 429) expect((error as RateLimitError).retryAfterMs).toBe(asked);
          } else {
            expect(error).toBeUndefined();
            expect(slept).toEqual([asked ?? 500]); // backoff 500 ms with jitter pinned to 0
          }
        },
      ),
      { numRuns: 800 },
    );
  }, 60_000);

  // Found by these properties: a wait past the Date range used to escape as a RangeError.
  it('however large the wait, a finite delay and a typed fail-fast', async () => {
    const huge = fc.oneof(
      fc.double({ min: 1e13, max: 1e300, noNaN: true }).map((n) => ({ 'retry-after': String(n) })),
      fc
        .double({ min: 9e15, max: 1e300, noNaN: true })
        .map((n) => ({ 'retry-after-ms': String(n) })),
    );
    await fc.assert(
      fc.asyncProperty(huge, fc.constantFrom(429, 503), async (headers, status) => {
        const asked = parseRetryAfter(new Headers(headers), NOW);
        expect(Number.isFinite(asked)).toBe(true);
        const { fetch } = scriptedFetch(apiError(status, 'rate_limit_error', 'x', headers));
        const error = await testClient(fetch)
          .client.messages.batches.retrieve('msgbatch_x')
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(isMsgbatchError(error)).toBe(true);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('cancelMany never sleeps a negative, NaN or over-60 s duration either', async () => {
    await fc.assert(
      fc.asyncProperty(retryHeaders, fc.constantFrom(429, 503, 529), async (headers, status) => {
        const { fetch } = scriptedFetch(
          apiError(status, 'rate_limit_error', 'slow down', headers),
          json(batch({ processing_status: 'canceling' })),
        );
        const { client, slept } = advancingClient(fetch);
        const outcomes = await client.messages.batches.cancelMany(['msgbatch_a', 'msgbatch_b']);
        expect(outcomes.map((o) => o.id)).toEqual(['msgbatch_a', 'msgbatch_b']);
        for (const ms of slept) {
          expect(Number.isFinite(ms)).toBe(true);
          expect(ms).toBeGreaterThanOrEqual(0);
          expect(ms).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  // Found by this property: waitForEnd used to sleep any server-requested wait.
  it('waitForEnd never sleeps a negative, NaN or over-60 s duration whatever the server asks', async () => {
    await fc.assert(
      fc.asyncProperty(retryHeaders, fc.constantFrom(200, 429), async (headers, status) => {
        const answer =
          status === 200
            ? json(batch(), 200, headers)
            : apiError(429, 'rate_limit_error', 'slow down', headers);
        const { fetch } = scriptedFetch(answer, json(batch({ processing_status: 'ended' })));
        const { client, slept } = advancingClient(fetch);
        await client.messages.batches.waitForEnd('msgbatch_x').catch(() => {});
        for (const ms of slept) {
          expect(Number.isFinite(ms)).toBe(true);
          expect(ms).toBeGreaterThanOrEqual(0);
          expect(ms).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
