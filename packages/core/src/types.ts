/**
 * The public shapes, as the official SDK names them: named, closed interfaces with
 * closed enum unions, so a typo fails to compile and a `switch` narrows.
 *
 * Hint: at run time answers stay open. The API adds keys and enum values within a
 * version; msgbatch keeps unknown keys on the object and lets a new enum value through
 * validation, so a value the types do not list yet (a new `processing_status`, a new
 * result `type`) can reach your code: give a `switch` a `default` branch. The valibot
 * schemas in `schemas/` check the wire; `test/types.test.ts` holds them to these types.
 */

/** Processing status of a batch. */
export type ProcessingStatus = 'in_progress' | 'canceling' | 'ended';

/** Tally of a batch's requests by outcome. The five counts add up to the batch size. */
export interface MessageBatchRequestCounts {
  /** Requests canceled before they were processed. */
  canceled: number;
  /** Requests that ended in an error. */
  errored: number;
  /** Requests that reached the 24-hour deadline unprocessed. */
  expired: number;
  /** Requests still processing. */
  processing: number;
  /** Requests that succeeded. */
  succeeded: number;
}

/** A message batch as the API returns it. */
export interface MessageBatch {
  /** Unique id, `msgbatch_…`. */
  id: string;
  /** When the batch was archived (its results no longer available), or null. Read as null when the API leaves it out. */
  archived_at: string | null;
  /** When cancellation was requested, or null. */
  cancel_initiated_at: string | null;
  /** When the batch was created (RFC 3339). */
  created_at: string;
  /** When processing ended, or null. */
  ended_at: string | null;
  /** When the batch expires if processing has not ended (24 hours after creation). */
  expires_at: string;
  /** `in_progress`, `canceling` or `ended`. */
  processing_status: ProcessingStatus;
  /** Tally of the requests by outcome. */
  request_counts: MessageBatchRequestCounts;
  /** Where the results are, once processing has ended; msgbatch reads them from `baseURL`. */
  results_url: string | null;
  /** Always `message_batch`. */
  type: 'message_batch';
}

/** The answer to delete. */
export interface DeletedMessageBatch {
  /** The deleted batch's id. */
  id: string;
  /** Always `message_batch_deleted`. */
  type: 'message_batch_deleted';
}

/** One page of the list operation as the API returns it, newest batch first. */
export interface MessageBatchPage {
  data: MessageBatch[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/** The broad category of an error. */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'api_error'
  | 'overloaded_error'
  | 'memory_precondition_failed_error'
  | 'memory_path_conflict_error'
  | 'conflict_error'
  | 'request_too_large';

/** Machine-readable detail about an error's cause; `error_code` names it. */
export interface ErrorDetails {
  error_code: string;
}

/** The inner error object of an error body. */
export interface ErrorObject {
  /** The broad category. */
  type: ErrorType;
  /** A human-readable explanation; its wording can change, so do not match on it. */
  message: string;
  /** Detail about the cause, when the API gives it. */
  details?: ErrorDetails | null;
}

/** `{ type: 'error', error, request_id }`: HTTP error bodies and errored result lines. */
export interface ErrorResponse {
  error: ErrorObject;
  /** The request id, when the API includes it in the body. */
  request_id?: string | null;
  type: 'error';
}

/** Why the model stopped. */
export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

/** Detail of a `refusal` stop. */
export interface RefusalStopDetails {
  category: 'cyber' | 'bio' | 'frontier_llm' | 'reasoning_extraction' | 'general_harms' | null;
  explanation: string | null;
  type: 'refusal';
}

/** Input tokens written to the cache, by cache lifetime. */
export interface CacheCreation {
  ephemeral_1h_input_tokens: number;
  ephemeral_5m_input_tokens: number;
}

/**
 * Token usage of a message. Fields the API added over time are optional: older
 * results do not carry them.
 */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: CacheCreation | null;
  /** `batch` for batch results. */
  service_tier?: 'standard' | 'priority' | 'batch' | null;
  /** Where inference ran. */
  inference_geo?: string | null;
}

/** A text block. */
export interface TextBlock {
  type: 'text';
  text: string;
  /** Citations supporting the text, when any. */
  citations?: unknown[] | null;
}
/** A thinking block. */
export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}
/** A redacted thinking block. */
export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}
/** A client tool call. */
export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
}
/** A server tool call. */
export interface ServerToolUseBlock {
  type: 'server_tool_use';
  id: string;
  name: string;
  input: unknown;
}
/** The result of a server tool; `content` is as the tool returns it. */
export interface ServerToolResultBlock<T extends string> {
  type: T;
  tool_use_id: string;
  content: unknown;
}
/** The result of the web search tool. */
export type WebSearchToolResultBlock = ServerToolResultBlock<'web_search_tool_result'>;
/** The result of the web fetch tool. */
export type WebFetchToolResultBlock = ServerToolResultBlock<'web_fetch_tool_result'>;
/** The result of the code execution tool. */
export type CodeExecutionToolResultBlock = ServerToolResultBlock<'code_execution_tool_result'>;
/** The result of the bash code execution tool. */
export type BashCodeExecutionToolResultBlock =
  ServerToolResultBlock<'bash_code_execution_tool_result'>;
/** The result of the text editor code execution tool. */
export type TextEditorCodeExecutionToolResultBlock =
  ServerToolResultBlock<'text_editor_code_execution_tool_result'>;
/** The result of the tool search tool. */
export type ToolSearchToolResultBlock = ServerToolResultBlock<'tool_search_tool_result'>;
/** A file uploaded to the container. */
export interface ContainerUploadBlock {
  type: 'container_upload';
  file_id: string;
}

/** A content block of a message: narrow on `type`. */
export type ContentBlock =
  | TextBlock
  | ThinkingBlock
  | RedactedThinkingBlock
  | ToolUseBlock
  | ServerToolUseBlock
  | WebSearchToolResultBlock
  | WebFetchToolResultBlock
  | CodeExecutionToolResultBlock
  | BashCodeExecutionToolResultBlock
  | TextEditorCodeExecutionToolResultBlock
  | ToolSearchToolResultBlock
  | ContainerUploadBlock;

/** A complete assistant message, as a succeeded result carries it. */
export interface Message {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence?: string | null;
  /** Detail of a `refusal` stop; absent in older results. */
  stop_details?: RefusalStopDetails | null;
  usage: Usage;
}

/** The request ran; `message` is the model's answer. */
export interface MessageBatchSucceededResult {
  type: 'succeeded';
  message: Message;
}
/** The request failed; `error` is a full error body. */
export interface MessageBatchErroredResult {
  type: 'errored';
  error: ErrorResponse;
}
/** The batch was canceled before this request was sent to the model. */
export interface MessageBatchCanceledResult {
  type: 'canceled';
}
/** The 24-hour deadline passed before this request was sent to the model. */
export interface MessageBatchExpiredResult {
  type: 'expired';
}
/** The outcome of one request: narrow on `type`. */
export type MessageBatchResult =
  | MessageBatchSucceededResult
  | MessageBatchErroredResult
  | MessageBatchCanceledResult
  | MessageBatchExpiredResult;

/** One line of a batch's results. */
export interface MessageBatchIndividualResponse {
  /** The `custom_id` given to the request at create time; match results by it (order is not kept). */
  custom_id: string;
  /** The outcome of the request. */
  result: MessageBatchResult;
}

/** A text content block of a request message. */
export interface TextBlockParam {
  type: 'text';
  text: string;
  cache_control?: { type: 'ephemeral'; ttl?: '5m' | '1h' } | null;
  citations?: unknown[] | null;
}
/** Any other content block of a request message (image, document, tool_result, …). */
export interface ContentBlockParam {
  type: string;
  [key: string]: unknown;
}
/** One message of the conversation sent to the model. */
export interface MessageParam {
  role: 'user' | 'assistant';
  content: string | Array<TextBlockParam | ContentBlockParam>;
}

/** The Messages parameters of one batch request (a non-streaming Messages `create` body). */
export interface MessageCreateParamsNonStreaming {
  model: string;
  max_tokens: number;
  messages: MessageParam[];
  system?: string | TextBlockParam[];
  metadata?: { user_id?: string | null };
  stop_sequences?: string[];
  stream?: false;
  temperature?: number;
  top_k?: number;
  top_p?: number;
  thinking?: { type: 'enabled'; budget_tokens: number } | { type: 'disabled' } | { type: string };
  tools?: Array<{ name: string; [key: string]: unknown }>;
  tool_choice?: { type: 'auto' | 'any' | 'tool' | 'none'; [key: string]: unknown };
  service_tier?: 'auto' | 'standard_only';
  container?: string | { [key: string]: unknown } | null;
  cache_control?: { type: 'ephemeral'; ttl?: '5m' | '1h' } | null;
  inference_geo?: string | null;
  output_config?: { [key: string]: unknown };
  speed?: 'standard' | 'fast' | null;
  mcp_servers?: Array<{ [key: string]: unknown }>;
  context_management?: { [key: string]: unknown } | null;
}

/** Parameters of `messages.batches.create`. */
export interface BatchCreateParams {
  /** 1 to 100,000 requests with unique `custom_id`s. */
  requests: BatchCreateParams.Request[];
  /** Sent as the `anthropic-user-profile-id` header, not in the body. */
  user_profile_id?: string;
  /** Sent as the `anthropic-workspace-id` header, not in the body. */
  workspace_id?: string;
}
export declare namespace BatchCreateParams {
  /** One request of a batch. */
  interface Request {
    /** 1-64 characters of `[A-Za-z0-9_-]`, unique within the batch. */
    custom_id: string;
    /** The Messages `create` body. */
    params: MessageCreateParamsNonStreaming;
  }
}

/** What `list()` resolves to, as the official SDK names it: a page you can `for await` over. */
export type MessageBatchesPage = import('./pagination.ts').CursorPage<MessageBatch>;
