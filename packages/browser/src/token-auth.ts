import { type AuthProvider, MsgbatchError } from '@msgbatch/core/client';

/** Where a page gets its token: usually a `fetch` to your backend, which mints it. */
export type GetToken = () => Promise<string> | string;

/** Options of {@link createTokenAuth}. */
export interface TokenAuthOptions {
  /**
   * How long before `exp` a cached token is replaced, in seconds. Default 30
   * (at most half the token's lifetime), so a request never leaves with a token
   * about to expire in flight.
   */
  refreshMarginSeconds?: number | undefined;
  /** Time source in ms since the epoch; default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * Turns `getToken()` into core's auth provider: the token is sent as
 * `Authorization: Bearer …`, cached until shortly before its `exp`, and after a
 * 401 fetched anew once so that core retries the request once. Concurrent calls
 * share one `getToken()` call.
 *
 * The page cannot verify the token (it does not hold the key): its payload is
 * only read for `exp`. The proxy verifies it.
 */
export function createTokenAuth(getToken: GetToken, options: TokenAuthOptions = {}): AuthProvider {
  const now = options.now ?? Date.now;
  const marginMs = (options.refreshMarginSeconds ?? 30) * 1000;
  let cached: { token: string; freshUntil: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = (): Promise<string> => {
    pending ??= (async () => {
      try {
        const token = await getToken();
        if (typeof token !== 'string' || token.length === 0) {
          throw new MsgbatchError('getToken() must resolve to a token string.');
        }
        cached = { token, freshUntil: freshUntil(token, marginMs) };
        return token;
      } catch (error) {
        cached = undefined;
        if (error instanceof MsgbatchError) throw error;
        throw new MsgbatchError(`getToken() failed: ${describe(error)}`, { cause: error });
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };

  return {
    async headers() {
      const token = cached && now() < cached.freshUntil ? cached.token : await fetchToken();
      return { authorization: `Bearer ${token}` };
    },
    async onUnauthorized() {
      cached = undefined;
      await fetchToken();
      return true;
    },
    secrets: () => (cached ? [cached.token] : []),
  };
}

/** Until when a token may be reused: `exp` minus the margin (capped at half its lifetime); 0 when unknown. */
function freshUntil(token: string, marginMs: number): number {
  const claims = decodePayload(token);
  if (typeof claims?.exp !== 'number') return 0;
  const expMs = claims.exp * 1000;
  const lifetime = typeof claims.iat === 'number' ? expMs - claims.iat * 1000 : Infinity;
  return expMs - Math.min(marginMs, lifetime / 2);
}

/**
 * The JWT payload, unverified; null when the token is not a JWT. Decoded as Latin-1, not
 * UTF-8: only the numbers `exp` and `iat` are read, and a multi-byte character of another
 * claim only turns into other characters of a string JSON still parses.
 */
function decodePayload(token: string): { exp?: unknown; iat?: unknown } | null {
  try {
    return JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
