import { NotFoundError, ResultsMismatchError } from '@msgbatch/core';
import { describe, expect, it } from 'vitest';
import { requests, rewriteLines, setup } from './helpers.ts';

const isResults = (request: Request) => request.url.endsWith('/results');

/** A batch of 200 (every 10th errored) canceled after 80 were done; ended. */
async function canceledBatch(wrap?: Parameters<typeof setup>[1]) {
  const env = setup(
    {
      rate: 10,
      nonInterruptibleShare: 0.25,
      outcome: (_r, i) => (i % 10 === 9 ? { type: 'errored' } : undefined),
    },
    wrap,
  );
  const created = await env.batches.create({ requests: requests(200) });
  env.emulator.clock.advance(8001);
  const { batch } = await env.batches.cancelAndWait(created.id);
  return { ...env, batch };
}

describe('summarizeResults', () => {
  it('counts each result type and lists its custom_ids, matching request_counts', async () => {
    const { batches, emulator, batch } = await canceledBatch();
    expect(batch.request_counts).toEqual({
      processing: 0,
      succeeded: 99,
      errored: 11,
      canceled: 90,
      expired: 0,
    });
    const summary = await batches.summarizeResults(batch.id);
    expect(summary.counts).toEqual({ succeeded: 99, errored: 11, canceled: 90, expired: 0 });
    expect(summary.reconciled).toBe(true);
    expect(summary.mismatches).toEqual([]);
    expect(summary.lines).toBe(200);
    const truth = emulator.store.results(batch.id)!;
    const canceled = truth.filter((l) => l.result.type === 'canceled').map((l) => l.custom_id);
    expect([...summary.customIds.canceled].sort()).toEqual(canceled.sort());
    expect(summary.customIds.errored).toHaveLength(11);
    expect(await batches.canceledRequests(batch.id)).toEqual(summary.customIds.canceled);
  });

  it('reports a malformed line as a mismatch, and canceledRequests refuses', async () => {
    const { batches, emulator, batch } = await canceledBatch();
    emulator.faults.add({ operation: 'results', type: 'malformed-line', afterLines: 17, times: 2 });
    const summary = await batches.summarizeResults(batch.id);
    expect(summary.reconciled).toBe(false);
    expect(summary.unreadable).toEqual({ count: 1, lineNumbers: [18] });
    expect(summary.mismatches).toEqual([{ type: 'unreadable', expected: 0, actual: 1 }]);
    const error = await batches.canceledRequests(batch.id).catch((e) => e);
    expect(error).toBeInstanceOf(ResultsMismatchError);
    expect(error.mismatches).toEqual(summary.mismatches);
  });

  it('reports a missing line by its type', async () => {
    let drop = false;
    const { batches, batch } = await canceledBatch((request, response) =>
      drop && isResults(request)
        ? rewriteLines(response, (lines) => lines.filter((l) => !l.includes('"canceled"')).concat())
        : response,
    );
    drop = true;
    const summary = await batches.summarizeResults(batch.id);
    expect(summary.counts.canceled).toBe(0);
    expect(summary.mismatches).toEqual([{ type: 'canceled', expected: 90, actual: 0 }]);
  });

  it('reports a duplicated line', async () => {
    let dup = false;
    const { batches, batch } = await canceledBatch((request, response) =>
      dup && isResults(request)
        ? rewriteLines(response, (lines) => [...lines, lines[0]!])
        : response,
    );
    dup = true;
    const summary = await batches.summarizeResults(batch.id);
    expect(summary.duplicates).toHaveLength(1);
    expect(summary.reconciled).toBe(false);
  });

  it('reads lines the fast peek cannot (other key order, escapes) by parsing them', async () => {
    let reorder = false;
    const { batches, batch } = await canceledBatch((request, response) =>
      reorder && isResults(request)
        ? rewriteLines(response, (lines) =>
            lines.map((l) => {
              const { custom_id, result } = JSON.parse(l);
              return JSON.stringify({
                result,
                custom_id: `${custom_id}\u00e9`.replace('é', '\\u00e9'),
              });
            }),
          )
        : response,
    );
    reorder = true;
    const summary = await batches.summarizeResults(batch.id);
    expect(summary.reconciled).toBe(true);
    expect(summary.counts.canceled).toBe(90);
    expect(summary.customIds.succeeded[0]).toMatch(/^req-\d+\\u00e9$/);
  });

  it('counts a result type it does not know under its own name, as a mismatch', async () => {
    let rename = false;
    const { batches, batch } = await canceledBatch((request, response) =>
      rename && isResults(request)
        ? rewriteLines(response, (lines) =>
            lines.map((l) =>
              l
                .replace('"type":"expired"', 'x')
                .replace('"type":"canceled"', '"type":"constructor"'),
            ),
          )
        : response,
    );
    rename = true;
    const summary = await batches.summarizeResults(batch.id);
    expect(summary.counts.constructor).toBe(90);
    expect(summary.mismatches).toEqual([
      { type: 'canceled', expected: 90, actual: 0 },
      { type: 'constructor', expected: 0, actual: 90 },
    ]);
  });

  it('is a NotFoundError before the batch has ended', async () => {
    const { batches } = setup({ rate: 1 });
    const created = await batches.create({ requests: requests(10) });
    await expect(batches.summarizeResults(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
