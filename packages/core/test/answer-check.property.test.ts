import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ResponseValidationError } from '../src/errors.ts';
import { DeletedMessageBatchSchema, MessageBatchSchema } from '../src/schemas/message-batch.ts';
import {
  deletedMessageBatchIssues,
  messageBatchIssues,
} from '../src/schemas/message-batch-check.ts';
import { batch, scriptedFetch, testClient } from './helpers/fake-fetch.ts';
import { mutated } from './helpers/mutate.ts';

// The cancel path checks answers by hand (message-batch-check.ts) so that a page that
// only cancels does not bundle valibot. These properties hold the hand-written checks
// to the schemas, which remain the source of the types: same verdict, same paths.

const schemaPaths = (schema: v.GenericSchema, value: unknown) => {
  const result = v.safeParse(schema, value);
  return result.success ? [] : result.issues.map((issue) => v.getDotPath(issue) ?? '(root)');
};

const ended = batch({
  processing_status: 'ended',
  request_counts: { processing: 0, succeeded: 1, errored: 1, canceled: 1, expired: 1 },
  ended_at: '2026-11-28T11:00:00.000000Z',
  archived_at: '2026-11-29T11:00:00Z',
  results_url: 'https://api.anthropic.com/v1/messages/batches/msgbatch_x/results',
});
const deleted = { id: 'msgbatch_x', type: 'message_batch_deleted' };

const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, [], {}, 'message_batch', 0),
);

describe('hand-written answer checks agree with the schemas', () => {
  it('message_batch: the same verdict and the same issue paths, in order', () => {
    fc.assert(
      fc.property(
        fc.oneof(mutated(batch()), mutated(ended), anyValue, fc.constant(batch())),
        (value) => {
          expect(messageBatchIssues(value).map((issue) => issue.path)).toEqual(
            schemaPaths(MessageBatchSchema, value),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('message_batch_deleted: the same verdict and the same issue paths, in order', () => {
    fc.assert(
      fc.property(fc.oneof(mutated(deleted), anyValue, fc.constant(deleted)), (value) => {
        expect(deletedMessageBatchIssues(value).map((issue) => issue.path)).toEqual(
          schemaPaths(DeletedMessageBatchSchema, value),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts statuses and keys added later, and returns the answer as sent', async () => {
    const later = { ...batch(), processing_status: 'paused', priority: 'low' };
    const { fetch } = scriptedFetch(() =>
      Response.json(later, { headers: { 'request-id': 'r1' } }),
    );
    const answer = await testClient(fetch).client.messages.batches.cancel('msgbatch_x');
    expect(answer).toEqual(later);
    expect(answer._request_id).toBe('r1');
  });

  it('a wrong cancel answer names every wrong field and the request id', async () => {
    const wrong = { ...batch(), request_counts: { ...batch().request_counts, canceled: '3' } };
    delete (wrong as Partial<typeof wrong>).expires_at;
    const { fetch } = scriptedFetch(() =>
      Response.json(wrong, { headers: { 'request-id': 'r2' } }),
    );
    const error = await testClient(fetch)
      .client.messages.batches.cancel('msgbatch_x')
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ResponseValidationError);
    const { field, issues, requestID, message } = error as ResponseValidationError;
    expect(field).toBe('request_counts.canceled');
    expect(issues).toEqual([
      'request_counts.canceled: expected number, got string',
      'expires_at: missing',
    ]);
    expect(requestID).toBe('r2');
    expect(message).toContain('request id r2');
  });
});
