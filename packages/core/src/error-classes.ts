/**
 * The error classes chosen by an answer's status and `error.details.error_code`, and the
 * one function that chooses. Loaded by the transport only when an answer is an error, so
 * a page that only cancels does not download the tables (a one-file bundle carries them:
 * hence one short line per class, each named after its status or code).
 *
 * Hint: a code the API adds later is one interface and one `define` line; a code not in
 * the table keeps the status class, with `errorCode` set.
 */
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ContentTooLargeError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from './errors.ts';

type APIErrorClass = typeof APIError;

/**
 * The type of a class of this module: constructed as an `APIError` is, and an
 * instance of `T` (`instanceof` narrows to it; a class may extend it).
 */
export type ErrorClass<T extends APIError> = Omit<APIErrorClass, 'prototype'> & {
  new (...args: ConstructorParameters<APIErrorClass>): T;
  readonly prototype: T;
};

/** The class of each status that has one; other statuses ≥ 500 are `InternalServerError`. */
export const STATUS_ERROR_CLASSES: ReadonlyMap<number, APIErrorClass> = new Map<
  number,
  APIErrorClass
>([
  [400, BadRequestError],
  [401, AuthenticationError],
  [403, PermissionDeniedError],
  [404, NotFoundError],
  [409, ConflictError],
  [413, ContentTooLargeError],
  [422, UnprocessableEntityError],
  [429, RateLimitError],
  [529, OverloadedError],
]);

/** The class of each `"status error_code"`: one `define` line per code. */
export const ERROR_CODE_CLASSES: ReadonlyMap<string, APIErrorClass> = new Map<
  string,
  APIErrorClass
>();

/**
 * Makes the class of a status (`define(402, 'payment_required')`: `PaymentRequiredError`,
 * an `InternalServerError` from 500 on, else an `APIError`) or of an error code under its
 * status (`define(400, 'organization_on_hold', true)`: `OrganizationOnHoldError`, a
 * `BadRequestError`), and enters it in its table. Its `name` is the snake_case words in
 * PascalCase (`cmek` and `url` as CMEK and URL), then `Error`.
 */
function define(status: number, words: string, isCode?: boolean): any {
  const className = `${words.replace(/(?:^|_)(cmek(?=_)|url(?=_)|.)/g, (_, w: string) => w.toUpperCase())}Error`;
  const Base = isCode
    ? errorClassForStatus(status)
    : status >= 500
      ? InternalServerError
      : APIError;
  const Class = class extends Base {
    override name = className;
  };
  if (isCode) (ERROR_CODE_CLASSES as Map<string, APIErrorClass>).set(`${status} ${words}`, Class);
  else (STATUS_ERROR_CLASSES as Map<number, APIErrorClass>).set(status, Class);
  return Class;
}

/** 402: the organization cannot be billed for this request. */
export interface PaymentRequiredError extends APIError {
  name: string;
}
export const PaymentRequiredError: ErrorClass<PaymentRequiredError> = define(
  402,
  'payment_required',
);
/** 408: the server timed out waiting for the request. */
export interface RequestTimeoutError extends APIError {
  name: 'RequestTimeoutError';
}
export const RequestTimeoutError: ErrorClass<RequestTimeoutError> = define(408, 'request_timeout');
/** 412: a precondition of the request did not hold. */
export interface PreconditionFailedError extends APIError {
  name: 'PreconditionFailedError';
}
export const PreconditionFailedError: ErrorClass<PreconditionFailedError> = define(
  412,
  'precondition_failed',
);
/** 431: the request's headers are too large. */
export interface RequestHeaderFieldsTooLargeError extends APIError {
  name: 'RequestHeaderFieldsTooLargeError';
}
export const RequestHeaderFieldsTooLargeError: ErrorClass<RequestHeaderFieldsTooLargeError> =
  define(431, 'request_header_fields_too_large');
/** 499: the request was closed before the server answered. */
export interface ClientClosedRequestError extends APIError {
  name: 'ClientClosedRequestError';
}
export const ClientClosedRequestError: ErrorClass<ClientClosedRequestError> = define(
  499,
  'client_closed_request',
);
/** 501: the server does not implement this. */
export interface NotImplementedError extends InternalServerError {
  name: 'NotImplementedError';
}
export const NotImplementedError: ErrorClass<NotImplementedError> = define(501, 'not_implemented');
/** 503: the service is unavailable for now. */
export interface ServiceUnavailableError extends InternalServerError {
  name: string;
}
export const ServiceUnavailableError: ErrorClass<ServiceUnavailableError> = define(
  503,
  'service_unavailable',
);
/** 504: a gateway timed out. */
export interface GatewayTimeoutError extends InternalServerError {
  name: 'GatewayTimeoutError';
}
export const GatewayTimeoutError: ErrorClass<GatewayTimeoutError> = define(504, 'gateway_timeout');

// Error-code classes, as the official SDK names them. `errorCode` is narrowed to the code.

/** 400 `claude_code_key_creator_not_member`: the key's creator left the organization or workspace. */
export interface ClaudeCodeKeyCreatorNotMemberError extends BadRequestError {
  name: 'ClaudeCodeKeyCreatorNotMemberError';
  readonly errorCode: 'claude_code_key_creator_not_member';
}
export const ClaudeCodeKeyCreatorNotMemberError: ErrorClass<ClaudeCodeKeyCreatorNotMemberError> =
  define(400, 'claude_code_key_creator_not_member', true);
/** 400 `claude_code_version_too_old`: update Claude Code, then retry. */
export interface ClaudeCodeVersionTooOldError extends BadRequestError {
  name: 'ClaudeCodeVersionTooOldError';
  readonly errorCode: 'claude_code_version_too_old';
}
export const ClaudeCodeVersionTooOldError: ErrorClass<ClaudeCodeVersionTooOldError> = define(
  400,
  'claude_code_version_too_old',
  true,
);
/** 400 `cmek_key_disabled`: the workspace's customer-managed key is disabled or revoked. */
export interface CMEKKeyDisabledError extends BadRequestError {
  name: 'CMEKKeyDisabledError';
  readonly errorCode: 'cmek_key_disabled';
}
export const CMEKKeyDisabledError: ErrorClass<CMEKKeyDisabledError> = define(
  400,
  'cmek_key_disabled',
  true,
);
/** 400 `cmek_key_network_blocked`: the key service's network controls blocked the request. */
export interface CMEKKeyNetworkBlockedError extends BadRequestError {
  name: 'CMEKKeyNetworkBlockedError';
  readonly errorCode: 'cmek_key_network_blocked';
}
export const CMEKKeyNetworkBlockedError: ErrorClass<CMEKKeyNetworkBlockedError> = define(
  400,
  'cmek_key_network_blocked',
  true,
);
/** 400 `organization_on_hold`: the organization is disabled for trust and safety reasons. */
export interface OrganizationOnHoldError extends BadRequestError {
  name: 'OrganizationOnHoldError';
  readonly errorCode: 'organization_on_hold';
}
export const OrganizationOnHoldError: ErrorClass<OrganizationOnHoldError> = define(
  400,
  'organization_on_hold',
  true,
);
/** 400 `organization_type_not_supported`: the endpoint does not serve this organization type. */
export interface OrganizationTypeNotSupportedError extends BadRequestError {
  name: 'OrganizationTypeNotSupportedError';
  readonly errorCode: 'organization_type_not_supported';
}
export const OrganizationTypeNotSupportedError: ErrorClass<OrganizationTypeNotSupportedError> =
  define(400, 'organization_type_not_supported', true);
/** 400 `organization_url_fetch_disabled`: URL sources and fetch tools are off for the organization. */
export interface OrganizationURLFetchDisabledError extends BadRequestError {
  name: 'OrganizationURLFetchDisabledError';
  readonly errorCode: 'organization_url_fetch_disabled';
}
export const OrganizationURLFetchDisabledError: ErrorClass<OrganizationURLFetchDisabledError> =
  define(400, 'organization_url_fetch_disabled', true);
/** 400 `parent_organization_required`: the endpoint serves only child organizations. */
export interface ParentOrganizationRequiredError extends BadRequestError {
  name: 'ParentOrganizationRequiredError';
  readonly errorCode: 'parent_organization_required';
}
export const ParentOrganizationRequiredError: ErrorClass<ParentOrganizationRequiredError> = define(
  400,
  'parent_organization_required',
  true,
);
/** 400 `request_body_encoding_invalid`: the body is not valid for its `Content-Encoding`. */
export interface RequestBodyEncodingInvalidError extends BadRequestError {
  name: 'RequestBodyEncodingInvalidError';
  readonly errorCode: 'request_body_encoding_invalid';
}
export const RequestBodyEncodingInvalidError: ErrorClass<RequestBodyEncodingInvalidError> = define(
  400,
  'request_body_encoding_invalid',
  true,
);
/** 400 `request_body_encoding_unsupported`: the `Content-Encoding` is not supported. */
export interface RequestBodyEncodingUnsupportedError extends BadRequestError {
  name: 'RequestBodyEncodingUnsupportedError';
  readonly errorCode: 'request_body_encoding_unsupported';
}
export const RequestBodyEncodingUnsupportedError: ErrorClass<RequestBodyEncodingUnsupportedError> =
  define(400, 'request_body_encoding_unsupported', true);
/** 400 `workspace_human_review_disabled`: use a workspace with Human Review on. */
export interface WorkspaceHumanReviewDisabledError extends BadRequestError {
  name: 'WorkspaceHumanReviewDisabledError';
  readonly errorCode: 'workspace_human_review_disabled';
}
export const WorkspaceHumanReviewDisabledError: ErrorClass<WorkspaceHumanReviewDisabledError> =
  define(400, 'workspace_human_review_disabled', true);
/** 402 `linked_organization_billing_unavailable`: the linked organization cannot be billed. */
export interface LinkedOrganizationBillingUnavailableError extends PaymentRequiredError {
  name: 'LinkedOrganizationBillingUnavailableError';
  readonly errorCode: 'linked_organization_billing_unavailable';
}
export const LinkedOrganizationBillingUnavailableError: ErrorClass<LinkedOrganizationBillingUnavailableError> =
  define(402, 'linked_organization_billing_unavailable', true);
/** 402 `linked_organization_spend_limit_reached`: the linked organization hit a limit or lacks credit. */
export interface LinkedOrganizationSpendLimitReachedError extends PaymentRequiredError {
  name: 'LinkedOrganizationSpendLimitReachedError';
  readonly errorCode: 'linked_organization_spend_limit_reached';
}
export const LinkedOrganizationSpendLimitReachedError: ErrorClass<LinkedOrganizationSpendLimitReachedError> =
  define(402, 'linked_organization_spend_limit_reached', true);
/** 403 `sandbox_egress_restricted`: send the request from outside the restricted sandbox. */
export interface SandboxEgressRestrictedError extends PermissionDeniedError {
  name: 'SandboxEgressRestrictedError';
  readonly errorCode: 'sandbox_egress_restricted';
}
export const SandboxEgressRestrictedError: ErrorClass<SandboxEgressRestrictedError> = define(
  403,
  'sandbox_egress_restricted',
  true,
);
/** 413 `request_body_too_large_after_decoding`: the decoded body exceeds the size limit. */
export interface RequestBodyTooLargeAfterDecodingError extends ContentTooLargeError {
  name: 'RequestBodyTooLargeAfterDecodingError';
  readonly errorCode: 'request_body_too_large_after_decoding';
}
export const RequestBodyTooLargeAfterDecodingError: ErrorClass<RequestBodyTooLargeAfterDecodingError> =
  define(413, 'request_body_too_large_after_decoding', true);
/** 429 `contract_spend_limit_reached`: the organization reached its contract's spend limit. */
export interface ContractSpendLimitReachedError extends RateLimitError {
  name: 'ContractSpendLimitReachedError';
  readonly errorCode: 'contract_spend_limit_reached';
}
export const ContractSpendLimitReachedError: ErrorClass<ContractSpendLimitReachedError> = define(
  429,
  'contract_spend_limit_reached',
  true,
);
/** 429 `enforced_spend_limit_reached`: the monthly usage threshold of the API tier was crossed. */
export interface EnforcedSpendLimitReachedError extends RateLimitError {
  name: 'EnforcedSpendLimitReachedError';
  readonly errorCode: 'enforced_spend_limit_reached';
}
export const EnforcedSpendLimitReachedError: ErrorClass<EnforcedSpendLimitReachedError> = define(
  429,
  'enforced_spend_limit_reached',
  true,
);
/** 429 `ramp_limit_exceeded`: usage grew faster than allowed; retry after `retry-after`. */
export interface RampLimitExceededError extends RateLimitError {
  name: 'RampLimitExceededError';
  readonly errorCode: 'ramp_limit_exceeded';
}
export const RampLimitExceededError: ErrorClass<RampLimitExceededError> = define(
  429,
  'ramp_limit_exceeded',
  true,
);
/** 503 `cmek_context_unavailable`: the workspace's encryption settings could not be read. */
export interface CMEKContextUnavailableError extends ServiceUnavailableError {
  name: 'CMEKContextUnavailableError';
  readonly errorCode: 'cmek_context_unavailable';
}
export const CMEKContextUnavailableError: ErrorClass<CMEKContextUnavailableError> = define(
  503,
  'cmek_context_unavailable',
  true,
);
/** 503 `cmek_key_unreachable`: the customer-managed key could not be reached; retry. */
export interface CMEKKeyUnreachableError extends ServiceUnavailableError {
  name: 'CMEKKeyUnreachableError';
  readonly errorCode: 'cmek_key_unreachable';
}
export const CMEKKeyUnreachableError: ErrorClass<CMEKKeyUnreachableError> = define(
  503,
  'cmek_key_unreachable',
  true,
);
/** 503 `storage_not_ready`: the workspace is still being connected to its storage. */
export interface StorageNotReadyError extends ServiceUnavailableError {
  name: 'StorageNotReadyError';
  readonly errorCode: 'storage_not_ready';
}
export const StorageNotReadyError: ErrorClass<StorageNotReadyError> = define(
  503,
  'storage_not_ready',
  true,
);

/** Picks the error class for an HTTP status. */
export function errorClassForStatus(status: number): APIErrorClass {
  return STATUS_ERROR_CLASSES.get(status) ?? (status >= 500 ? InternalServerError : APIError);
}

/**
 * Picks the error class for an error answer: its `error.details.error_code` when the
 * table knows the code for that status, else its status.
 *
 * @param status - the HTTP status
 * @param body - the parsed error body
 */
export function errorClassFor(status: number, body: unknown): APIErrorClass {
  const code = (body as any)?.error?.details?.error_code;
  return (
    (typeof code === 'string' ? ERROR_CODE_CLASSES.get(`${status} ${code}`) : undefined) ??
    errorClassForStatus(status)
  );
}
