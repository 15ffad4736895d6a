/**
 * `@msgbatch/browser`: the Message Batches client for web pages and Web Workers,
 * over a backend-issued token and proxy instead of the raw API key.
 *
 * @module
 */
export * from '@msgbatch/core';
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
