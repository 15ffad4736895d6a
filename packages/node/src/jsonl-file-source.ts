import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  InvalidArgumentError,
  type JobRequest,
  type JobSource,
  type JobSourceDescription,
  JobSourceError,
} from '@msgbatch/core';

/** Options of {@link jsonlFileSource}. */
export interface JsonlFileSourceOptions {
  /**
   * Requests between two points of the seek index (default 1,000): `entries(from)`
   * starts reading at most this many requests before `from`. The index holds one
   * point per this many requests, built as the file is read.
   */
  indexEvery?: number | undefined;
  /** Bytes read at a time (default 64 KiB). */
  chunkBytes?: number | undefined;
}

/** One entry of a {@link JobSource}, with the 1-based line of the file it came from. */
export interface JsonlEntry {
  index: number;
  request: JobRequest;
  text: string;
  /** The line number in the file (1-based; blank lines count). */
  line: number;
}

/** The {@link JobSource} {@link jsonlFileSource} returns: its entries also give their line. */
export interface JsonlFileSource extends JobSource {
  entries(from?: number): AsyncIterable<JsonlEntry>;
}

interface IndexPoint {
  /** Request index at this point. */
  index: number;
  /** Byte offset of the line holding that request. */
  offset: number;
  /** Its 1-based line number. */
  line: number;
}

const NEWLINE = 0x0a;
const BOM = '\uFEFF';

/**
 * A re-readable {@link JobSource} over a JSONL file of `{ custom_id, params }` lines,
 * read in constant memory (one chunk and one line at a time), for `createJob` and
 * `resumeJob`.
 *
 * - Blank lines are skipped (they still count as lines for error messages); a UTF-8
 *   byte-order mark and `\r\n` line ends are accepted.
 * - A line that is not a JSON object with a string `custom_id` and an object `params`
 *   is a `JobSourceError` naming its line number (never its params).
 * - `entries(from)` seeks: a sparse index (a byte offset every `indexEvery` requests) is
 *   built as the file is read, so sending a chunk re-reads only that chunk's part of the file.
 * - `describe()` is `{ kind: 'jsonl-file', path, size, mtimeMs }` as the file was when this
 *   source was made; a read of a file that has changed since fails with `JobSourceError`,
 *   and `resumeJob` refuses a source whose description differs from the manifest's.
 *
 * @param path - the JSONL file
 * @param options - `indexEvery`, `chunkBytes`
 * @throws `JobSourceError` when the file cannot be read (missing, a directory)
 * @example
 * const job = await client.messages.batches.createJob(jsonlFileSource('requests.jsonl'), { store: 'jobs' });
 */
export function jsonlFileSource(
  path: string,
  options: JsonlFileSourceOptions = {},
): JsonlFileSource {
  if (typeof path !== 'string' || path === '') {
    throw new InvalidArgumentError('path', 'must be a non-empty file path');
  }
  const indexEvery = options.indexEvery ?? 1000;
  const chunkBytes = options.chunkBytes ?? 1 << 16;
  if (!Number.isInteger(indexEvery) || indexEvery < 1) {
    throw new InvalidArgumentError('indexEvery', `must be an integer >= 1, got ${indexEvery}`);
  }
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) {
    throw new InvalidArgumentError('chunkBytes', `must be an integer >= 1, got ${chunkBytes}`);
  }
  const absolute = resolve(path);
  let size: number;
  let mtimeMs: number;
  try {
    const info = statSync(absolute);
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    size = info.size;
    mtimeMs = info.mtimeMs;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw sourceError(`cannot read ${absolute} (${code})`, {});
  }
  const description: JobSourceDescription = { kind: 'jsonl-file', path: absolute, size, mtimeMs };
  // Sorted by index; the first point is the file's start.
  const points: IndexPoint[] = [{ index: 0, offset: 0, line: 1 }];

  const startFor = (from: number): IndexPoint => {
    let lo = 0;
    let hi = points.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (points[mid]!.index <= from) lo = mid;
      else hi = mid - 1;
    }
    return points[lo]!;
  };

  async function* entries(from = 0): AsyncGenerator<JsonlEntry> {
    if (!Number.isInteger(from) || from < 0) {
      throw new InvalidArgumentError('from', `must be an integer >= 0, got ${from}`);
    }
    const { open } = await import('node:fs/promises');
    const handle = await open(absolute, 'r').catch((error: NodeJS.ErrnoException) => {
      throw sourceError(`cannot read ${absolute} (${error.code ?? 'unreadable'})`, {});
    });
    try {
      const info = await handle.stat();
      if (info.size !== size || info.mtimeMs !== mtimeMs) {
        throw sourceError(
          `${absolute} has changed since the job read it (size ${size} → ${info.size}); a job's requests must not change`,
          {},
        );
      }
      const start = startFor(from);
      let index = start.index;
      let line = start.line;
      let offset = start.offset; // byte offset of the next unread byte
      let lineStart = offset; // byte offset of the line being assembled
      let pending: Buffer[] = [];
      const buffer = Buffer.allocUnsafe(chunkBytes);

      // Returns the entry for one complete line (without its newline), or null for a blank one.
      const take = (bytes: Buffer): JsonlEntry | null => {
        let text = bytes.toString('utf8');
        if (lineStart === 0 && text.startsWith(BOM)) text = text.slice(1);
        text = text.trim();
        const here = line;
        line++;
        if (text === '') return null;
        if (index % indexEvery === 0 && index > points.at(-1)!.index) {
          points.push({ index, offset: lineStart, line: here });
        }
        const request = parseRequest(text, here, index);
        return { index: index++, request, text, line: here };
      };

      while (true) {
        // Never past the size described: bytes appended since are not this job's.
        const want = Math.min(chunkBytes, size - offset);
        if (want <= 0) break;
        const { bytesRead } = await handle.read(buffer, 0, want, offset);
        if (bytesRead === 0) break;
        let at = 0;
        while (at < bytesRead) {
          const nl = buffer.indexOf(NEWLINE, at);
          if (nl === -1 || nl >= bytesRead) {
            pending.push(Buffer.from(buffer.subarray(at, bytesRead)));
            break;
          }
          const piece = buffer.subarray(at, nl);
          const bytes = pending.length > 0 ? Buffer.concat([...pending, piece]) : piece;
          pending = [];
          const entry = take(bytes);
          at = nl + 1;
          lineStart = offset + at;
          if (entry !== null && entry.index >= from) yield entry;
        }
        offset += bytesRead;
      }
      if (pending.length > 0) {
        const entry = take(Buffer.concat(pending));
        pending = [];
        if (entry !== null && entry.index >= from) yield entry;
      }
      if (offset !== size) {
        throw sourceError(
          `${absolute} has changed since the job read it (read ${offset} bytes of ${size}); a job's requests must not change`,
          {},
        );
      }
    } finally {
      await handle.close();
    }
  }

  return {
    rereadable: true,
    entries,
    describe: () => ({ ...description }),
  };
}

/** The request on one line, or a `JobSourceError` naming the line (never its params). */
function parseRequest(text: string, line: number, index: number): JobRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw sourceError(`line ${line} is not valid JSON`, { index });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw sourceError(`line ${line} is not a JSON object of {custom_id, params}`, { index });
  }
  const { custom_id, params } = value as Record<string, unknown>;
  if (typeof custom_id !== 'string') {
    throw sourceError(`line ${line} has no string custom_id`, { index });
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw sourceError(
      `line ${line} (custom_id ${JSON.stringify(custom_id)}) has no object params`,
      {
        index,
        customId: custom_id,
      },
    );
  }
  return value as JobRequest;
}

function sourceError(
  message: string,
  where: { index?: number; customId?: string },
): JobSourceError {
  return new JobSourceError(message, where);
}
