/**
 * Every error msgbatch throws. One base class, literal `name`s, and guards that
 * also work across realms (an error from another iframe or a second copy of the
 * package): use `isMsgbatchError(e)` or compare `e.name`.
 */

const BRAND = Symbol.for('msgbatch.error');

/** Base class of every error msgbatch throws. Also exported as `AnthropicError`. */
export class MsgbatchError extends Error {
  override name: string = 'MsgbatchError';
  /** The `request-id` of the response this error is about, when there was one. */
  declare readonly requestID: string | null;

  constructor(message: string, options?: { cause?: unknown; requestID?: string | null }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.requestID = options?.requestID ?? null;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for any msgbatch error, also one made by another copy of the package. */
export function isMsgbatchError(value: unknown): value is MsgbatchError {
  return typeof value === 'object' && value !== null && (value as any)[BRAND] === true;
}

/** A caller's argument is wrong; nothing was sent. */
export class InvalidArgumentError extends MsgbatchError {
  override name = 'InvalidArgumentError' as const;
  /** Which argument (or path inside it) is wrong, e.g. `params.requests[3].custom_id`. */
  declare readonly argument: string;
  constructor(argument: string, message: string) {
    super(`Invalid argument ${argument}: ${message}`);
    this.argument = argument;
  }
}

/** The server answered with a body that does not match the documented shape. */
export class ResponseValidationError extends MsgbatchError {
  override name = 'ResponseValidationError' as const;
  /** Dotted path of the first field that did not match, e.g. `request_counts.canceled`. */
  declare readonly field: string;
  /** Every mismatch found, as `path: message`. */
  declare readonly issues: readonly string[];
  constructor(what: string, field: string, issues: readonly string[], requestID: string | null) {
    super(
      `The server's ${what} did not match the expected shape at "${field}": ${issues[0] ?? 'invalid'}` +
        (requestID ? ` (request id ${requestID})` : ''),
      { requestID },
    );
    this.field = field;
    this.issues = issues;
  }
}

/** The request could not be completed: the connection failed or the body was cut short. */
export class APIConnectionError extends MsgbatchError {
  override name: string = 'APIConnectionError';
  constructor(
    message = 'Connection error.',
    options?: { cause?: unknown; requestID?: string | null },
  ) {
    super(message, options);
  }
}

/** No answer (or no byte of a streamed body) arrived within the timeout. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = 'APIConnectionTimeoutError' as const;
  constructor(
    message = 'Request timed out.',
    options?: { cause?: unknown; requestID?: string | null },
  ) {
    super(message, options);
  }
}

/** The caller aborted the request through its `signal`. */
export class APIUserAbortError extends MsgbatchError {
  override name = 'APIUserAbortError' as const;
  constructor(message = 'Request was aborted.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A create whose outcome is unknown: the body was sent, then the connection
 * dropped or timed out. The batch may exist; it was not retried, so no second
 * batch was made. List recent batches (`client.messages.batches.list({ limit: 20 })`)
 * and compare `created_at` and `request_counts` before creating again.
 */
export class CreateOutcomeUnknownError extends APIConnectionError {
  override name = 'CreateOutcomeUnknownError' as const;
}

/** The request an `APIError` is about: method and URL, never a credential. */
export interface APIErrorRequest {
  /** The HTTP method, e.g. `POST`. */
  method: string;
  /** The absolute URL, without username or password. */
  url: string;
}

/** A string field of an error body, or null. */
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The server answered with an HTTP error status. */
export class APIError extends MsgbatchError {
  override name: string = 'APIError';
  /** HTTP status. */
  declare readonly status: number;
  /** Response headers (credentials are never among them). */
  declare readonly headers: Headers;
  /** The parsed error body (the API's envelope), or the raw text when it was not JSON. */
  declare readonly error: unknown;
  /** `error.error.type` of the envelope, e.g. `not_found_error`, when present. */
  declare readonly type: string | null;
  /** `error.error.message` of the envelope: the API's own words (do not match on them). */
  declare readonly apiMessage: string | null;
  /**
   * `error.error.details.error_code`: a stable code naming the cause, when the API sent one.
   * Known codes get their own class (`OrganizationOnHoldError`, …); an unknown one keeps
   * the status class.
   */
  declare readonly errorCode: string | null;
  /** `error.error.details`: machine-readable detail about the cause, when present. */
  declare readonly details: { error_code?: string; [key: string]: unknown } | null;
  /** The `anthropic-workspace-id` response header, when present. */
  declare readonly workspaceID: string | null;
  /** Method and URL of the request that failed (no credentials), when known. */
  declare readonly request: APIErrorRequest | undefined;

  constructor(
    status: number,
    error: unknown,
    message: string,
    headers: Headers,
    requestID: string | null,
    options?: { request?: APIErrorRequest | undefined },
  ) {
    super(message, { requestID });
    this.status = status;
    this.headers = headers;
    this.error = error;
    const inner = (error as any)?.error;
    const details = inner?.details;
    this.type = text(inner?.type);
    this.apiMessage = text(inner?.message);
    this.details = typeof details === 'object' && details !== null ? details : null;
    this.errorCode = text(details?.error_code);
    this.workspaceID = headers.get('anthropic-workspace-id');
    this.request = options?.request;
  }
}

/** 400: the request is malformed or not allowed in the batch's state. */
export class BadRequestError extends APIError {
  override name: string = 'BadRequestError';
}
/** 401: the credential is missing, wrong or expired. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError' as const;
}
/** 403: the credential may not do this. */
export class PermissionDeniedError extends APIError {
  override name: string = 'PermissionDeniedError';
}
/** 404: no such batch, or no results yet. */
export class NotFoundError extends APIError {
  override name = 'NotFoundError' as const;
}
/** 409: conflicts with the resource's current state. */
export class ConflictError extends APIError {
  override name = 'ConflictError' as const;
}
/** 413: the request body is larger than the API accepts. Also exported as `RequestTooLargeError`. */
export class ContentTooLargeError extends APIError {
  override name: string = 'ContentTooLargeError';
}
/** The earlier name of {@link ContentTooLargeError}: the same class. */
export const RequestTooLargeError = ContentTooLargeError;
/** The earlier name of {@link ContentTooLargeError}. */
export type RequestTooLargeError = ContentTooLargeError;
/** 422: the request was understood but cannot be processed. */
export class UnprocessableEntityError extends APIError {
  override name = 'UnprocessableEntityError' as const;
}
/** 429: rate limited. `retryAfterMs` says how long the server asked to wait, when it did. */
export class RateLimitError extends APIError {
  override name: string = 'RateLimitError';
  /** The wait the server asked for, in ms, or null. */
  retryAfterMs: number | null = null;
}
/** 500 and above (except 529): the server failed. */
export class InternalServerError extends APIError {
  override name: string = 'InternalServerError';
}
/** 529: the API is overloaded. */
export class OverloadedError extends InternalServerError {
  override name = 'OverloadedError' as const;
}

/** The client could not get a credential for a request: the `apiKey` function failed or returned none. */
export class CredentialsError extends MsgbatchError {
  override name = 'CredentialsError' as const;
}

/**
 * The server answered with a redirect (3xx), which msgbatch never follows: a redirect
 * would carry the credential (`x-api-key`) and, on 307/308, a create's prompts to the
 * place it names. Never retried. In a browser, where a redirect is opaque, `status` is 0
 * and `location` is null. Point `baseURL` at the API (or your proxy) itself.
 */
export class UnexpectedRedirectError extends APIError {
  override name = 'UnexpectedRedirectError' as const;
  /** The origin (scheme, host, port) of the `location` the server named; never its path or query. */
  declare readonly location: string | null;
  constructor(
    status: number,
    location: string | null,
    headers: Headers,
    requestID: string | null,
    message: string,
  ) {
    super(status, null, message, headers, requestID);
    this.location = location;
  }
}

/**
 * The error classes `MsgbatchClient` carries as static properties, by name
 * (`AnthropicError` is `MsgbatchError`), as the official client does.
 */
export const CLIENT_ERROR_STATICS = {
  MsgbatchError,
  AnthropicError: MsgbatchError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  RequestTooLargeError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  OverloadedError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  CreateOutcomeUnknownError,
  ResponseValidationError,
  InvalidArgumentError,
  UnexpectedRedirectError,
};
