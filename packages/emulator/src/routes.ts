import { Hono } from 'hono';
import {
  errorResponse,
  invalidRequest,
  jsonResponse,
  notFound,
  requestTooLarge,
} from './errors.ts';
import { checkAuth, checkBetas, checkBrowser, checkVersion, credentialOf } from './gates.ts';
import { isArchived, serializeBatch, statusAt, timelineOf } from './processing.ts';
import { resultsStream } from './results.ts';
import { baseURL, createBatch, type EmulatorState, nowUs } from './state.ts';
import { isProblem, parseCreateBody, readBodyText } from './validation.ts';
import { selectWorkspace, WORKSPACE_HEADER } from './workspaces.ts';

/** Per-request values the outer handler passes to the Hono app. */
export interface RequestBindings {
  /** This response's `request-id`, repeated in error bodies. */
  requestId: string;
  /** Headers the outer handler adds to the final response (rate-limit headers). */
  extraHeaders: Headers;
}

/** The Hono environment of the API app: the bindings, and the workspace the gates chose. */
export interface ApiEnv {
  Bindings: RequestBindings;
  Variables: { workspace: string };
}

function parseLimit(raw: string | undefined): number | string {
  if (raw === undefined) return 20;
  if (!/^[+-]?\d+$/.test(raw.trim())) {
    return 'limit: Input should be a valid integer, unable to parse string as an integer';
  }
  const limit = Number(raw);
  if (limit < 1) return 'limit: Input should be greater than or equal to 1';
  if (limit > 1000) return 'limit: Input should be less than or equal to 1000';
  return limit;
}

/**
 * The Message Batches API as a Hono app: browser, credential, workspace and version gates,
 * the optional rate limit, then the six operations, each seeing only the batches of the
 * caller's workspace. Only web-standard APIs are used.
 */
export function createApp(state: EmulatorState) {
  const app = new Hono<ApiEnv>();
  const { unverified } = state.options;
  const batchJson = (c: { req: { raw: Request } }, record: Parameters<typeof serializeBatch>[0]) =>
    jsonResponse(
      200,
      serializeBatch(record, nowUs(state), state.options, baseURL(state, c.req.raw)),
    );

  app.use('/v1/*', async (c, next) => {
    const raw = c.req.raw;
    const { requestId } = c.env;
    const unauthorized =
      checkBrowser(raw, state.options, requestId) ?? checkAuth(raw, state.options, requestId);
    if (unauthorized) return unauthorized;
    const credential = credentialOf(raw)!;
    const workspace = selectWorkspace(raw, credential, state.options.workspaces, requestId);
    if (typeof workspace !== 'string') return workspace;
    c.set('workspace', workspace);
    c.env.extraHeaders.set(WORKSPACE_HEADER, workspace);
    const refused = checkVersion(raw, requestId) ?? checkBetas(raw, state.options, requestId);
    if (refused) return refused;
    if (state.limiter) {
      const verdict = state.limiter.take(state.clock.now());
      for (const [name, value] of Object.entries(verdict.headers))
        c.env.extraHeaders.set(name, value);
      if (!verdict.allowed) {
        const message = `This request would exceed your organization's rate limit of ${state.limiter.limit.toLocaleString('en-US')} requests per minute (org: ${state.organizationId}). For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage.`;
        return errorResponse(429, 'rate_limit_error', message, requestId);
      }
    }
    await next();
  });

  app.post('/v1/messages/batches', async (c) => {
    const text = await readBodyText(c.req.raw);
    const parsed = isProblem(text) ? text : parseCreateBody(text);
    if (isProblem(parsed)) {
      if (parsed.status === 413) return requestTooLarge();
      return errorResponse(parsed.status, parsed.type, parsed.message, c.env.requestId);
    }
    return batchJson(c, createBatch(state, parsed, c.get('workspace')));
  });

  app.get('/v1/messages/batches', (c) => {
    const limit = parseLimit(c.req.query('limit'));
    if (typeof limit === 'string') return invalidRequest(limit, c.env.requestId);
    const beforeId = c.req.query('before_id') || undefined;
    const afterId = c.req.query('after_id') || undefined;
    if (beforeId && afterId) {
      return invalidRequest('before_id and after_id cannot be used together', c.env.requestId);
    }
    const page = state.store.page({ limit, beforeId, afterId, workspace: c.get('workspace') });
    if (page.unknownCursor !== undefined && unverified.foreignCursor === 'not-found') {
      return notFound(page.unknownCursor, c.env.requestId);
    }
    const base = baseURL(state, c.req.raw);
    const data = page.records.map((r) => serializeBatch(r, nowUs(state), state.options, base));
    return jsonResponse(200, {
      data,
      has_more: page.hasMore,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    });
  });

  app.get('/v1/messages/batches/:id', (c) => {
    const record = state.store.get(c.req.param('id'), c.get('workspace'));
    if (!record) return notFound(c.req.param('id'), c.env.requestId);
    const response = batchJson(c, record);
    // Every recorded poll of an unfinished batch carried `retry-after: 10`; ended ones none.
    const { pollRetryAfter } = state.options;
    if (pollRetryAfter !== undefined && statusAt(record, nowUs(state), state.options) !== 'ended') {
      response.headers.set('retry-after', String(pollRetryAfter));
    }
    return response;
  });

  app.post('/v1/messages/batches/:id/cancel', (c) => {
    const id = c.req.param('id');
    const record = state.store.get(id, c.get('workspace'));
    if (!record) return notFound(id, c.env.requestId);
    const status = statusAt(record, nowUs(state), state.options);
    if (status === 'ended') {
      if (unverified.cancelEnded === 'return-batch') return batchJson(c, record);
      const message = `Batch ${id} cannot be canceled because it has already finished processing`;
      return invalidRequest(message, c.env.requestId);
    }
    if (status === 'in_progress') record.cancelUs = nowUs(state);
    return batchJson(c, record);
  });

  app.delete('/v1/messages/batches/:id', (c) => {
    const id = c.req.param('id');
    const record = state.store.get(id, c.get('workspace'));
    if (!record) return notFound(id, c.env.requestId);
    const status = statusAt(record, nowUs(state), state.options);
    if (
      status === 'in_progress' ||
      (status === 'canceling' && unverified.deleteCanceling === 'refuse')
    ) {
      const message =
        'In progress batches cannot be deleted. Consider canceling the batch instead.';
      return invalidRequest(message, c.env.requestId);
    }
    state.store.delete(id);
    return jsonResponse(200, { id, type: 'message_batch_deleted' });
  });

  app.get('/v1/messages/batches/:id/results', (c) => {
    const id = c.req.param('id');
    const record = state.store.get(id, c.get('workspace'));
    if (!record) return notFound(id, c.env.requestId);
    const now = nowUs(state);
    if (statusAt(record, now, state.options) !== 'ended' || isArchived(record, now)) {
      const message = `Message Batch ${id} has no available results.`;
      return errorResponse(404, 'not_found_error', message, c.env.requestId);
    }
    const body = resultsStream(record, timelineOf(record, state.options), state.options.seed);
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': 'application/x-jsonl',
        // As recorded in 2026 (earlier recordings wrote `filename="<id>_results.jsonl"`).
        'content-disposition': `attachment; filename*=utf-8''${encodeURIComponent(id)}_results.jsonl`,
      },
    });
  });

  app.notFound((c) => errorResponse(404, 'not_found_error', 'Not found', c.env.requestId));
  app.onError((_error, c) =>
    errorResponse(500, 'api_error', 'Internal server error', c.env.requestId),
  );
  return app;
}
