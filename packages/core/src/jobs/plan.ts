import * as v from 'valibot';
import { BatchRequestSchema, CUSTOM_ID_PATTERN } from '../schemas/create-params.ts';
import { JobSourceError } from './errors.ts';
import { IdSet } from './id-set.ts';
import type { JobRequest, JobSource, JobSourceEntry } from './types.ts';

/** `{"requests":[` and `]}`: the bytes of a create body around its requests. */
export const ENVELOPE_BYTES = '{"requests":['.length + ']}'.length;

/** How a job is split. */
export interface JobLimits {
  /** Most requests per batch. */
  requests: number;
  /** Most create-body bytes per batch. */
  bytes: number;
}

/** A chunk as checking closes it: its range, size and ids' hash (and texts for a one-shot source). */
export interface PlannedChunk {
  first: number;
  count: number;
  bytes: number;
  idsHash: string;
  texts?: string[] | undefined;
}

/** Confirms that request `earlier` has the custom_id `id` (a 64-bit hash matched). */
export type ConfirmRepeat = (earlier: number, id: string) => Promise<boolean>;

/**
 * Checks requests in order with create's per-request rules and `custom_id` unique across the
 * job, and closes chunks by count and by body bytes. One instance per pass over a source.
 */
export class Planner {
  readonly #limits: JobLimits;
  readonly #ids: IdSet;
  readonly #keepTexts: boolean;
  readonly #confirm: ConfirmRepeat;
  /** Ids whose 64-bit hash matched another id's: kept exactly (rare). */
  readonly #collided = new Set<string>();
  #next = 0;
  #first = 0;
  #bytes = ENVELOPE_BYTES;
  #chunkIds: string[] = [];
  #texts: string[] = [];
  /** When set, the current chunk closes at exactly this count (replaying a known chunk). */
  forcedCount: number | undefined;

  constructor(limits: JobLimits, keepTexts: boolean, confirm: ConfirmRepeat, expected?: number) {
    this.#limits = limits;
    this.#keepTexts = keepTexts;
    this.#confirm = confirm;
    this.#ids = new IdSet(expected);
  }

  /** Requests checked so far. */
  get requests(): number {
    return this.#next;
  }

  /**
   * Checks one entry. Returns the chunk it closed (the entry then starts the next one).
   * @throws `JobSourceError` naming the request's index and custom_id, never its params
   */
  async add(entry: {
    index: number;
    request: unknown;
    text?: string | undefined;
  }): Promise<PlannedChunk | undefined> {
    const index = this.#next;
    if (entry.index !== index) {
      throw new JobSourceError(
        `The source gave request ${entry.index} where request ${index} was expected.`,
        { index },
      );
    }
    const request = checkRequest(entry.request, index);
    const id = request.custom_id;
    const text = entry.text ?? JSON.stringify(request);
    const bytes = utf8Bytes(text);
    if (ENVELOPE_BYTES + bytes > this.#limits.bytes) {
      throw new JobSourceError(
        `Request ${index} (custom_id "${id}") is ${bytes} bytes as JSON; a batch may hold at most ${this.#limits.bytes - ENVELOPE_BYTES} bytes of requests.`,
        { index, customId: id },
      );
    }
    await this.#unique(id, index);
    let closed: PlannedChunk | undefined;
    const count = this.#chunkIds.length;
    if (
      count > 0 &&
      (this.forcedCount !== undefined
        ? count >= this.forcedCount
        : count >= this.#limits.requests || this.#bytes + 1 + bytes > this.#limits.bytes)
    ) {
      closed = await this.#close();
    }
    this.#bytes += (this.#chunkIds.length > 0 ? 1 : 0) + bytes;
    this.#chunkIds.push(id);
    if (this.#keepTexts) this.#texts.push(text);
    this.#next++;
    return closed;
  }

  /** Closes the last chunk, if it holds any request. */
  async finish(): Promise<PlannedChunk | undefined> {
    return this.#chunkIds.length > 0 ? this.#close() : undefined;
  }

  async #unique(id: string, index: number): Promise<void> {
    const earlier = this.#ids.add(id, index);
    if (earlier === undefined) return;
    const inChunk = earlier >= this.#first ? this.#chunkIds[earlier - this.#first] : undefined;
    const same =
      this.#collided.has(id) ||
      (inChunk !== undefined ? inChunk === id : await this.#confirm(earlier, id));
    if (same) {
      throw new JobSourceError(
        `custom_id "${id}" of request ${index} is already used by request ${earlier}; custom_ids must be unique across the whole job.`,
        { index, customId: id },
      );
    }
    this.#collided.add(id);
  }

  async #close(): Promise<PlannedChunk> {
    const chunk: PlannedChunk = {
      first: this.#first,
      count: this.#chunkIds.length,
      bytes: this.#bytes,
      idsHash: await idsHash(this.#chunkIds),
      ...(this.#keepTexts ? { texts: this.#texts } : {}),
    };
    this.#first += chunk.count;
    this.#bytes = ENVELOPE_BYTES;
    this.#chunkIds = [];
    this.#texts = [];
    this.forcedCount = undefined;
    return chunk;
  }
}

/** Create's per-request rules (the create schema's request check), as a `JobSourceError`. */
export function checkRequest(request: unknown, index: number): JobRequest {
  const parsed = v.safeParse(BatchRequestSchema, request);
  if (parsed.success) return request as JobRequest;
  const id = (request as { custom_id?: unknown } | null)?.custom_id;
  // Quoted only when it passes the rule: anything else could be anything (never the params).
  const customId = typeof id === 'string' && CUSTOM_ID_PATTERN.test(id) ? id : undefined;
  const issue = parsed.issues[0];
  const path = v.getDotPath(issue);
  throw new JobSourceError(
    `Request ${index}${customId ? ` (custom_id "${customId}")` : ''}: ${path ? `${path}: ` : ''}${issue.message}`,
    { index, customId },
  );
}

/**
 * The hash a chunk is known by: SHA-256 (hex) of its custom_ids, sorted (by UTF-16 code units)
 * and joined by `\n`, so that a batch's results, which come in any order, hash the same.
 */
export async function idsHash(ids: readonly string[]): Promise<string> {
  const bytes = new TextEncoder().encode([...ids].sort().join('\n'));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** The UTF-8 size of a string, without encoding it. */
export function utf8Bytes(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: 4 bytes for 2 units.
      bytes += 2;
      i++;
    } else bytes += 2; // 3 bytes (a lone surrogate is encoded as U+FFFD, 3 bytes too)
  }
  return bytes;
}

/** A plain (async) iterable of requests as a one-shot {@link JobSource}. */
export function toJobSource(
  source: JobSource | Iterable<JobRequest> | AsyncIterable<JobRequest>,
): JobSource {
  if (isJobSource(source)) return source;
  let used = false;
  return {
    rereadable: false,
    describe: () => ({ kind: 'iterable' }),
    async *entries(from = 0) {
      if (used) throw new JobSourceError('This one-shot source of requests was already read.');
      used = true;
      let index = 0;
      for await (const request of source) {
        // The text is made once the request is checked (the planner stringifies it).
        if (index >= from) yield { index, request, text: undefined } as unknown as JobSourceEntry;
        index++;
      }
    },
  };
}

/** True for a {@link JobSource} (rather than a plain iterable of requests). */
export function isJobSource(value: unknown): value is JobSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as JobSource).entries === 'function' &&
    typeof (value as JobSource).describe === 'function'
  );
}

const encoder = new TextEncoder();
/** About how many bytes each pull of a body stream encodes. */
const PIECE_BYTES = 64 * 1024;

/**
 * A chunk's create body as a stream: `{"requests":[`, the texts joined by `,`, `]}`, encoded
 * about 64 KB at a time as the stream is read. `check` runs when every text has been given
 * and before the closing bytes: an error there (the source changed) errors the stream, so the
 * body never completes.
 */
export function chunkBodyStream(
  texts: AsyncIterator<string> | Iterator<string>,
  check?: () => Promise<void>,
): ReadableStream<Uint8Array> {
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let piece = started ? '' : '{"requests":[';
        let first = !started;
        started = true;
        while (piece.length < PIECE_BYTES) {
          const next = await texts.next();
          if (next.done) {
            await check?.();
            piece += ']}';
            done = true;
            break;
          }
          piece += (first ? '' : ',') + next.value;
          first = false;
        }
        controller.enqueue(encoder.encode(piece));
        if (done) controller.close();
      },
      async cancel() {
        await texts.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
