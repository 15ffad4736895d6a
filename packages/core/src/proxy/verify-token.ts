import type * as Jose from 'jose';
import { InvalidArgumentError } from '../errors.ts';
import { type Ed25519Key, type ResolvedKey, resolveKey, type TokenSecret } from './keys.ts';
import { MAX_TOKEN_TTL_SECONDS } from './mint-token.ts';
import { BROWSER_TOKEN_TYPE, type BrowserTokenScope, isBrowserTokenScope } from './scopes.ts';

/** How the proxy checks tokens: `secret` for HS256 tokens or `publicKey` for EdDSA ones, not both. */
export interface VerifyOptions {
  /** The secret the tokens were minted with (HS256). */
  secret?: TokenSecret | undefined;
  /** The public half of the minting key (EdDSA). */
  publicKey?: Ed25519Key | undefined;
  /** When set, the token's `iss` must equal it. */
  issuer?: string | undefined;
  /** When set, the token's `aud` must contain it. */
  audience?: string | undefined;
  /** Leeway for `exp`, `nbf` and `iat`, in seconds, for clocks that drift. Default 0. */
  clockToleranceSeconds?: number | undefined;
  /**
   * Oldest token accepted, in seconds since its `iat`; also the longest lifetime
   * (`exp - iat`) accepted. Default 3600, the longest `mintBrowserToken` mints. A token
   * without `iat`, or with an `iat` in the future beyond `clockToleranceSeconds`, is refused.
   */
  maxTokenAge?: number | undefined;
}

/** What a valid token grants. */
export interface BrowserTokenClaims {
  /** The user the token was minted for. */
  subject: string;
  /** The known scopes it carries (unknown ones are ignored). */
  scopes: ReadonlySet<BrowserTokenScope>;
  /** The batches it is restricted to, or null for any batch. */
  batchIds: ReadonlySet<string> | null;
  /** Expiry, in seconds since the epoch. */
  expiresAt: number;
}

/** Why a token was refused; the message is safe to show the caller. */
export class TokenRejectedError extends Error {
  override name = 'TokenRejectedError' as const;
}

/** A verifier bound to one key; the key is imported once, on first use. */
export type TokenVerifier = (token: string, nowMs: number) => Promise<BrowserTokenClaims>;

/**
 * Builds the verifier the proxy uses. The accepted algorithm follows from the
 * configured key (HS256 for a secret, EdDSA for a public key) and is the only
 * one allowed, so `alg: none` and tokens signed with another algorithm (the
 * classic public-key-as-HMAC-secret confusion) fail before any signature check.
 */
export function createTokenVerifier(options: VerifyOptions): TokenVerifier {
  const maxTokenAge = options.maxTokenAge ?? MAX_TOKEN_TTL_SECONDS;
  if (!(Number.isFinite(maxTokenAge) && maxTokenAge > 0)) {
    throw new InvalidArgumentError(
      'verify.maxTokenAge',
      `must be a number of seconds > 0, got ${String(maxTokenAge)}`,
    );
  }
  const tolerance = options.clockToleranceSeconds ?? 0;
  let resolved: Promise<ResolvedKey> | undefined;
  // jose is loaded with the first token rather than with the module (see keys.ts).
  let jose: Promise<typeof Jose> | undefined;
  return async (token, nowMs) => {
    resolved ??= resolveKey('verify', options.secret, options.publicKey, 'verify');
    const { alg, key } = await resolved;
    jose ??= import('jose');
    const { errors, jwtVerify } = await jose;
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: [alg],
        typ: BROWSER_TOKEN_TYPE,
        issuer: options.issuer,
        audience: options.audience,
        currentDate: new Date(nowMs),
        clockTolerance: tolerance,
        // Also refuses an `iat` in the future (beyond the tolerance) and a missing one.
        maxTokenAge,
        requiredClaims: ['sub', 'exp', 'scope', 'iat'],
      }));
    } catch (error) {
      throw new TokenRejectedError(describeFailure(error, errors));
    }
    // A token minted to live longer than any this proxy accepts is refused outright,
    // not only once it has aged.
    if ((payload.exp as number) - (payload.iat as number) > maxTokenAge + tolerance) {
      throw new TokenRejectedError('The token lives longer than this proxy accepts.');
    }
    return claimsOf(payload);
  };
}

function claimsOf(payload: Record<string, unknown>): BrowserTokenClaims {
  const { sub, scope, exp, batch_ids: ids } = payload;
  if (typeof sub !== 'string' || typeof scope !== 'string' || typeof exp !== 'number') {
    throw new TokenRejectedError('The token is malformed.');
  }
  if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => typeof id === 'string'))) {
    throw new TokenRejectedError('The token is malformed.');
  }
  return {
    subject: sub,
    scopes: new Set(scope.split(' ').filter(isBrowserTokenScope)),
    batchIds: ids === undefined ? null : new Set(ids as string[]),
    expiresAt: exp,
  };
}

/** A short reason for the 401: enough for the page to know it should get a new token. */
function describeFailure(error: unknown, joseErrors: typeof Jose.errors): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'The token is not valid yet.';
    if (error.claim === 'iat') return 'The token was issued in the future; check the clocks.';
    if (error.claim === 'iss' || error.claim === 'aud')
      return 'The token was not issued for this proxy.';
    return 'The token is missing a required claim.';
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed)
    return 'The token is signed with an algorithm this proxy does not accept.';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'The token signature is invalid.';
  return 'The token is malformed.';
}
