import { resolve } from 'node:path';
import {
  InvalidArgumentError,
  type JobManifest,
  type JobStore,
  jobResults,
  loadJobManifest,
  type MsgbatchClient,
  ResultsMismatchError,
} from '@msgbatch/core';
import { writeAtomically } from './atomic-file.ts';
import { FileJobStore } from './file-job-store.ts';

/** Options of {@link writeJobResultsFile}. */
export interface WriteJobResultsFileOptions {
  /** Where the job's manifest is kept: a {@link JobStore}, or a directory (a {@link FileJobStore}). */
  store: JobStore | string;
  /** Write only the lines of this result type (`succeeded`, `errored`, `canceled`, `expired`). */
  type?: string | undefined;
  /** Stops the download; the temporary file is removed and nothing is left under `path`. */
  signal?: AbortSignal | undefined;
  /** Called after each line read, with the batch it came from. */
  onProgress?: ((progress: { read: number; written: number; batchId: string }) => void) | undefined;
}

/** What {@link writeJobResultsFile} returns. */
export interface WriteJobResultsFileResult {
  /** The absolute path written. */
  path: string;
  /** Lines written to the file. */
  written: number;
  /** Lines read from every batch's results (all types). */
  read: number;
  /** Lines read per result type. */
  counts: Record<string, number>;
  /** Lines read per batch, in chunk order. */
  batches: { batchId: string; lines: number }[];
}

/**
 * Writes the results of every batch of a job to one JSONL file, atomically: each line
 * is a results line with the `batch_id` it came from, in chunk order, read with
 * `jobResults` (streamed, constant memory). The lines go to a temporary file beside
 * `path`, which is synced and renamed to `path` only once every batch's results have
 * been read and each batch gave one line per request of its chunk; on any failure or abort the download is closed and the temporary file
 * removed, so `path` never holds part of a job (an existing file there is left as it
 * was). A temporary file a killed process left is removed by the next call for the same `path`.
 *
 * @param client - the client to download with
 * @param job - the job's id, or its manifest
 * @param path - where the file goes; replaced if it exists
 * @param options - `store` (required), `type`, `signal`, `onProgress`
 * @returns what was written
 * @throws `JobNotFoundError`, `JobStateError` (a batch not created or not ended),
 *   `ResultsMismatchError` (a batch's lines are fewer or more than its requests), the
 *   errors of `jobResults`, `APIUserAbortError`
 * @example
 * await writeJobResultsFile(client, 'requests', 'results.jsonl', { store: FileJobStore.forPath('requests.job.json') });
 */
export async function writeJobResultsFile(
  client: MsgbatchClient,
  job: string | JobManifest,
  path: string,
  options: WriteJobResultsFileOptions,
): Promise<WriteJobResultsFileResult> {
  const { type, signal, onProgress } = options ?? ({} as WriteJobResultsFileOptions);
  const store = toJobStore(options?.store);
  if (typeof path !== 'string' || path === '') {
    throw new InvalidArgumentError('path', 'must be a non-empty file path');
  }
  const target = resolve(path);
  const written = await writeAtomically(target, async (write) => {
    const counts: Record<string, number> = Object.create(null);
    const batches: { batchId: string; lines: number }[] = [];
    let read = 0;
    let written = 0;
    const manifest = typeof job === 'string' ? await loadJobManifest(store, job) : job;
    // for-await closes the iterator (and with it the open results body) when this loop throws.
    for await (const line of jobResults(client.transport, manifest, { store, signal })) {
      read++;
      const batchId = line.batch_id;
      const last = batches.at(-1);
      if (last !== undefined && last.batchId === batchId) last.lines++;
      else batches.push({ batchId, lines: 1 });
      const lineType = line.result.type;
      counts[lineType] = (counts[lineType] ?? 0) + 1;
      if (type === undefined || lineType === type) {
        await write(`${JSON.stringify(line)}\n`);
        written++;
      }
      onProgress?.({ read, written, batchId });
    }
    // Every batch gave one line per request of its chunk: a download cut short without an
    // error (or a batch with no lines at all) is not written.
    for (const chunk of manifest.chunks) {
      const lines = batches.find((b) => b.batchId === chunk.batchId)?.lines ?? 0;
      if (lines !== chunk.count) {
        throw new ResultsMismatchError(
          chunk.batchId ?? `(chunk ${chunk.index})`,
          [{ type: 'total', expected: chunk.count, actual: lines }],
          'downloaded results',
        );
      }
    }
    return { written, read, counts: { ...counts }, batches };
  });
  return { path: target, ...written };
}

/**
 * A job store option as given: a {@link JobStore}, or a directory path for a {@link FileJobStore}.
 * @throws `InvalidArgumentError` when it is neither
 */
export function toJobStore(store: JobStore | string | undefined): JobStore {
  if (typeof store === 'string') return new FileJobStore(store);
  if (
    typeof store !== 'object' ||
    store === null ||
    typeof store.load !== 'function' ||
    typeof store.save !== 'function'
  ) {
    throw new InvalidArgumentError(
      'store',
      'is required: a JobStore (load, save) or a directory for a FileJobStore',
    );
  }
  return store;
}
