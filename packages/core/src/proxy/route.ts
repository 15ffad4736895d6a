import type { ProxyOperation } from './scopes.ts';

/** A request the proxy recognised: the operation and the batch it is about. */
export interface ProxyRoute {
  operation: ProxyOperation;
  /** The decoded batch id, or null for create and list. */
  batchId: string | null;
  /** The path to send upstream, rebuilt from the operation and id (never the caller's text). */
  upstreamPath: string;
}

/** Why a path was not routed: not one of ours (404) or a path trick (400). */
export type RouteFailure = 'not_found' | 'bad_path';

const COLLECTION = '/v1/messages/batches';
/** What a batch id may look like at the proxy: real ids are `msgbatch_` + alphanumerics. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Normalises a mount prefix such as `/api/batches-proxy/` to `/api/batches-proxy`
 * (empty for the root).
 */
export function normalizeMountPath(mountPath: string | undefined): string {
  const trimmed = (mountPath ?? '').replace(/\/+$/, '');
  if (trimmed !== '' && !trimmed.startsWith('/')) return `/${trimmed}`;
  return trimmed;
}

/**
 * Maps method + path to one of the six operations. The URL parser has already
 * resolved plain dot segments; what is left and refused here is anything that
 * could still be read as a different path upstream: encoded slashes,
 * backslashes or dots, empty segments, and ids outside a conservative alphabet.
 */
export function matchRoute(
  method: string,
  pathname: string,
  mountPath: string,
): ProxyRoute | RouteFailure {
  if (mountPath !== '' && !(pathname === mountPath || pathname.startsWith(`${mountPath}/`))) {
    return 'not_found';
  }
  const rest = pathname.slice(mountPath.length);
  if (/%2f|%5c|%2e|\\|\/\/|\/\.\.?(\/|$)/i.test(rest)) return 'bad_path';
  if (rest === COLLECTION) {
    if (method === 'GET') return { operation: 'list', batchId: null, upstreamPath: COLLECTION };
    if (method === 'POST') return { operation: 'create', batchId: null, upstreamPath: COLLECTION };
    return 'not_found';
  }
  if (!rest.startsWith(`${COLLECTION}/`)) return 'not_found';
  const segments = rest.slice(COLLECTION.length + 1).split('/');
  if (segments.length > 2) return 'not_found';
  let batchId: string;
  try {
    batchId = decodeURIComponent(segments[0]!);
  } catch {
    return 'bad_path';
  }
  if (!SAFE_ID.test(batchId)) return 'bad_path';
  const base = `${COLLECTION}/${encodeURIComponent(batchId)}`;
  const operation = operationFor(method, segments[1]);
  if (!operation) return 'not_found';
  const suffix = operation === 'cancel' ? '/cancel' : operation === 'results' ? '/results' : '';
  return { operation, batchId, upstreamPath: base + suffix };
}

function operationFor(method: string, tail: string | undefined): ProxyOperation | undefined {
  if (tail === undefined) {
    if (method === 'GET') return 'retrieve';
    if (method === 'DELETE') return 'delete';
    return undefined;
  }
  if (tail === 'cancel' && method === 'POST') return 'cancel';
  if (tail === 'results' && method === 'GET') return 'results';
  return undefined;
}
