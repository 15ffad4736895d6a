/**
 * The error classes chosen by an answer's status and `error.details.error_code`, and the
 * one function that chooses. Loaded by the transport only when an answer is an error, so
 * a page that only cancels does not download the tables.
 *
 * Hint: a code the API adds later is one class and one line of `ERROR_CODE_CLASSES`; a
 * code not in the table keeps the status class, with `errorCode` set.
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

/** 402: the organization cannot be billed for this request. */
export class PaymentRequiredError extends APIError {
  override name: string = 'PaymentRequiredError';
}
/** 408: the server timed out waiting for the request. */
export class RequestTimeoutError extends APIError {
  override name = 'RequestTimeoutError' as const;
}
/** 412: a precondition of the request did not hold. */
export class PreconditionFailedError extends APIError {
  override name = 'PreconditionFailedError' as const;
}
/** 431: the request's headers are too large. */
export class RequestHeaderFieldsTooLargeError extends APIError {
  override name = 'RequestHeaderFieldsTooLargeError' as const;
}
/** 499: the request was closed before the server answered. */
export class ClientClosedRequestError extends APIError {
  override name = 'ClientClosedRequestError' as const;
}
/** 501: the server does not implement this. */
export class NotImplementedError extends InternalServerError {
  override name = 'NotImplementedError' as const;
}
/** 503: the service is unavailable for now. */
export class ServiceUnavailableError extends InternalServerError {
  override name: string = 'ServiceUnavailableError';
}
/** 504: a gateway timed out. */
export class GatewayTimeoutError extends InternalServerError {
  override name = 'GatewayTimeoutError' as const;
}

// Error-code classes, as the official SDK names them. `errorCode` is narrowed to the code.

/** 400 `claude_code_key_creator_not_member`: the key's creator left the organization or workspace. */
export class ClaudeCodeKeyCreatorNotMemberError extends BadRequestError {
  override name = 'ClaudeCodeKeyCreatorNotMemberError' as const;
  declare readonly errorCode: 'claude_code_key_creator_not_member';
}
/** 400 `claude_code_version_too_old`: update Claude Code, then retry. */
export class ClaudeCodeVersionTooOldError extends BadRequestError {
  override name = 'ClaudeCodeVersionTooOldError' as const;
  declare readonly errorCode: 'claude_code_version_too_old';
}
/** 400 `cmek_key_disabled`: the workspace's customer-managed key is disabled or revoked. */
export class CMEKKeyDisabledError extends BadRequestError {
  override name = 'CMEKKeyDisabledError' as const;
  declare readonly errorCode: 'cmek_key_disabled';
}
/** 400 `cmek_key_network_blocked`: the key service's network controls blocked the request. */
export class CMEKKeyNetworkBlockedError extends BadRequestError {
  override name = 'CMEKKeyNetworkBlockedError' as const;
  declare readonly errorCode: 'cmek_key_network_blocked';
}
/** 400 `organization_on_hold`: the organization is disabled for trust and safety reasons. */
export class OrganizationOnHoldError extends BadRequestError {
  override name = 'OrganizationOnHoldError' as const;
  declare readonly errorCode: 'organization_on_hold';
}
/** 400 `organization_type_not_supported`: the endpoint does not serve this organization type. */
export class OrganizationTypeNotSupportedError extends BadRequestError {
  override name = 'OrganizationTypeNotSupportedError' as const;
  declare readonly errorCode: 'organization_type_not_supported';
}
/** 400 `organization_url_fetch_disabled`: URL sources and fetch tools are off for the organization. */
export class OrganizationURLFetchDisabledError extends BadRequestError {
  override name = 'OrganizationURLFetchDisabledError' as const;
  declare readonly errorCode: 'organization_url_fetch_disabled';
}
/** 400 `parent_organization_required`: the endpoint serves only child organizations. */
export class ParentOrganizationRequiredError extends BadRequestError {
  override name = 'ParentOrganizationRequiredError' as const;
  declare readonly errorCode: 'parent_organization_required';
}
/** 400 `request_body_encoding_invalid`: the body is not valid for its `Content-Encoding`. */
export class RequestBodyEncodingInvalidError extends BadRequestError {
  override name = 'RequestBodyEncodingInvalidError' as const;
  declare readonly errorCode: 'request_body_encoding_invalid';
}
/** 400 `request_body_encoding_unsupported`: the `Content-Encoding` is not supported. */
export class RequestBodyEncodingUnsupportedError extends BadRequestError {
  override name = 'RequestBodyEncodingUnsupportedError' as const;
  declare readonly errorCode: 'request_body_encoding_unsupported';
}
/** 400 `workspace_human_review_disabled`: use a workspace with Human Review on. */
export class WorkspaceHumanReviewDisabledError extends BadRequestError {
  override name = 'WorkspaceHumanReviewDisabledError' as const;
  declare readonly errorCode: 'workspace_human_review_disabled';
}
/** 402 `linked_organization_billing_unavailable`: the linked organization cannot be billed. */
export class LinkedOrganizationBillingUnavailableError extends PaymentRequiredError {
  override name = 'LinkedOrganizationBillingUnavailableError' as const;
  declare readonly errorCode: 'linked_organization_billing_unavailable';
}
/** 402 `linked_organization_spend_limit_reached`: the linked organization hit a limit or lacks credit. */
export class LinkedOrganizationSpendLimitReachedError extends PaymentRequiredError {
  override name = 'LinkedOrganizationSpendLimitReachedError' as const;
  declare readonly errorCode: 'linked_organization_spend_limit_reached';
}
/** 403 `sandbox_egress_restricted`: send the request from outside the restricted sandbox. */
export class SandboxEgressRestrictedError extends PermissionDeniedError {
  override name = 'SandboxEgressRestrictedError' as const;
  declare readonly errorCode: 'sandbox_egress_restricted';
}
/** 413 `request_body_too_large_after_decoding`: the decoded body exceeds the size limit. */
export class RequestBodyTooLargeAfterDecodingError extends ContentTooLargeError {
  override name = 'RequestBodyTooLargeAfterDecodingError' as const;
  declare readonly errorCode: 'request_body_too_large_after_decoding';
}
/** 429 `contract_spend_limit_reached`: the organization reached its contract's spend limit. */
export class ContractSpendLimitReachedError extends RateLimitError {
  override name = 'ContractSpendLimitReachedError' as const;
  declare readonly errorCode: 'contract_spend_limit_reached';
}
/** 429 `enforced_spend_limit_reached`: the monthly usage threshold of the API tier was crossed. */
export class EnforcedSpendLimitReachedError extends RateLimitError {
  override name = 'EnforcedSpendLimitReachedError' as const;
  declare readonly errorCode: 'enforced_spend_limit_reached';
}
/** 429 `ramp_limit_exceeded`: usage grew faster than allowed; retry after `retry-after`. */
export class RampLimitExceededError extends RateLimitError {
  override name = 'RampLimitExceededError' as const;
  declare readonly errorCode: 'ramp_limit_exceeded';
}
/** 503 `cmek_context_unavailable`: the workspace's encryption settings could not be read. */
export class CMEKContextUnavailableError extends ServiceUnavailableError {
  override name = 'CMEKContextUnavailableError' as const;
  declare readonly errorCode: 'cmek_context_unavailable';
}
/** 503 `cmek_key_unreachable`: the customer-managed key could not be reached; retry. */
export class CMEKKeyUnreachableError extends ServiceUnavailableError {
  override name = 'CMEKKeyUnreachableError' as const;
  declare readonly errorCode: 'cmek_key_unreachable';
}
/** 503 `storage_not_ready`: the workspace is still being connected to its storage. */
export class StorageNotReadyError extends ServiceUnavailableError {
  override name = 'StorageNotReadyError' as const;
  declare readonly errorCode: 'storage_not_ready';
}

type APIErrorClass = typeof APIError;

/** The class of each status that has one; other statuses ≥ 500 are `InternalServerError`. */
export const STATUS_ERROR_CLASSES: ReadonlyMap<number, APIErrorClass> = new Map<
  number,
  APIErrorClass
>([
  [400, BadRequestError],
  [401, AuthenticationError],
  [402, PaymentRequiredError],
  [403, PermissionDeniedError],
  [404, NotFoundError],
  [408, RequestTimeoutError],
  [409, ConflictError],
  [412, PreconditionFailedError],
  [413, ContentTooLargeError],
  [422, UnprocessableEntityError],
  [429, RateLimitError],
  [431, RequestHeaderFieldsTooLargeError],
  [499, ClientClosedRequestError],
  [501, NotImplementedError],
  [503, ServiceUnavailableError],
  [504, GatewayTimeoutError],
  [529, OverloadedError],
]);

/** The class of each `"status error_code"`: one line per code. */
export const ERROR_CODE_CLASSES: ReadonlyMap<string, APIErrorClass> = new Map<
  string,
  APIErrorClass
>([
  ['400 claude_code_key_creator_not_member', ClaudeCodeKeyCreatorNotMemberError],
  ['400 claude_code_version_too_old', ClaudeCodeVersionTooOldError],
  ['400 cmek_key_disabled', CMEKKeyDisabledError],
  ['400 cmek_key_network_blocked', CMEKKeyNetworkBlockedError],
  ['400 organization_on_hold', OrganizationOnHoldError],
  ['400 organization_type_not_supported', OrganizationTypeNotSupportedError],
  ['400 organization_url_fetch_disabled', OrganizationURLFetchDisabledError],
  ['400 parent_organization_required', ParentOrganizationRequiredError],
  ['400 request_body_encoding_invalid', RequestBodyEncodingInvalidError],
  ['400 request_body_encoding_unsupported', RequestBodyEncodingUnsupportedError],
  ['400 workspace_human_review_disabled', WorkspaceHumanReviewDisabledError],
  ['402 linked_organization_billing_unavailable', LinkedOrganizationBillingUnavailableError],
  ['402 linked_organization_spend_limit_reached', LinkedOrganizationSpendLimitReachedError],
  ['403 sandbox_egress_restricted', SandboxEgressRestrictedError],
  ['413 request_body_too_large_after_decoding', RequestBodyTooLargeAfterDecodingError],
  ['429 contract_spend_limit_reached', ContractSpendLimitReachedError],
  ['429 enforced_spend_limit_reached', EnforcedSpendLimitReachedError],
  ['429 ramp_limit_exceeded', RampLimitExceededError],
  ['503 cmek_context_unavailable', CMEKContextUnavailableError],
  ['503 cmek_key_unreachable', CMEKKeyUnreachableError],
  ['503 storage_not_ready', StorageNotReadyError],
]);

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
