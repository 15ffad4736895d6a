/**
 * Reads a request body up to `max` bytes. Returns null as soon as it is known
 * to be larger — from `content-length`, or while reading, so an oversized body
 * is never held whole — and cancels the rest.
 */
export async function readBodyLimited(request: Request, max: number): Promise<Uint8Array | null> {
  if (exceedsDeclaredLength(request, max)) return null;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** True when the request declares a body longer than `max`. */
export function exceedsDeclaredLength(request: Request, max: number): boolean {
  const declared = Number(request.headers.get('content-length') ?? '0');
  return Number.isFinite(declared) && declared > max;
}
