import { type ClientOptions, MsgbatchClient, withErrorStatics } from '@msgbatch/core';

/** Options of the Node client: core's, with defaults read from the environment. */
export type NodeClientOptions = ClientOptions;

const env = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

/**
 * Resolves Node defaults: `ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN` and
 * `ANTHROPIC_BASE_URL` fill options that were not given, and `MSGBATCH_LOG`
 * (debug, info, warn, error, off) sets the log level.
 */
export function nodeDefaults(options: NodeClientOptions = {}): ClientOptions {
  const apiKey = options.apiKey === undefined ? env('ANTHROPIC_API_KEY') : options.apiKey;
  const authToken =
    options.authToken === undefined ? env('ANTHROPIC_AUTH_TOKEN') : options.authToken;
  return {
    ...options,
    apiKey,
    authToken,
    baseURL: options.baseURL ?? env('ANTHROPIC_BASE_URL'),
    logLevel: options.logLevel ?? (env('MSGBATCH_LOG') as ClientOptions['logLevel']),
  };
}

/**
 * The Message Batches client for Node.js, shaped like the official SDK so its
 * documented examples run with only the import line changed. Every error class is also
 * a static property (`Anthropic.NotFoundError`), as on the official client.
 *
 * @example
 * import Anthropic from '@msgbatch/node';
 * const client = new Anthropic({ apiKey: 'my-anthropic-api-key' });
 * const messageBatch = await client.messages.batches.cancel('message_batch_id');
 * console.log(messageBatch.id);
 */
export class Anthropic extends withErrorStatics(MsgbatchClient) {
  constructor(options: NodeClientOptions = {}) {
    super(nodeDefaults(options));
  }
}
