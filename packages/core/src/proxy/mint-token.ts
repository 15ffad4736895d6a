import { InvalidArgumentError } from '../errors.ts';
import { type Ed25519Key, resolveKey, type TokenSecret } from './keys.ts';
import { BROWSER_TOKEN_TYPE, type BrowserTokenScope, isBrowserTokenScope } from './scopes.ts';

/** Default lifetime of a browser token: 5 minutes. */
export const DEFAULT_TOKEN_TTL_SECONDS = 300;
/** Longest lifetime a browser token may have: 1 hour. */
export const MAX_TOKEN_TTL_SECONDS = 3600;

/** Options of {@link mintBrowserToken}. Give `secret` (HS256) or `privateKey` (EdDSA), not both. */
export interface MintBrowserTokenOptions {
  /** Shared secret (≥ 32 bytes) the proxy verifies with: the token is signed HS256. */
  secret?: TokenSecret | undefined;
  /** Ed25519 private key: the token is signed EdDSA and the proxy needs only the public key. */
  privateKey?: Ed25519Key | undefined;
  /** Who the token is for (your user id); the proxy hands it to `onRequest` and its log lines. */
  subject: string;
  /** What the token allows, e.g. `['batches:read', 'batches:cancel']`. At least one. */
  scopes: readonly BrowserTokenScope[];
  /** Lifetime in seconds. Default 300, at most 3600. */
  ttlSeconds?: number | undefined;
  /** Restricts the token to these batches: list and create are then refused by the proxy. */
  batchIds?: readonly string[] | undefined;
  /** `iss` claim; the proxy checks it when its `verify.issuer` is set. */
  issuer?: string | undefined;
  /** `aud` claim; the proxy checks it when its `verify.audience` is set. */
  audience?: string | undefined;
  /** Time source in ms since the epoch; default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * Mints a short-lived, scoped token for a page. Call it on your backend after
 * you have authenticated the user, and give the result to the page's
 * `getToken()`; the page never sees the API key.
 *
 * Claims: `sub`, `scope` (space-separated), `batch_ids` (when restricted),
 * `iat`, `nbf`, `exp`, `jti`, and `iss`/`aud` when given. Header `typ` is
 * `msgbatch-browser+jwt`, so other JWTs signed with the same key do not pass.
 *
 * @returns the compact JWT
 * @throws InvalidArgumentError for an unknown scope, a TTL over one hour, a short secret
 * @example
 * const token = await mintBrowserToken({
 *   secret: process.env.MSGBATCH_TOKEN_SECRET,
 *   subject: user.id,
 *   scopes: ['batches:read', 'batches:results', 'batches:cancel'],
 * });
 */
export async function mintBrowserToken(options: MintBrowserTokenOptions): Promise<string> {
  const { subject, scopes, batchIds } = options;
  if (typeof subject !== 'string' || subject.length === 0) {
    throw new InvalidArgumentError('subject', 'must be a non-empty string (your user id)');
  }
  if (!Array.isArray(scopes) || scopes.length === 0) {
    throw new InvalidArgumentError('scopes', 'give at least one scope, e.g. ["batches:read"]');
  }
  const unknown = scopes.find((s) => !isBrowserTokenScope(s));
  if (unknown !== undefined) {
    throw new InvalidArgumentError(
      'scopes',
      `unknown scope ${JSON.stringify(unknown)}; known: batches:read, batches:results, batches:cancel, batches:create, batches:delete`,
    );
  }
  const ttl = options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) {
    throw new InvalidArgumentError(
      'ttlSeconds',
      `must be a whole number of seconds from 1 to ${MAX_TOKEN_TTL_SECONDS}, got ${String(ttl)}; mint a new token instead of a long-lived one`,
    );
  }
  if (batchIds !== undefined) checkBatchIds(batchIds, scopes);
  const { alg, key } = await resolveKey(
    'mintBrowserToken',
    options.secret,
    options.privateKey,
    'sign',
  );
  // Loaded here rather than with the module: see keys.ts.
  const { SignJWT } = await import('jose');
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  const claims: Record<string, unknown> = { scope: [...new Set(scopes)].join(' ') };
  if (batchIds !== undefined) claims.batch_ids = [...new Set(batchIds)];
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg, typ: BROWSER_TOKEN_TYPE })
    .setSubject(subject)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + ttl)
    .setJti(crypto.randomUUID());
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  return jwt.sign(key);
}

function checkBatchIds(batchIds: readonly string[], scopes: readonly BrowserTokenScope[]) {
  if (!Array.isArray(batchIds) || batchIds.length === 0) {
    throw new InvalidArgumentError('batchIds', 'give at least one batch id, or leave batchIds out');
  }
  if (batchIds.some((id) => typeof id !== 'string' || id.length === 0)) {
    throw new InvalidArgumentError('batchIds', 'every batch id must be a non-empty string');
  }
  // A new batch's id is unknown when the token is minted, so it could never be used.
  if (scopes.includes('batches:create')) {
    throw new InvalidArgumentError('scopes', 'batches:create cannot be combined with batchIds');
  }
}
