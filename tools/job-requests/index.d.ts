/** One batch request as a job reads it. */
export interface JobRequestLine {
  custom_id: string;
  params: Record<string, unknown>;
}

/**
 * `tiny`: ~120 bytes a line (a one-line question), for kill-and-resume runs.
 * `realistic`: a system prompt, one to five turns and sometimes tools or metadata, a few
 * hundred bytes to a few KB of params each (median ~1 KB), for memory figures.
 */
export type JobRequestKind = 'tiny' | 'realistic';

/** The `custom_id` of request `index`: `<prefix>-` + the index padded to 7 digits. */
export declare function jobRequestId(index: number, prefix?: string): string;

/** Request `index` of a generated file; the same arguments always give the same request. */
export declare function jobRequest(
  index: number,
  options?: { kind?: JobRequestKind; prefix?: string; seed?: number },
): JobRequestLine;

/**
 * Writes `count` requests as JSONL (one per line, final newline) to `path`, streaming
 * (constant memory, with backpressure). Resolves with the bytes written.
 */
export declare function writeJobRequests(
  path: string,
  count: number,
  options?: { kind?: JobRequestKind; prefix?: string; seed?: number },
): Promise<{ count: number; bytes: number }>;
