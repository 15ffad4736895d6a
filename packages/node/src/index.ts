export * from '@msgbatch/core';
export {
  type AllowedOrigins,
  type BatchesProxyHandler,
  type BatchesProxyOptions,
  type BrowserTokenClaims,
  type BrowserTokenScope,
  createBatchesProxy,
  type MintBrowserTokenOptions,
  mintBrowserToken,
  type ProxyRequestEvent,
  type UpstreamOptions,
  type VerifyOptions,
} from '@msgbatch/core/proxy';
export {
  Anthropic,
  Anthropic as Msgbatch,
  type NodeClientOptions,
  nodeDefaults,
} from './client.ts';
export { FileJobStore } from './file-job-store.ts';
export {
  toJobStore,
  type WriteJobResultsFileOptions,
  type WriteJobResultsFileResult,
  writeJobResultsFile,
} from './job-results-file.ts';
export {
  type JsonlEntry,
  type JsonlFileSourceOptions,
  jsonlFileSource,
} from './jsonl-file-source.ts';
export {
  type FetchHandler,
  type NodeHandlerOptions,
  type NodeRequest,
  type NodeResponse,
  toNodeHandler,
} from './proxy-adapter.ts';
export {
  type WriteResultsFileOptions,
  type WriteResultsFileResult,
  writeResultsFile,
} from './results-file.ts';
export type { OpenTelemetryOptions, TracerProviderLike } from './tracing.ts';

import { Anthropic } from './client.ts';

export default Anthropic;
export { type ErrorStatics, errorStatics, withErrorStatics } from './error-statics.ts';
export {
  type AnthropicBeta,
  type BatchCancelParams,
  type BatchDeleteParams,
  type BatchListParams,
  type BatchResultsParams,
  type BatchRetrieveParams,
  BetaMessageBatches,
  type BetaParams,
  isRequestOptions,
  MessageBatches,
  type NodeJobOptions,
} from './official-batches.ts';
export {
  type AccessToken,
  type AccessTokenProvider,
  type APIRequest,
  type ApiKeySetter,
  type Middleware,
  type MiddlewareContext,
  type MiddlewareNext,
  type OfficialClientOptions,
  officialClientOptions,
} from './official-options.ts';
