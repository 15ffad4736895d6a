/**
 * What a browser token may do. Each of the six operations needs exactly one
 * scope; `batches:read` covers the two read-only ones (retrieve and list).
 */
export const BROWSER_TOKEN_SCOPES = [
  'batches:read',
  'batches:results',
  'batches:cancel',
  'batches:create',
  'batches:delete',
] as const;

/** One scope of a browser token, e.g. `batches:cancel`. */
export type BrowserTokenScope = (typeof BROWSER_TOKEN_SCOPES)[number];

/** The six operations the proxy forwards. */
export type ProxyOperation = 'create' | 'retrieve' | 'list' | 'cancel' | 'delete' | 'results';

/** The scope each operation needs. */
export const SCOPE_OF_OPERATION: Readonly<Record<ProxyOperation, BrowserTokenScope>> = {
  create: 'batches:create',
  retrieve: 'batches:read',
  list: 'batches:read',
  cancel: 'batches:cancel',
  delete: 'batches:delete',
  results: 'batches:results',
};

/** True for one of the five known scopes. */
export function isBrowserTokenScope(value: unknown): value is BrowserTokenScope {
  return (BROWSER_TOKEN_SCOPES as readonly unknown[]).includes(value);
}

/** The JWT `typ` header of browser tokens, so that other JWTs signed with the same key are refused. */
export const BROWSER_TOKEN_TYPE = 'msgbatch-browser+jwt';
