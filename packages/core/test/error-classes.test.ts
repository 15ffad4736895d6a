import { describe, expect, it } from 'vitest';
import * as core from '../src/index.ts';
import {
  APIError,
  BadRequestError,
  ContentTooLargeError,
  ERROR_CODE_CLASSES,
  GatewayTimeoutError,
  InternalServerError,
  NotImplementedError,
  OrganizationOnHoldError,
  PaymentRequiredError,
  RampLimitExceededError,
  type RateLimitError,
  RequestTooLargeError,
  ServiceUnavailableError,
  STATUS_ERROR_CLASSES,
  StorageNotReadyError,
} from '../src/index.ts';
import { json, scriptedFetch, testClient } from './helpers/fake-fetch.ts';

const KEY = 'sk-ant-api03-canary-SECRET-key-000';

function errorBody(type: string, message: string, details?: Record<string, unknown>) {
  return { type: 'error', error: { type, message, ...(details ? { details } : {}) } };
}

async function failWith(reply: Response): Promise<APIError> {
  const { fetch } = scriptedFetch(reply);
  const { client } = testClient(fetch, { maxRetries: 0 });
  const error = await client.messages.batches.cancel('msgbatch_x').then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(APIError);
  return error as APIError;
}

describe('the error class of an answer', () => {
  const byStatus: [number, string][] = [
    [400, 'BadRequestError'],
    [401, 'AuthenticationError'],
    [402, 'PaymentRequiredError'],
    [403, 'PermissionDeniedError'],
    [404, 'NotFoundError'],
    [408, 'RequestTimeoutError'],
    [409, 'ConflictError'],
    [412, 'PreconditionFailedError'],
    [413, 'ContentTooLargeError'],
    [422, 'UnprocessableEntityError'],
    [429, 'RateLimitError'],
    [431, 'RequestHeaderFieldsTooLargeError'],
    [499, 'ClientClosedRequestError'],
    [500, 'InternalServerError'],
    [501, 'NotImplementedError'],
    [502, 'InternalServerError'],
    [503, 'ServiceUnavailableError'],
    [504, 'GatewayTimeoutError'],
    [529, 'OverloadedError'],
    [418, 'APIError'],
  ];
  for (const [status, name] of byStatus) {
    it(`${status} is ${name}, exported under that name`, async () => {
      const error = await failWith(json(errorBody('api_error', 'no'), status));
      expect(error.name).toBe(name);
      expect(error.status).toBe(status);
      expect(error).toBeInstanceOf((core as any)[name]);
    });
  }

  it('5xx classes are InternalServerError; RequestTooLargeError is ContentTooLargeError', () => {
    for (const C of [NotImplementedError, ServiceUnavailableError, GatewayTimeoutError]) {
      expect(C.prototype).toBeInstanceOf(InternalServerError);
    }
    expect(RequestTooLargeError).toBe(ContentTooLargeError);
  });

  it('a known error_code picks its class, a subclass of the status class', async () => {
    const error = await failWith(
      json(
        errorBody('invalid_request_error', 'on hold', {
          error_code: 'organization_on_hold',
          appeal_url: 'https://example.com/appeal',
        }),
        400,
      ),
    );
    expect(error).toBeInstanceOf(OrganizationOnHoldError);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.name).toBe('OrganizationOnHoldError');
    expect(error.errorCode).toBe('organization_on_hold');
    expect(error.details).toEqual({
      error_code: 'organization_on_hold',
      appeal_url: 'https://example.com/appeal',
    });
  });

  it('a 429 code class is still a RateLimitError with retryAfterMs', async () => {
    const error = await failWith(
      json(errorBody('rate_limit_error', 'ramp', { error_code: 'ramp_limit_exceeded' }), 429, {
        'retry-after': '3',
      }),
    );
    expect(error).toBeInstanceOf(RampLimitExceededError);
    expect((error as RateLimitError).retryAfterMs).toBe(3000);
  });

  it('an unknown code, or a known code under another status, keeps the status class', async () => {
    const unknown = await failWith(
      json(errorBody('invalid_request_error', 'x', { error_code: 'added_next_year' }), 400),
    );
    expect(unknown.name).toBe('BadRequestError');
    expect(unknown.errorCode).toBe('added_next_year');
    const elsewhere = await failWith(
      json(errorBody('api_error', 'x', { error_code: 'organization_on_hold' }), 500),
    );
    expect(elsewhere.name).toBe('InternalServerError');
  });

  it('every class of the tables is exported under the name its errors carry', () => {
    for (const C of [...STATUS_ERROR_CLASSES.values(), ...ERROR_CODE_CLASSES.values()]) {
      const { name } = new C(400, null, 'm', new Headers(), null);
      expect((core as any)[name]).toBe(C);
    }
    expect(new (core as any).CMEKKeyDisabledError(400, null, 'm', new Headers(), null).name).toBe(
      'CMEKKeyDisabledError',
    );
    expect(ERROR_CODE_CLASSES.size).toBe(21);
  });

  it('the code table is keyed "status code", each class under its own status', () => {
    const statusOf = (C: unknown) =>
      [...STATUS_ERROR_CLASSES].find(([, S]) => (C as any).prototype instanceof S)?.[0];
    for (const [key, C] of ERROR_CODE_CLASSES) {
      expect(key).toMatch(/^\d{3} [a-z_]+$/);
      expect(Number(key.slice(0, 3))).toBe(statusOf(C));
    }
    expect(StorageNotReadyError.prototype).toBeInstanceOf(ServiceUnavailableError);
    expect(PaymentRequiredError.prototype).toBeInstanceOf(APIError);
  });
});

describe('APIError fields', () => {
  it('apiMessage, type, workspaceID, requestID and request (method and URL, no credential)', async () => {
    const { fetch } = scriptedFetch(
      json(errorBody('not_found_error', 'No such batch'), 404, {
        'anthropic-workspace-id': 'wrkspc_01',
      }),
    );
    const { client } = testClient(fetch, { maxRetries: 0 });
    const error = (await client.messages.batches
      .retrieve('msgbatch_x')
      .catch((e: unknown) => e)) as APIError;
    expect(error.apiMessage).toBe('No such batch');
    expect(error.type).toBe('not_found_error');
    expect(error.errorCode).toBeNull();
    expect(error.details).toBeNull();
    expect(error.workspaceID).toBe('wrkspc_01');
    expect(error.requestID).toBe('req_test0000000000000000001');
    expect(error.request).toEqual({
      method: 'GET',
      url: 'http://127.0.0.1:9/v1/messages/batches/msgbatch_x',
    });
    expect(JSON.stringify(error.request)).not.toContain(KEY);
  });

  it('a non-JSON body gives null apiMessage and errorCode', async () => {
    const error = await failWith(new Response('<html>bad gateway</html>', { status: 502 }));
    expect(error.apiMessage).toBeNull();
    expect(error.errorCode).toBeNull();
    expect(error.name).toBe('InternalServerError');
  });
});
