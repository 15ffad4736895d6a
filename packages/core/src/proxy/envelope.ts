import type { ErrorType } from '../schemas/error-envelope.ts';

/** A request id for answers the proxy makes itself, so they look like the API's. */
export function proxyRequestId(): string {
  return `proxyreq_${crypto.randomUUID().replaceAll('-', '')}`;
}

/**
 * An answer in the API's error envelope (`{ type: 'error', error: { type, message },
 * request_id }`), so the client maps it to the same typed errors as the API's own.
 * `x-should-retry: false` because none of the proxy's refusals changes on a retry.
 */
export function errorResponse(
  status: number,
  type: ErrorType,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const requestId = proxyRequestId();
  const body = { type: 'error', error: { type, message }, request_id: requestId };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json',
      'request-id': requestId,
      'x-should-retry': 'false',
      'cache-control': 'no-store',
      ...headers,
    },
  });
}
