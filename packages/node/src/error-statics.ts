import * as core from '@msgbatch/core';

/**
 * Every error class msgbatch exports, by the name it is exported under: what the
 * client classes of `@msgbatch/node` carry as static properties (`Anthropic.NotFoundError`),
 * as the official SDK's client does.
 *
 * Hint: a new error class is one line here; `test/error-statics.test.ts` fails for a class
 * `@msgbatch/node` exports that is missing from this list.
 */
export const errorStatics = {
  MsgbatchError: core.MsgbatchError,
  AnthropicError: core.MsgbatchError,
  APIError: core.APIError,
  BadRequestError: core.BadRequestError,
  AuthenticationError: core.AuthenticationError,
  PaymentRequiredError: core.PaymentRequiredError,
  PermissionDeniedError: core.PermissionDeniedError,
  NotFoundError: core.NotFoundError,
  RequestTimeoutError: core.RequestTimeoutError,
  ConflictError: core.ConflictError,
  PreconditionFailedError: core.PreconditionFailedError,
  ContentTooLargeError: core.ContentTooLargeError,
  RequestTooLargeError: core.RequestTooLargeError,
  UnprocessableEntityError: core.UnprocessableEntityError,
  RateLimitError: core.RateLimitError,
  RequestHeaderFieldsTooLargeError: core.RequestHeaderFieldsTooLargeError,
  ClientClosedRequestError: core.ClientClosedRequestError,
  InternalServerError: core.InternalServerError,
  NotImplementedError: core.NotImplementedError,
  ServiceUnavailableError: core.ServiceUnavailableError,
  GatewayTimeoutError: core.GatewayTimeoutError,
  OverloadedError: core.OverloadedError,
  UnexpectedRedirectError: core.UnexpectedRedirectError,
  APIConnectionError: core.APIConnectionError,
  APIConnectionTimeoutError: core.APIConnectionTimeoutError,
  APIUserAbortError: core.APIUserAbortError,
  CreateOutcomeUnknownError: core.CreateOutcomeUnknownError,
  CredentialsError: core.CredentialsError,
  ResponseValidationError: core.ResponseValidationError,
  InvalidArgumentError: core.InvalidArgumentError,
  JSONLDecodeError: core.JSONLDecodeError,
  LineTooLongError: core.LineTooLongError,
  WaitTimeoutError: core.WaitTimeoutError,
  ResultsMismatchError: core.ResultsMismatchError,
  JobSourceError: core.JobSourceError,
  JobAmbiguityError: core.JobAmbiguityError,
  JobNotFoundError: core.JobNotFoundError,
  JobManifestError: core.JobManifestError,
  JobStateError: core.JobStateError,
  ClaudeCodeKeyCreatorNotMemberError: core.ClaudeCodeKeyCreatorNotMemberError,
  ClaudeCodeVersionTooOldError: core.ClaudeCodeVersionTooOldError,
  CMEKKeyDisabledError: core.CMEKKeyDisabledError,
  CMEKKeyNetworkBlockedError: core.CMEKKeyNetworkBlockedError,
  OrganizationOnHoldError: core.OrganizationOnHoldError,
  OrganizationTypeNotSupportedError: core.OrganizationTypeNotSupportedError,
  OrganizationURLFetchDisabledError: core.OrganizationURLFetchDisabledError,
  ParentOrganizationRequiredError: core.ParentOrganizationRequiredError,
  RequestBodyEncodingInvalidError: core.RequestBodyEncodingInvalidError,
  RequestBodyEncodingUnsupportedError: core.RequestBodyEncodingUnsupportedError,
  WorkspaceHumanReviewDisabledError: core.WorkspaceHumanReviewDisabledError,
  LinkedOrganizationBillingUnavailableError: core.LinkedOrganizationBillingUnavailableError,
  LinkedOrganizationSpendLimitReachedError: core.LinkedOrganizationSpendLimitReachedError,
  SandboxEgressRestrictedError: core.SandboxEgressRestrictedError,
  RequestBodyTooLargeAfterDecodingError: core.RequestBodyTooLargeAfterDecodingError,
  ContractSpendLimitReachedError: core.ContractSpendLimitReachedError,
  EnforcedSpendLimitReachedError: core.EnforcedSpendLimitReachedError,
  RampLimitExceededError: core.RampLimitExceededError,
  CMEKContextUnavailableError: core.CMEKContextUnavailableError,
  CMEKKeyUnreachableError: core.CMEKKeyUnreachableError,
  StorageNotReadyError: core.StorageNotReadyError,
} as const;

/** The static side `errorStatics` gives a client class. */
export type ErrorStatics = typeof errorStatics;

/**
 * A subclass of `Base` that carries every error class as a static property. The
 * runtime packages' client classes extend it.
 *
 * @example
 * export class Anthropic extends withErrorStatics(MsgbatchClient) {}
 * Anthropic.NotFoundError; // the class
 */
export function withErrorStatics<C extends abstract new (...args: any[]) => object>(
  Base: C,
): C & ErrorStatics {
  abstract class WithErrorStatics extends Base {}
  return Object.assign(WithErrorStatics, errorStatics);
}
