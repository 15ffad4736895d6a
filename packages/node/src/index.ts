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
export {
  type FetchHandler,
  type NodeRequest,
  type NodeResponse,
  toNodeHandler,
} from './proxy-adapter.ts';
export {
  type WriteResultsFileOptions,
  type WriteResultsFileResult,
  writeResultsFile,
} from './results-file.ts';

import { Anthropic } from './client.ts';

export default Anthropic;
