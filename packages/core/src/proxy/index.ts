/**
 * `@msgbatch/core/proxy`: the backend half of browser use. Kept out of the main
 * entry so that page bundles never include jose or the proxy.
 *
 * @module
 */
export { ALLOWED_REQUEST_HEADERS, type AllowedOrigins } from './cors.ts';
export {
  type BatchesProxyHandler,
  type BatchesProxyOptions,
  createBatchesProxy,
  type ProxyRequestEvent,
} from './create-proxy.ts';
export type { UpstreamOptions } from './forward.ts';
export type { Ed25519Key, TokenSecret } from './keys.ts';
export {
  DEFAULT_TOKEN_TTL_SECONDS,
  MAX_TOKEN_TTL_SECONDS,
  type MintBrowserTokenOptions,
  mintBrowserToken,
} from './mint-token.ts';
export { DEFAULT_MAX_BODY_BYTES } from './read-body.ts';
export {
  BROWSER_TOKEN_SCOPES,
  BROWSER_TOKEN_TYPE,
  type BrowserTokenScope,
  type ProxyOperation,
  SCOPE_OF_OPERATION,
} from './scopes.ts';
export {
  type BrowserTokenClaims,
  createTokenVerifier,
  TokenRejectedError,
  type TokenVerifier,
  type VerifyOptions,
} from './verify-token.ts';
