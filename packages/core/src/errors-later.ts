// Error classes that only code loaded on first use throws (results, waits): apart from
// errors.ts, which every page loads, because bundlers split by module (scripts/size.mjs).
import { MsgbatchError } from './errors.ts';

/** A line of a results stream could not be decoded. The lines before it were delivered. */
export class JSONLDecodeError extends MsgbatchError {
  override name = 'JSONLDecodeError' as const;
  /** 1-based number of the bad line. */
  declare readonly lineNumber: number;
  /** `custom_id` of the last line that decoded, or null when none did. */
  declare readonly lastCustomId: string | null;
  constructor(
    message: string,
    lineNumber: number,
    lastCustomId: string | null,
    options?: { cause?: unknown; requestID?: string | null },
  ) {
    super(
      `${message} (line ${lineNumber}; last good custom_id: ${lastCustomId ?? 'none'})` +
        (options?.requestID ? ` (request id ${options.requestID})` : ''),
      options,
    );
    this.lineNumber = lineNumber;
    this.lastCustomId = lastCustomId;
  }
}

/**
 * A line of a results stream is longer than `maxLineBytes` (64 MiB unless set): reading
 * stopped there rather than hold an ever longer line in memory. The lines before it were
 * delivered. Hint: a real results line is far shorter; raise the limit only for a server
 * you trust.
 */
export class LineTooLongError extends MsgbatchError {
  override name = 'LineTooLongError' as const;
  /** 1-based number of the line that is too long (blank lines counted). */
  declare readonly lineNumber: number;
  /** The limit it passed, in bytes. */
  declare readonly maxLineBytes: number;
  constructor(lineNumber: number, maxLineBytes: number, options?: { requestID?: string | null }) {
    super(
      `Line ${lineNumber} of the results stream is longer than maxLineBytes (${maxLineBytes} bytes); ` +
        'reading stopped there and the lines before it were delivered. Raise maxLineBytes to read it' +
        (options?.requestID ? ` (request id ${options.requestID})` : ''),
      options,
    );
    this.lineNumber = lineNumber;
    this.maxLineBytes = maxLineBytes;
  }
}

/** Waiting for a batch took longer than the caller's `maxWait`. */
export class WaitTimeoutError extends MsgbatchError {
  override name = 'WaitTimeoutError' as const;
  /** The batch's id. */
  declare readonly batchId: string;
  constructor(batchId: string, maxWaitMs: number) {
    super(
      `Batch ${batchId} had not ended after ${maxWaitMs} ms; it goes on processing. Wait again or cancel it.`,
    );
    this.batchId = batchId;
  }
}
