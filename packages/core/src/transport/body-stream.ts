import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from '../errors.ts';

/** What a body reader needs to fail well: the idle limit, the request id, the caller's signal. */
export interface BodyReadOptions {
  idleTimeoutMs: number;
  requestID: string | null;
  signal?: AbortSignal | undefined;
}

/** The typed error for a body that failed mid-read: the caller's abort, a stall, or a lost connection. */
export function mapBodyError(error: unknown, { requestID, signal }: BodyReadOptions) {
  if (error instanceof APIConnectionError) return error;
  if (signal?.aborted) return new APIUserAbortError(undefined, { cause: error });
  return new APIConnectionError(
    `The connection failed while reading the response body${requestID ? ` (request id ${requestID})` : ''}; what was delivered before is intact.`,
    { cause: error, requestID },
  );
}

/** The error of a body that sent nothing for `idleTimeoutMs`. */
export function stalledBody({ idleTimeoutMs, requestID }: BodyReadOptions) {
  return new APIConnectionTimeoutError(
    `No data arrived for ${idleTimeoutMs} ms while reading the response body; the stream was closed. Retry, or raise idleTimeout.`,
    { requestID },
  );
}

/**
 * Reads a whole (JSON) body as text under the same rules as `guardBodyStream`, with a
 * timer per read: these bodies come in a few chunks, so the single re-armed timer of a
 * streamed body (guard-body-stream.ts) would only add bytes to every page that cancels.
 */
export async function readBodyText(response: Response, options: BodyReadOptions): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (;;) {
      const { done, value } = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(stalledBody(options)), options.idleTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
    throw mapBodyError(error, options);
  }
}
