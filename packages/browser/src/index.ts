/**
 * `@msgbatch/browser`: the Message Batches client for web pages and Web Workers,
 * over a backend-issued token and proxy instead of the raw API key.
 *
 * It forwards `@msgbatch/core/client` (the client, its errors and every type), not the
 * whole of `@msgbatch/core`: what a page imports statically is what it downloads first
 * with a code-splitting bundler, and the client loads create, list, results and the
 * workflows on first use. The functional API and the schemas are in `@msgbatch/core`.
 *
 * @module
 */
export * from '@msgbatch/core/client';
export {
  BrowserClient as Anthropic,
  BrowserClient,
  BrowserClient as Client,
  type BrowserClientOptions,
  browserClientOptions,
} from './client.ts';
export { isBrowserLike } from './environment.ts';
export { createTokenAuth, type GetToken, type TokenAuthOptions } from './token-auth.ts';

import { BrowserClient } from './client.ts';

export default BrowserClient;
