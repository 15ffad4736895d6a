import { errorResponse, invalidRequest } from './errors.ts';
import type { ResolvedOptions } from './options.ts';
import { WORKSPACE_HEADER } from './workspaces.ts';

/** API versions the emulator accepts in `anthropic-version`. */
export const ACCEPTED_VERSIONS: readonly string[] = ['2023-06-01', '2026-10-21'];

const BROWSER_HEADER = 'anthropic-dangerous-direct-browser-access';

/** Refuses a browser request (one with `Origin`) that did not opt in, as the API does (401). */
export function checkBrowser(
  request: Request,
  options: ResolvedOptions,
  requestId: string,
): Response | undefined {
  if (options.browserAccess === 'open' || !request.headers.has('origin')) return undefined;
  if (request.headers.get(BROWSER_HEADER)?.toLowerCase() === 'true') return undefined;
  return errorResponse(
    401,
    'authentication_error',
    `CORS requests must set '${BROWSER_HEADER}' header`,
    requestId,
  );
}

/** The request's credential: `x-api-key` first, else the token of `Authorization: Bearer`. */
export function credentialOf(request: Request): string | undefined {
  const key = request.headers.get('x-api-key');
  if (key) return key;
  const authorization = request.headers.get('authorization');
  return authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() || undefined;
}

/**
 * Checks the credential: `x-api-key` first, else `Authorization: Bearer <token>`.
 * Without `apiKeys` any non-empty credential passes.
 */
export function checkAuth(
  request: Request,
  options: ResolvedOptions,
  requestId: string,
): Response | undefined {
  const credential = credentialOf(request);
  if (credential === undefined) {
    return errorResponse(401, 'authentication_error', 'x-api-key header is required', requestId);
  }
  if (!options.apiKeys || options.apiKeys.has(credential)) return undefined;
  const message = request.headers.get('x-api-key') ? 'invalid x-api-key' : 'Invalid bearer token';
  return errorResponse(401, 'authentication_error', message, requestId);
}

/** Requires a known `anthropic-version`. */
export function checkVersion(request: Request, requestId: string): Response | undefined {
  const version = request.headers.get('anthropic-version');
  if (version === null) return invalidRequest('anthropic-version: header is required', requestId);
  if (!ACCEPTED_VERSIONS.includes(version)) {
    return invalidRequest(`anthropic-version: "${version}" is not a valid version`, requestId);
  }
  return undefined;
}

/**
 * Refuses `anthropic-beta` values outside the accepted set with the API's 400 (documented
 * error handling of betas): the header is a comma-separated list and may be repeated.
 */
export function checkBetas(
  request: Request,
  options: ResolvedOptions,
  requestId: string,
): Response | undefined {
  const header = request.headers.get('anthropic-beta');
  if (header === null || options.betas === 'any') return undefined;
  const accepted = options.betas;
  const unknown = header
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '' && !accepted.has(value));
  if (unknown.length === 0) return undefined;
  const values = unknown.map((value) => `\`${value}\``).join(', ');
  return invalidRequest(
    `Unexpected value(s) ${values} for the \`anthropic-beta\` header. Please consult our documentation at platform.claude.com/docs or try again without the header.`,
    requestId,
  );
}

/** Answers a CORS preflight permissively (any origin, the methods and headers the API uses). */
export function preflight(request: Request): Response {
  const headers = new Headers({
    'access-control-allow-origin': request.headers.get('origin') ?? '*',
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    'access-control-allow-headers':
      request.headers.get('access-control-request-headers') ??
      `x-api-key, authorization, anthropic-version, anthropic-beta, ${WORKSPACE_HEADER}, content-type, ${BROWSER_HEADER}`,
    'access-control-max-age': '86400',
    vary: 'origin',
  });
  return new Response(null, { status: 204, headers });
}

/**
 * Lets a browser read any response: allow its origin and expose what clients read (the ids,
 * including the workspace the official SDK puts on its errors, and the retry hints).
 */
export function addCorsHeaders(request: Request, headers: Headers): void {
  const origin = request.headers.get('origin');
  if (!origin) return;
  headers.set('access-control-allow-origin', origin);
  headers.set(
    'access-control-expose-headers',
    `request-id, ${WORKSPACE_HEADER}, retry-after, x-should-retry`,
  );
  headers.append('vary', 'origin');
}

/** A fixed one-minute window counter on the emulator clock. */
export class RateLimiter {
  #windowStart = Number.NEGATIVE_INFINITY;
  #used = 0;
  constructor(readonly limit: number) {}

  /** Counts one request at `nowMs`; says whether it fits and the headers to send. */
  take(nowMs: number): { allowed: boolean; headers: Record<string, string> } {
    if (nowMs >= this.#windowStart + 60_000) {
      this.#windowStart = nowMs;
      this.#used = 0;
    }
    const allowed = this.#used < this.limit;
    if (allowed) this.#used++;
    const resetMs = this.#windowStart + 60_000;
    const headers: Record<string, string> = {
      'anthropic-ratelimit-requests-limit': String(this.limit),
      'anthropic-ratelimit-requests-remaining': String(this.limit - this.#used),
      'anthropic-ratelimit-requests-reset': new Date(resetMs).toISOString().replace('.000Z', 'Z'),
    };
    if (!allowed) headers['retry-after'] = String(Math.max(1, Math.ceil((resetMs - nowMs) / 1000)));
    return { allowed, headers };
  }

  /** Starts a fresh window. */
  reset(): void {
    this.#windowStart = Number.NEGATIVE_INFINITY;
    this.#used = 0;
  }
}
