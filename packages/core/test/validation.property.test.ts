import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APIError, isMsgbatchError } from '../src/errors.ts';
import type { MessageBatch } from '../src/schemas/message-batch.ts';
import { apiError, batch, scriptedFetch, testClient } from './helpers/fake-fetch.ts';
import { mutated } from './helpers/mutate.ts';
import { sampleResultLines } from './helpers/result-lines.ts';

// ---------------------------------------------------------------------------------------------
// Bodies: any JSON, any text, and valid answers with a few fields broken
// ---------------------------------------------------------------------------------------------

const validLines = sampleResultLines;
const ended = batch({
  processing_status: 'ended',
  request_counts: { processing: 0, succeeded: 1, errored: 1, canceled: 1, expired: 1 },
  ended_at: '2026-11-28T11:00:00.000000Z',
  results_url: 'https://api.anthropic.com/v1/messages/batches/msgbatch_x/results',
});
const page = { data: [batch(), ended], has_more: false, first_id: 'a', last_id: 'b' };

/** A body as text: any JSON, any string, or a valid answer broken a little. */
const bodyOf = (valid: unknown) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '[', '{"a":', '\u0000', '1e999') },
    { weight: 4, arbitrary: mutated(valid).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(valid)) },
  );

/** A results body: lines that are valid, broken, any JSON or any text. */
const resultsBody = fc
  .array(
    fc.oneof(
      fc.constantFrom(...validLines).map((l) => JSON.stringify(l)),
      fc.constantFrom(...validLines).chain((l) => mutated(l).map((v) => JSON.stringify(v))),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 20 }),
    ),
    { maxLength: 6 },
  )
  .map((lines) => lines.join('\n'));

const answer = (text: string, status = 200) =>
  new Response(text, {
    status,
    headers: { 'content-type': 'application/json', 'request-id': 'req_prop' },
  });

// ---------------------------------------------------------------------------------------------
// The property: a typed value, or one of our typed errors — never TypeError / SyntaxError
// ---------------------------------------------------------------------------------------------

async function typedOrMsgbatchError<T>(run: () => Promise<T>, check: (value: T) => void) {
  let value: T;
  try {
    value = await run();
  } catch (error) {
    if (!isMsgbatchError(error)) {
      throw new Error(`escaped as ${(error as Error)?.name}: ${(error as Error)?.message}`, {
        cause: error,
      });
    }
    return;
  }
  check(value);
}

function isBatch(value: MessageBatch) {
  expect(typeof value.id).toBe('string');
  expect(value.type).toBe('message_batch');
  expect(typeof value.processing_status).toBe('string');
  for (const key of ['processing', 'succeeded', 'errored', 'canceled', 'expired'] as const) {
    expect(typeof value.request_counts[key]).toBe('number');
  }
  expect(typeof value.created_at).toBe('string');
}

const RUNS = 700;

describe('response validation (properties)', () => {
  it('create, retrieve and cancel: a MessageBatch or a typed error for any body', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodyOf(batch()),
        fc.constantFrom(200, 201),
        fc.constantFrom('create', 'retrieve', 'cancel'),
        async (text, status, op) => {
          const { fetch } = scriptedFetch(() => answer(text, status));
          const { batches } = testClient(fetch).client.messages;
          const run =
            op === 'create'
              ? () =>
                  batches.create({
                    requests: [
                      {
                        custom_id: 'a',
                        params: {
                          model: 'm',
                          max_tokens: 1,
                          messages: [{ role: 'user', content: 'x' }],
                        },
                      },
                    ],
                  })
              : op === 'retrieve'
                ? () => batches.retrieve('msgbatch_x')
                : () => batches.cancel('msgbatch_x');
          await typedOrMsgbatchError(async () => run(), isBatch);
        },
      ),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('delete: a DeletedMessageBatch or a typed error for any body', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodyOf({ id: 'msgbatch_x', type: 'message_batch_deleted' }),
        async (text) => {
          const { fetch } = scriptedFetch(() => answer(text));
          const { batches } = testClient(fetch).client.messages;
          await typedOrMsgbatchError(
            async () => batches.delete('msgbatch_x'),
            (value) => {
              expect(typeof value.id).toBe('string');
              expect(value.type).toBe('message_batch_deleted');
            },
          );
        },
      ),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('list: a page of MessageBatches (walked to the end) or a typed error for any body', async () => {
    const last = JSON.stringify({ data: [], has_more: false, first_id: null, last_id: null });
    await fc.assert(
      fc.asyncProperty(bodyOf(page), async (text) => {
        // The first page is the fuzzed one; the next one ends the walk.
        const { fetch } = scriptedFetch(
          () => answer(text),
          () => answer(last),
        );
        const { batches } = testClient(fetch).client.messages;
        await typedOrMsgbatchError(
          async () => {
            const items: MessageBatch[] = [];
            for await (const item of batches.list()) items.push(item);
            return items;
          },
          (items) => items.forEach(isBatch),
        );
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('results: typed lines or a typed error for any JSONL body', async () => {
    await fc.assert(
      fc.asyncProperty(resultsBody, async (text) => {
        const { fetch } = scriptedFetch(() => answer(text));
        const { batches } = testClient(fetch).client.messages;
        await typedOrMsgbatchError(
          async () => {
            const lines = [];
            for await (const line of batches.results('msgbatch_x')) lines.push(line);
            return lines;
          },
          (lines) => {
            for (const line of lines) {
              expect(typeof line.custom_id).toBe('string');
              expect(typeof line.result.type).toBe('string');
            }
          },
        );
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('summarizeResults, waitForEnd and cancelMany: a value or a typed error for any bodies', async () => {
    await fc.assert(
      fc.asyncProperty(bodyOf(ended), resultsBody, async (batchText, linesText) => {
        let now = Date.parse('2026-11-28T10:00:00Z');
        const clock = {
          now: () => now,
          sleep: async (ms: number) => {
            now += ms;
          },
        };
        const summaryFetch = scriptedFetch(
          () => answer(batchText),
          () => answer(linesText),
        );
        const summary = testClient(summaryFetch.fetch, { clock }).client.messages.batches;
        await typedOrMsgbatchError(
          () => summary.summarizeResults('msgbatch_x'),
          (s) => {
            expect(typeof s.reconciled).toBe('boolean');
            expect(s.lines).toBeGreaterThanOrEqual(0);
          },
        );
        const { fetch } = scriptedFetch(() => answer(batchText));
        const { batches } = testClient(fetch, { clock }).client.messages;
        await typedOrMsgbatchError(
          () => batches.waitForEnd('msgbatch_x', { maxWait: 10_000 }),
          (b) => {
            isBatch(b);
            expect(b.processing_status).toBe('ended');
          },
        );
        await typedOrMsgbatchError(
          () => batches.cancelMany(['msgbatch_x', 'msgbatch_y'], { maxAttempts: 2 }),
          (outcomes) => {
            expect(outcomes.map((o) => o.id)).toEqual(['msgbatch_x', 'msgbatch_y']);
            for (const o of outcomes) {
              if (o.status === 'canceled') isBatch(o.batch!);
              else expect(isMsgbatchError(o.error)).toBe(true);
            }
          },
        );
      }),
      { numRuns: 500 },
    );
  }, 60_000);

  it('an error status with any body is the APIError of that status', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 400, max: 599 }),
        fc.oneof(
          bodyOf({ type: 'error', error: { type: 'api_error', message: 'x' }, request_id: 'r' }),
          fc.constant(''),
        ),
        async (status, text) => {
          const { fetch } = scriptedFetch(() => answer(text, status));
          const { batches } = testClient(fetch).client.messages;
          const error = await batches.retrieve('msgbatch_x').then(
            () => null,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(APIError);
          expect((error as APIError).status).toBe(status);
          expect((error as APIError).requestID).toBe('req_prop');
        },
      ),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('a deeply nested body is a ResponseValidationError, not a RangeError', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const { fetch } = scriptedFetch(
      () => answer(deep),
      () => apiError(500, 'api_error', 'x'),
    );
    const { batches } = testClient(fetch).client.messages;
    const error = await batches.retrieve('msgbatch_x').then(
      () => null,
      (e: unknown) => e,
    );
    expect(isMsgbatchError(error)).toBe(true);
    // And as the body of an error status.
    const errorFetch = scriptedFetch(() => answer(deep, 400));
    const failed = await testClient(errorFetch.fetch)
      .client.messages.batches.retrieve('msgbatch_x')
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(failed).toBeInstanceOf(APIError);
  });
});
