import * as classes from './error-classes.ts';
import * as errors from './errors.ts';
import { ResultsMismatchError } from './workflows/shared.ts';

/**
 * Every error class msgbatch exports, by the name it is exported under: what the
 * client classes of `@msgbatch/node` carry as static properties (`Anthropic.NotFoundError`),
 * as the official SDK's client does.
 *
 * Hint: a new error class is one line here; `test/error-statics.test.ts` fails for an
 * exported class missing from this list.
 */
export const errorStatics = {
  MsgbatchError: errors.MsgbatchError,
  AnthropicError: errors.MsgbatchError,
  APIError: errors.APIError,
  BadRequestError: errors.BadRequestError,
  AuthenticationError: errors.AuthenticationError,
  PaymentRequiredError: classes.PaymentRequiredError,
  PermissionDeniedError: errors.PermissionDeniedError,
  NotFoundError: errors.NotFoundError,
  RequestTimeoutError: classes.RequestTimeoutError,
  ConflictError: errors.ConflictError,
  PreconditionFailedError: classes.PreconditionFailedError,
  ContentTooLargeError: errors.ContentTooLargeError,
  RequestTooLargeError: errors.RequestTooLargeError,
  UnprocessableEntityError: errors.UnprocessableEntityError,
  RateLimitError: errors.RateLimitError,
  RequestHeaderFieldsTooLargeError: classes.RequestHeaderFieldsTooLargeError,
  ClientClosedRequestError: classes.ClientClosedRequestError,
  InternalServerError: errors.InternalServerError,
  NotImplementedError: classes.NotImplementedError,
  ServiceUnavailableError: classes.ServiceUnavailableError,
  GatewayTimeoutError: classes.GatewayTimeoutError,
  OverloadedError: errors.OverloadedError,
  APIConnectionError: errors.APIConnectionError,
  APIConnectionTimeoutError: errors.APIConnectionTimeoutError,
  APIUserAbortError: errors.APIUserAbortError,
  CreateOutcomeUnknownError: errors.CreateOutcomeUnknownError,
  CredentialsError: errors.CredentialsError,
  ResponseValidationError: errors.ResponseValidationError,
  InvalidArgumentError: errors.InvalidArgumentError,
  JSONLDecodeError: errors.JSONLDecodeError,
  LineTooLongError: errors.LineTooLongError,
  WaitTimeoutError: errors.WaitTimeoutError,
  ResultsMismatchError,
  ClaudeCodeKeyCreatorNotMemberError: classes.ClaudeCodeKeyCreatorNotMemberError,
  ClaudeCodeVersionTooOldError: classes.ClaudeCodeVersionTooOldError,
  CMEKKeyDisabledError: classes.CMEKKeyDisabledError,
  CMEKKeyNetworkBlockedError: classes.CMEKKeyNetworkBlockedError,
  OrganizationOnHoldError: classes.OrganizationOnHoldError,
  OrganizationTypeNotSupportedError: classes.OrganizationTypeNotSupportedError,
  OrganizationURLFetchDisabledError: classes.OrganizationURLFetchDisabledError,
  ParentOrganizationRequiredError: classes.ParentOrganizationRequiredError,
  RequestBodyEncodingInvalidError: classes.RequestBodyEncodingInvalidError,
  RequestBodyEncodingUnsupportedError: classes.RequestBodyEncodingUnsupportedError,
  WorkspaceHumanReviewDisabledError: classes.WorkspaceHumanReviewDisabledError,
  LinkedOrganizationBillingUnavailableError: classes.LinkedOrganizationBillingUnavailableError,
  LinkedOrganizationSpendLimitReachedError: classes.LinkedOrganizationSpendLimitReachedError,
  SandboxEgressRestrictedError: classes.SandboxEgressRestrictedError,
  RequestBodyTooLargeAfterDecodingError: classes.RequestBodyTooLargeAfterDecodingError,
  ContractSpendLimitReachedError: classes.ContractSpendLimitReachedError,
  EnforcedSpendLimitReachedError: classes.EnforcedSpendLimitReachedError,
  RampLimitExceededError: classes.RampLimitExceededError,
  CMEKContextUnavailableError: classes.CMEKContextUnavailableError,
  CMEKKeyUnreachableError: classes.CMEKKeyUnreachableError,
  StorageNotReadyError: classes.StorageNotReadyError,
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
