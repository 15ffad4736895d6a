import { failures } from '#failures';
import type { BodyReadOptions } from './body-errors.ts';

// Not streaming, so one decoder serves every body.
const utf8 = new TextDecoder();

/**
 * Reads a whole (JSON) body as text under the same rules as `guardBodyStream`. One timer
 * serves the body: it fires `idleTimeoutMs` after it was set, and is set again for what is
 * left of the limit when a chunk came in the meantime. A timer and a `Promise.race` per
 * read cost a tenth of a cancel round trip's own CPU time (bench/, cancel round trips).
 */
export async function readBodyText(response: Response, options: BodyReadOptions): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  // Decoded once at the end, by the shared decoder: a TextDecoder per body costs a converter each.
  const chunks: Uint8Array[] = [];
  let size = 0;
  let lastChunk = Date.now();
  let stalled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watch = (ms: number) => {
    timer = setTimeout(() => {
      const idle = Date.now() - lastChunk;
      if (idle < options.idleTimeoutMs) return watch(options.idleTimeoutMs - idle);
      stalled = true;
      // Settles the pending read at once, which the loop turns into the stall's error.
      reader.cancel().catch(() => {});
    }, ms);
  };
  watch(options.idleTimeoutMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (stalled) throw 0;
      if (done) return utf8.decode(joinChunks(chunks, size));
      lastChunk = Date.now();
      chunks.push(value);
      size += value.length;
    }
  } catch (error) {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
    const stall = stalled;
    // The error classes' messages load only now: a body read rarely fails.
    const { mapBodyError, stalledBody } = await failures();
    throw mapBodyError(stall ? stalledBody(options) : error, options);
  } finally {
    clearTimeout(timer);
  }
}

function joinChunks(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const joined = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return joined;
}
