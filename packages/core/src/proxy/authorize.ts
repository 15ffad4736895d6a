import type { ErrorType } from '../schemas/error-envelope.ts';
import type { ProxyRoute } from './route.ts';
import { SCOPE_OF_OPERATION } from './scopes.ts';
import { type BrowserTokenClaims, TokenRejectedError, type TokenVerifier } from './verify-token.ts';

/** A refusal the proxy answers in the API's error envelope. */
export interface Refusal {
  status: number;
  type: ErrorType;
  message: string;
  headers?: Record<string, string>;
}

const CHALLENGE = { 'www-authenticate': 'Bearer realm="msgbatch", error="invalid_token"' };

/**
 * Checks the bearer token and whether its scopes and batch ids allow the route.
 * A bad token is 401 (the page should get a new one); a good token that does not
 * allow this is 403 (a new token would not help).
 */
export async function authorize(
  request: Request,
  route: ProxyRoute,
  verifyToken: TokenVerifier,
  nowMs: number,
): Promise<BrowserTokenClaims | Refusal> {
  const token = /^Bearer (\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!token) {
    return {
      status: 401,
      type: 'authentication_error',
      message: 'A bearer token from your backend is required.',
      headers: CHALLENGE,
    };
  }
  let claims: BrowserTokenClaims;
  try {
    claims = await verifyToken(token, nowMs);
  } catch (error) {
    if (!(error instanceof TokenRejectedError)) throw error;
    return {
      status: 401,
      type: 'authentication_error',
      message: error.message,
      headers: CHALLENGE,
    };
  }
  const scope = SCOPE_OF_OPERATION[route.operation];
  if (!claims.scopes.has(scope)) {
    return forbidden(`This token does not allow ${route.operation} (it needs the ${scope} scope).`);
  }
  if (claims.batchIds && route.batchId === null) {
    // A list would show other batches, and a created batch's id cannot be in the token.
    return forbidden(
      `This token is restricted to specific batches, so ${route.operation} is not allowed.`,
    );
  }
  if (claims.batchIds && !claims.batchIds.has(route.batchId!)) {
    return forbidden(`This token does not allow access to batch ${route.batchId}.`);
  }
  return claims;
}

function forbidden(message: string): Refusal {
  return { status: 403, type: 'permission_error', message };
}

/** True for a refusal (as opposed to the claims of an allowed request). */
export function isRefusal(value: BrowserTokenClaims | Refusal): value is Refusal {
  return 'status' in value;
}
