import { resolve } from 'node:path';
import {
  type BatchResults,
  compareCounts,
  InvalidArgumentError,
  type MessageBatch,
  type MsgbatchClient,
  ResultsMismatchError,
  totalRequests,
} from '@msgbatch/core';
import { writeAtomically } from './atomic-file.ts';

/** Options of {@link writeResultsFile}. */
export interface WriteResultsFileOptions {
  /** Write only the lines of this result type (`succeeded`, `errored`, `canceled`, `expired`). */
  type?: string | undefined;
  /** Stops the download; the temporary file is removed and nothing is left under `path`. */
  signal?: AbortSignal | undefined;
  /** Called after each line read. `total` is the batch's request count. */
  onProgress?: ((progress: { read: number; written: number; total: number }) => void) | undefined;
  /**
   * The longest results line to hold, in bytes: a longer one ends the download with
   * `LineTooLongError` naming its line. Default 64 MiB; `Infinity` for no limit.
   */
  maxLineBytes?: number | undefined;
}

/** What {@link writeResultsFile} returns. */
export interface WriteResultsFileResult {
  /** The absolute path written. */
  path: string;
  /** Lines written to the file. */
  written: number;
  /** Lines read from the results (all types). */
  read: number;
  /** Lines read per result type. */
  counts: Record<string, number>;
  /** The batch as retrieved before the download. */
  batch: MessageBatch;
}

/**
 * Downloads an ended batch's results to a JSONL file, atomically: the lines go to a
 * temporary file in the same directory, which is synced and renamed to `path` only
 * once every line has arrived and the counts per result type equal the batch's
 * `request_counts`. On any failure or abort the temporary file is removed and the
 * download closed, so `path` never holds half a download (an existing file there is left
 * as it was). The temporary file is created before the download starts, so a missing or
 * read-only directory fails before anything is fetched.
 *
 * Hint: a process killed mid-download cannot remove its temporary file
 * (`.<name>.<pid>.<random>.tmp` beside `path`); the next call for the same `path`
 * removes those whose process no longer runs.
 *
 * A line that is not one valid JSON value with a string `custom_id` and `result.type` (a
 * broken tail, a line cut short) is unreadable, as typed iteration finds it: the file is
 * not written and the call rejects with `ResultsMismatchError` (an `unreadable` mismatch).
 * Lines are read as `JSON.parse` reads them (of duplicate keys, the last wins).
 *
 * @param client - the client to download with
 * @param id - an ended batch's id
 * @param path - where the file goes; replaced if it exists
 * @param options - `type` filter, `signal`, `onProgress`, `maxLineBytes`
 * @returns what was written
 * @throws `ResultsMismatchError` when the lines disagree with `request_counts` or one is
 *   unreadable; `LineTooLongError` for a line longer than `maxLineBytes`;
 *   the API's errors (`NotFoundError` before the batch has ended); `APIUserAbortError`
 * @example
 * await writeResultsFile(client, 'msgbatch_…', 'results.jsonl', { type: 'canceled' });
 */
export async function writeResultsFile(
  client: MsgbatchClient,
  id: string,
  path: string,
  options: WriteResultsFileOptions = {},
): Promise<WriteResultsFileResult> {
  const { type, signal, onProgress, maxLineBytes } = options;
  if (
    maxLineBytes !== undefined &&
    maxLineBytes !== Number.POSITIVE_INFINITY &&
    !(Number.isInteger(maxLineBytes) && maxLineBytes >= 1)
  ) {
    throw new InvalidArgumentError(
      'maxLineBytes',
      `must be an integer >= 1 or Infinity, got ${String(maxLineBytes)}`,
    );
  }
  const target = resolve(path);
  // node:crypto and node:fs/promises load with the first download (before any response
  // is open), not with `@msgbatch/node`, which most programs import only for the client.
  let results: BatchResults | undefined;
  try {
    const written = await writeAtomically(target, async (write) => {
      const batches = client.messages.batches;
      const batch = await batches.retrieve(id, { signal });
      results = await batches.results(id, { signal, maxLineBytes });
      const total = totalRequests(batch);
      const counts: Record<string, number> = Object.create(null);
      let unreadable = 0;
      let read = 0;
      let written = 0;
      for await (const line of results.lines()) {
        read++;
        const lineType = typeOf(line);
        if (lineType === null) unreadable++;
        else counts[lineType] = (counts[lineType] ?? 0) + 1;
        if (type === undefined || lineType === type) {
          await write(`${line}\n`);
          written++;
        }
        onProgress?.({ read, written, total });
      }
      const mismatches = compareCounts(batch, counts, unreadable);
      if (mismatches.length > 0) {
        throw new ResultsMismatchError(id, mismatches, 'downloaded results');
      }
      return { written, read, counts: { ...counts }, batch };
    });
    return { path: target, ...written };
  } catch (error) {
    // The download is closed on every failure path, read or not (a locked body was
    // already cancelled by the loop that held it).
    await (results as BatchResults | undefined)?.response.body?.cancel().catch(() => {});
    throw error;
  }
}

/**
 * The line's `result.type` as typed iteration reads it; null when the line is not one valid
 * JSON value with a string `custom_id` and `result.type`. Every line is parsed: reading
 * only its head let a broken tail pass as a good line.
 */
function typeOf(line: string): string | null {
  try {
    const value = JSON.parse(line);
    const type = value?.result?.type;
    return typeof value?.custom_id === 'string' && typeof type === 'string' ? type : null;
  } catch {
    return null;
  }
}
