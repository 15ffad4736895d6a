import { InvalidArgumentError } from '../errors.ts';
import { errorResponse } from './envelope.ts';

/** Which origins may call the proxy from a page: exact origins, or a predicate. */
export type AllowedOrigins = readonly string[] | ((origin: string) => boolean);

/**
 * The only request headers the browser client sends besides CORS-safelisted ones:
 * the token, the JSON body type of create, and the API version core always sets.
 */
export const ALLOWED_REQUEST_HEADERS = ['authorization', 'content-type', 'anthropic-version'];
const ALLOWED_METHODS = ['GET', 'POST', 'DELETE'];
/** Response headers the client reads: the request id and the retry hints. */
const EXPOSED_HEADERS = 'request-id, retry-after, retry-after-ms, x-should-retry';

/** The CORS side of the proxy, bound to its allow-list. */
export interface CorsPolicy {
  /** True when the request carries no `Origin` (not a browser) or an allowed one. */
  permits(origin: string | null): boolean;
  /** Headers to add to an answer for this origin (none for a missing or foreign one). */
  headers(origin: string | null): Record<string, string>;
  /** The answer to a preflight from an allowed origin. */
  preflight(request: Request, origin: string): Response;
}

/** Builds the CORS policy; each allowed origin must be a bare origin such as `https://app.example`. */
export function createCorsPolicy(allowedOrigins: AllowedOrigins): CorsPolicy {
  const allows = toPredicate(allowedOrigins);
  const headers = (origin: string | null): Record<string, string> =>
    origin !== null && allows(origin)
      ? {
          'access-control-allow-origin': origin,
          'access-control-expose-headers': EXPOSED_HEADERS,
          vary: 'Origin',
        }
      : { vary: 'Origin' };
  return {
    permits: (origin) => origin === null || allows(origin),
    headers,
    preflight(request, origin) {
      const method = request.headers.get('access-control-request-method') ?? '';
      const asked = (request.headers.get('access-control-request-headers') ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean);
      const extra = asked.filter((h) => !ALLOWED_REQUEST_HEADERS.includes(h));
      if (!ALLOWED_METHODS.includes(method) || extra.length > 0) {
        // No allow headers: the browser stops here, and the body says why in the dev tools.
        return errorResponse(
          403,
          'permission_error',
          `Preflight refused: the proxy allows methods ${ALLOWED_METHODS.join(', ')} and headers ${ALLOWED_REQUEST_HEADERS.join(', ')}.`,
          { vary: 'Origin' },
        );
      }
      return new Response(null, {
        status: 204,
        headers: {
          ...headers(origin),
          'access-control-allow-methods': ALLOWED_METHODS.join(', '),
          'access-control-allow-headers': ALLOWED_REQUEST_HEADERS.join(', '),
          'access-control-max-age': '600',
        },
      });
    },
  };
}

function toPredicate(allowedOrigins: AllowedOrigins): (origin: string) => boolean {
  if (typeof allowedOrigins === 'function') return allowedOrigins;
  if (!Array.isArray(allowedOrigins)) {
    throw new InvalidArgumentError('allowedOrigins', 'must be a list of origins or a function');
  }
  const set = new Set(
    allowedOrigins.map((entry) => {
      let origin: string | undefined;
      try {
        origin = new URL(entry).origin;
      } catch {}
      // An origin with a path or a wildcard is almost always a mistake that would allow nothing.
      if (!origin || origin === 'null' || origin !== entry.replace(/\/$/, '')) {
        throw new InvalidArgumentError(
          'allowedOrigins',
          `"${entry}" is not an origin; write it as scheme://host[:port], e.g. https://app.example.com`,
        );
      }
      return origin;
    }),
  );
  return (origin) => set.has(origin);
}
