// @ts-check
/**
 * Every conformance scenario, in the order runners run them. A list rather than a
 * directory scan, so bundles (workerd, Chromium) and `deno test` see the same set.
 */
import abort from './abort.js';
import browserTokenPath from './browser-token-path.js';
import documentedCancel from './documented-cancel.js';
import errorMapping from './error-mapping.js';
import jsonlChunks from './jsonl-chunks.js';
import lifecycle from './lifecycle.js';
import loopbackSocket from './loopback-socket.js';
import redirect from './redirect.js';
import retryAfter from './retry-after.js';

/** @type {readonly import('../src/harness.js').Scenario[]} */
export const scenarios = [
  documentedCancel,
  lifecycle,
  errorMapping,
  retryAfter,
  jsonlChunks,
  abort,
  loopbackSocket,
  redirect,
  browserTokenPath,
];
