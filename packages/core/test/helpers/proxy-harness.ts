import type { BrowserTokenScope, MintBrowserTokenOptions } from '../../src/proxy/index.ts';
import {
  type BatchesProxyOptions,
  createBatchesProxy,
  mintBrowserToken,
} from '../../src/proxy/index.ts';
import { batch } from './fake-fetch.ts';

export const API_KEY = 'sk-ant-api03-UPSTREAM-canary-key-0001';
export const SECRET = 'proxy-test-secret-0123456789-abcdefghij';
export const ISSUER = 'https://app.test';
export const AUDIENCE = 'msgbatch-proxy';
export const APP_ORIGIN = 'https://app.test';
export const BATCH_ID = 'msgbatch_01AcJtwEXDB7Vb8s5DWt9Cb1';
export const PROXY = 'https://proxy.test/api/batches-proxy';

export interface UpstreamCall {
  method: string;
  url: string;
  headers: Headers;
  body: string | null;
}

/** The API as seen by the proxy: records every call and answers per route. */
export function fakeUpstream(answer?: (call: UpstreamCall) => Response | Promise<Response>) {
  const calls: UpstreamCall[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const call: UpstreamCall = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body ? await request.text() : null,
    };
    calls.push(call);
    if (answer) return answer(call);
    return defaultAnswer(call);
  };
  return { fetch, calls };
}

function defaultAnswer(call: UpstreamCall): Response {
  const path = new URL(call.url).pathname;
  const headers = {
    'content-type': 'application/json',
    'request-id': 'req_upstream000000000000001',
    'set-cookie': 'upstream-session=1',
    'anthropic-organization-id': 'org-secret',
  };
  const ended = batch({
    processing_status: 'ended',
    results_url: `https://api.upstream.test/v1/messages/batches/${BATCH_ID}/results`,
  });
  if (path.endsWith('/results')) {
    return new Response('{"custom_id":"a","result":{"type":"canceled"}}', {
      headers: { 'content-type': 'application/x-jsonl', 'request-id': 'req_r' },
    });
  }
  if (call.method === 'DELETE') {
    return Response.json({ id: BATCH_ID, type: 'message_batch_deleted' }, { headers });
  }
  if (path === '/v1/messages/batches' && call.method === 'GET') {
    const page = { data: [ended, batch()], has_more: false, first_id: BATCH_ID, last_id: BATCH_ID };
    return Response.json(page, { headers });
  }
  return Response.json(ended, { headers });
}

/** A proxy over a fake upstream, with its log lines collected. */
export function harness(overrides: Partial<BatchesProxyOptions> = {}) {
  const upstream = fakeUpstream();
  const logLines: string[] = [];
  const log = (line: string) => logLines.push(line);
  const proxy = createBatchesProxy({
    upstream: { baseURL: 'https://api.upstream.test', apiKey: API_KEY },
    verify: { secret: SECRET, issuer: ISSUER, audience: AUDIENCE },
    allowedOrigins: [APP_ORIGIN],
    mountPath: '/api/batches-proxy',
    fetch: upstream.fetch,
    logger: { debug: log, info: log, warn: log, error: log },
    logLevel: 'debug',
    ...overrides,
  });
  return { proxy, upstream, logLines };
}

/** A token as the app's backend would mint it. */
export function token(
  scopes: BrowserTokenScope[] = ['batches:read', 'batches:results', 'batches:cancel'],
  extra: Partial<MintBrowserTokenOptions> = {},
): Promise<string> {
  return mintBrowserToken({
    secret: SECRET,
    subject: 'user-1',
    scopes,
    issuer: ISSUER,
    audience: AUDIENCE,
    ...extra,
  } as MintBrowserTokenOptions);
}

/** A request to the proxy, as a page on `origin` would send it. */
export function call(
  path: string,
  init: {
    method?: string;
    token?: string;
    origin?: string | null;
    headers?: Record<string, string>;
    body?: BodyInit;
  } = {},
): Request {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.origin !== null) headers.origin = init.origin ?? APP_ORIGIN;
  return new Request(PROXY + path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body,
    ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}
