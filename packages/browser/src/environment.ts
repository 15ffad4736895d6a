/**
 * True in a web page or any kind of Web Worker (dedicated, shared, service).
 * Feature detection, not user-agent sniffing: a page has a `document`; a worker's
 * global object is a `WorkerGlobalScope` (which has `importScripts`).
 */
export function isBrowserLike(scope: object = globalThis): boolean {
  const g = scope as Record<string, any>;
  const page = typeof g.document === 'object' && g.document !== null;
  const workerScope = g.WorkerGlobalScope;
  const worker =
    (typeof workerScope === 'function' && scope instanceof workerScope) ||
    typeof g.importScripts === 'function';
  return page || worker;
}
