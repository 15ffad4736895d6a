import {
  BetaMessageBatches,
  type ClientOptions,
  MessageBatches,
  MsgbatchClient,
  type OfficialClientOptions,
  officialClientOptions,
  withErrorStatics,
} from '@msgbatch/core';

/**
 * Options of the Node client: core's, the official client's newer ones (`apiKey` as a
 * function, `credentials`, `middleware`, `defaultQuery`), and defaults read from the environment.
 */
export type NodeClientOptions = OfficialClientOptions;

const env = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

/**
 * Resolves Node defaults: `ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN` and
 * `ANTHROPIC_BASE_URL` fill options that were not given, and `MSGBATCH_LOG`
 * (debug, info, warn, error, off) sets the log level.
 */
export function nodeDefaults(options: NodeClientOptions = {}): NodeClientOptions {
  // As the official client: the environment's key is not used when another credential is given.
  const other =
    options.credentials != null ||
    options.auth !== undefined ||
    typeof options.apiKey === 'function';
  const apiKey = options.apiKey === undefined && !other ? env('ANTHROPIC_API_KEY') : options.apiKey;
  const authToken =
    options.authToken === undefined && !other ? env('ANTHROPIC_AUTH_TOKEN') : options.authToken;
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
  /**
   * `messages.batches.*` with the official 1.17 call shapes: `(id, params?, options?)`
   * (`params.workspace_id` is sent as `anthropic-workspace-id`) as well as `(id, options?)`.
   */
  declare readonly messages: { readonly batches: MessageBatches };
  /** `beta.messages.batches.*`: the same operations, with `betas` sent as `anthropic-beta`. */
  readonly beta: { readonly messages: { readonly batches: BetaMessageBatches } };

  constructor(options: NodeClientOptions = {}) {
    super(officialClientOptions(nodeDefaults(options)));
    (this as { messages: Anthropic['messages'] }).messages = {
      batches: new MessageBatches(this.transport),
    };
    this.beta = { messages: { batches: new BetaMessageBatches(this.transport) } };
  }
}
