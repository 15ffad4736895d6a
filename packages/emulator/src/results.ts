import { processedResult } from './outcomes.ts';
import type { BatchRecord, Timeline } from './processing.ts';
import { createRandom, shuffledIndexes } from './random.ts';

/** Target size of one streamed chunk. */
const CHUNK_BYTES = 64 * 1024;

/** The `{ custom_id, result }` line of request `index`, as an object. */
export function resultLine(record: BatchRecord, index: number, timeline: Timeline, seed: string) {
  const request = record.requests[index]!;
  const result =
    index < timeline.processed
      ? processedResult(request, record.decisions[index]!, { seed, batchId: record.id, index })
      : { type: timeline.remainder };
  return { custom_id: request.custom_id, result };
}

/** The order lines are served in: a permutation fixed by the seed and the batch id. */
export const resultOrder = (record: BatchRecord, seed: string): Uint32Array =>
  shuffledIndexes(record.requests.length, createRandom(seed, 'results', record.id));

/**
 * Streams a batch's results as JSONL: one line per request, shuffled
 * deterministically, each line ended by `\n` (so a final newline, as in the 2026
 * recordings) and no blank lines. Lines are rendered on demand in ~64 KB chunks, so
 * memory stays bounded whatever the batch size.
 */
export function resultsStream(
  record: BatchRecord,
  timeline: Timeline,
  seed: string,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let order: Uint32Array | undefined;
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        order ??= resultOrder(record, seed);
        let text = '';
        while (next < order.length && text.length < CHUNK_BYTES) {
          text += `${JSON.stringify(resultLine(record, order[next]!, timeline, seed))}\n`;
          next++;
        }
        if (text) controller.enqueue(encoder.encode(text));
        if (next >= order.length) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}
