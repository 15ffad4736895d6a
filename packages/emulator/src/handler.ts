import type { Hono } from 'hono';
import { EDGE_HEADER } from './errors.ts';
import { applyBodyFault, statusFaultResponse } from './fault-effects.ts';
import { classify, type createFaults } from './faults.ts';
import { addCorsHeaders, preflight } from './gates.ts';
import { newRequestId } from './ids.ts';
import type { ApiEnv } from './routes.ts';
import type { EmulatorState } from './state.ts';

/** Returned instead of a response when a fault drops the connection. */
export const CONNECTION_RESET: unique symbol = Symbol('msgbatch-emulator connection reset');

/** A response, or the instruction to drop the connection. */
export type HandlerResult = Response | typeof CONNECTION_RESET;

/** The parts the handler is built from. */
export interface HandlerParts {
  state: EmulatorState;
  app: Hono<ApiEnv>;
  faults: ReturnType<typeof createFaults>;
  /** Serves `/_emulator/*` when the control route is on. */
  control: ((request: Request) => Promise<Response>) | undefined;
}

/** Tells `onHandled` about a request the API answered (a create's batch id read from a copy). */
async function reportHandled(
  state: EmulatorState,
  request: Request,
  pathname: string,
  response: Response,
  requestId: string,
) {
  const operation = classify(request.method, pathname);
  let batchId: string | undefined;
  if (operation === 'create' && response.status === 200) {
    batchId = ((await response.clone().json()) as { id?: string }).id;
  }
  await state.options.onHandled?.({
    operation,
    method: request.method,
    path: pathname,
    status: response.status,
    requestId,
    ...(batchId === undefined ? {} : { batchId }),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The emulator's request pipeline, web-standard only: control route, CORS preflight,
 * scripted faults, then the Hono app; finally the headers every response carries
 * (`request-id`, `anthropic-organization-id`, CORS) and those the app decided
 * (`anthropic-workspace-id` once the credential is accepted, rate-limit).
 */
export function createHandler(parts: HandlerParts): (request: Request) => Promise<HandlerResult> {
  const { state, app, faults, control } = parts;
  const { organizationId } = state;
  const finish = (request: Request, response: Response, requestId: string, extra?: Headers) => {
    // An answer from the edge in front of the API (the 413) carries none of the API's headers.
    if (response.headers.has(EDGE_HEADER)) {
      response.headers.delete(EDGE_HEADER);
      addCorsHeaders(request, response.headers);
      return response;
    }
    response.headers.set('request-id', requestId);
    response.headers.set('anthropic-organization-id', organizationId);
    for (const [name, value] of extra ?? []) response.headers.set(name, value);
    addCorsHeaders(request, response.headers);
    return response;
  };

  return async (request) => {
    const requestId = newRequestId(state.requestIds);
    const { pathname } = new URL(request.url);
    if (control && pathname.startsWith('/_emulator/')) {
      return finish(request, await control(request), requestId);
    }
    if (request.method === 'OPTIONS') return finish(request, preflight(request), requestId);

    const body = request.body && faults.wantsBody() ? await request.clone().text() : undefined;
    const fault = faults.take(request.method, pathname, body);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.type === 'reset' && fault.phase !== 'after-body') return CONNECTION_RESET;
    if (fault?.type === 'status') {
      return finish(request, statusFaultResponse(fault, requestId), requestId);
    }
    const extraHeaders = new Headers();
    let response = await app.fetch(request, { requestId, extraHeaders });
    if (state.options.onHandled) await reportHandled(state, request, pathname, response, requestId);
    if (fault?.type === 'reset') {
      await response.body?.cancel();
      return CONNECTION_RESET;
    }
    if (fault) response = await applyBodyFault(response, fault);
    return finish(request, response, requestId, extraHeaders);
  };
}
