/** Builds the API's error envelope, keys in the API's order. */
export function errorBody(type: string, message: string, requestId: string | null) {
  return { type: 'error', error: { type, message }, request_id: requestId };
}

/** A JSON response with `content-type: application/json`. */
export function jsonResponse(status: number, body: unknown, headers?: HeadersInit): Response {
  const response = new Response(JSON.stringify(body), { status, headers });
  response.headers.set('content-type', 'application/json');
  return response;
}

/**
 * An error response as the API sends it: the envelope with `request_id`, and
 * `x-should-retry: false` on every 4xx except 429 (a rate limit is worth retrying).
 */
export function errorResponse(
  status: number,
  type: string,
  message: string,
  requestId: string,
  headers?: HeadersInit,
): Response {
  const response = jsonResponse(status, errorBody(type, message, requestId), headers);
  if (status >= 400 && status < 500 && status !== 429) {
    response.headers.set('x-should-retry', 'false');
  }
  return response;
}

/** The 404 for an id the store does not hold (never created, or deleted). */
export const notFound = (id: string, requestId: string) =>
  errorResponse(404, 'not_found_error', `Message Batch ${id} not found.`, requestId);

/** A 400 `invalid_request_error`. */
export const invalidRequest = (message: string, requestId: string) =>
  errorResponse(400, 'invalid_request_error', message, requestId);

/** Marks a response as the edge's (no API headers are added to it); removed before sending. */
export const EDGE_HEADER = 'x-msgbatch-emulator-edge';

/**
 * The 413 of the size limit, enforced in front of the API: as recorded, the body is only
 * `{"error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}` —
 * no top-level `type`, no `request_id` — and no `request-id` header.
 */
export function requestTooLarge(): Response {
  return jsonResponse(
    413,
    { error: { type: 'request_too_large', message: 'Request exceeds the maximum size' } },
    { [EDGE_HEADER]: '1' },
  );
}
