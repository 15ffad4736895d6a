/**
 * OpenTelemetry spans for the client, as the official client makes them: one `CLIENT`
 * span per API call (`anthropic.messages.batches.cancel`, …) with its attributes, W3C
 * trace context sent with each attempt, and a parent span per workflow.
 *
 * `@opentelemetry/api` is an optional peer: it is imported only when the application gave
 * a `tracerProvider` or has registered one with the API (which puts the API's registry on
 * `globalThis`). A program that does not trace loads none of it.
 */

import type { APIError, RequestOptions, RequestSpec, Transport } from '@msgbatch/core';
import type * as OtelApi from '@opentelemetry/api';

/** The parts of an OpenTelemetry `TracerProvider` the client uses (declared here so the types need no install). */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): unknown;
}

/** The `openTelemetry` client option. */
export interface OpenTelemetryOptions {
  /** The tracer provider for this client's spans, in place of the one registered with the API. */
  tracerProvider?: TracerProviderLike | undefined;
  /**
   * Send the trace context of each call's span with its requests (`traceparent`, and
   * `tracestate`/`baggage` when the registered propagator writes them). Default true;
   * `ANTHROPIC_OPEN_TELEMETRY_PROPAGATION=false` turns it off in Node.
   */
  propagation?: boolean | undefined;
  /** Emit spans (`true`/`false` short for `{ enabled }`). `ANTHROPIC_OPEN_TELEMETRY=false` turns them off in Node. */
  traces?: boolean | { enabled?: boolean | undefined } | undefined;
}

/** What the client traces with, once resolved. */
export interface ResolvedTracing {
  tracerProvider: TracerProviderLike | undefined;
  propagation: boolean;
}

/** The option and the environment's switches, resolved; null when spans are off. */
export function resolveTracing(
  option: OpenTelemetryOptions | false | undefined,
  env: (name: string) => string | undefined,
): ResolvedTracing | null {
  if (option === false) return null;
  const traces = option?.traces;
  const enabled =
    typeof traces === 'boolean'
      ? traces
      : (traces?.enabled ?? env('ANTHROPIC_OPEN_TELEMETRY')?.toLowerCase() !== 'false');
  if (!enabled) return null;
  return {
    tracerProvider: option?.tracerProvider,
    propagation:
      option?.propagation ?? env('ANTHROPIC_OPEN_TELEMETRY_PROPAGATION')?.toLowerCase() !== 'false',
  };
}

const API_REGISTRY = Symbol.for('opentelemetry.js.api.1');
const ATTEMPT_KEY = 'x-msgbatch-trace-attempts';

interface Loaded {
  api: typeof OtelApi;
  tracer: OtelApi.Tracer;
}

/** One traced client: loads the API on first use, counts attempts per call. */
export class Tracing {
  readonly #settings: ResolvedTracing;
  readonly #attempts = new Map<string, number>();
  #loading: Promise<Loaded> | undefined;
  #nextCall = 0;

  constructor(settings: ResolvedTracing) {
    this.#settings = settings;
  }

  /**
   * The API and tracer, loading on first use; null (checked anew on each call, so a
   * provider registered later is picked up) while no provider is registered or given.
   */
  #load(): Promise<Loaded> | null {
    if (this.#loading) return this.#loading;
    const registered = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[API_REGISTRY]
      ?.trace;
    if (!this.#settings.tracerProvider && !registered) return null;
    this.#loading = import('@opentelemetry/api').then((api) => {
      const provider = (this.#settings.tracerProvider ??
        api.trace.getTracerProvider()) as OtelApi.TracerProvider;
      return { api, tracer: provider.getTracer('msgbatch') };
    });
    return this.#loading;
  }

  /**
   * A fetch that counts each call's attempts (for `http.request.resend_count`) and drops
   * the private header that names the call.
   */
  wrapFetch(base: typeof fetch | undefined): typeof fetch {
    const send = base ?? ((input, init) => globalThis.fetch(input, init));
    return (async (input: RequestInfo | URL, init?: RequestInit) => {
      // No call was traced yet, so no request carries the key.
      if (this.#nextCall === 0) return send(input, init);
      // No copy on the common path: ky hands over a Request, whose headers are read in place.
      const source = input instanceof Request ? input.headers : new Headers(init?.headers);
      const key = source.get(ATTEMPT_KEY);
      if (key === null) return send(input, init);
      this.#attempts.set(key, (this.#attempts.get(key) ?? 0) + 1);
      const headers = new Headers(source);
      headers.delete(ATTEMPT_KEY);
      return send(input instanceof Request ? new Request(input, { headers }) : input, {
        ...init,
        headers,
      });
    }) as typeof fetch;
  }

  /** `transport` with a span around each API call, children of `parent` when given. */
  transport(transport: Transport, parent?: OtelApi.Context): Transport {
    const request = async (spec: RequestSpec, options?: RequestOptions) => {
      const loading = this.#load();
      if (!loading) return transport.request(spec, options);
      const { api, tracer } = await loading;
      const context = parent ?? api.context.active();
      const url = new URL(transport.config.baseURL.replace(/\/+$/, '') + spec.path);
      const span = tracer.startSpan(
        `anthropic.messages.batches.${operationOf(spec)}`,
        { kind: api.SpanKind.CLIENT, attributes: callAttributes(spec, url) },
        context,
      );
      const key = `call-${this.#nextCall++}`;
      const headers: Record<string, string> = { ...options?.headers, [ATTEMPT_KEY]: key };
      if (this.#settings.propagation) {
        api.propagation.inject(api.trace.setSpan(context, span), headers);
      }
      try {
        const answer = await transport.request(spec, { ...options, headers });
        span.setAttribute('http.response.status_code', answer.response.status);
        return answer;
      } catch (error) {
        const status = (error as APIError).status;
        if (typeof status === 'number') span.setAttribute('http.response.status_code', status);
        span.setAttribute(
          'error.type',
          typeof status === 'number' ? String(status) : (error as Error).name,
        );
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.setAttribute(
          'http.request.resend_count',
          Math.max(0, (this.#attempts.get(key) ?? 1) - 1),
        );
        this.#attempts.delete(key);
        span.end();
      }
    };
    return { config: transport.config, request };
  }

  /** Runs a workflow under a parent span of its own; its API calls are the span's children. */
  async workflow<T>(
    name: string,
    transport: Transport,
    attributes: Record<string, string | number>,
    run: (traced: Transport) => Promise<T>,
  ): Promise<T> {
    const loading = this.#load();
    if (!loading) return run(this.transport(transport));
    const { api, tracer } = await loading;
    // Not an API call of the official client: named after msgbatch.
    const span = tracer.startSpan(`msgbatch.messages.batches.${name}`, {
      attributes: { 'gen_ai.provider.name': 'anthropic', ...attributes },
    });
    const context = api.trace.setSpan(api.context.active(), span);
    try {
      return await run(this.transport(transport, context));
    } catch (error) {
      span.setAttribute('error.type', (error as Error).name);
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  }
}

const BATCH_PATH = /^\/v1\/messages\/batches(?:\/([^/]+)(?:\/(cancel|results))?)?$/;

/** The operation a request is, from its method and path. */
function operationOf(spec: RequestSpec): string {
  const [, id, action] = BATCH_PATH.exec(spec.path) ?? [];
  if (action) return action;
  if (id) return spec.method === 'DELETE' ? 'delete' : 'retrieve';
  return spec.method === 'POST' ? 'create' : 'list';
}

function callAttributes(spec: RequestSpec, url: URL): Record<string, string | number> {
  const [, id] = BATCH_PATH.exec(spec.path) ?? [];
  const attributes: Record<string, string | number> = {
    'gen_ai.provider.name': 'anthropic',
    'http.request.method': spec.method,
    'server.address': url.hostname,
    'url.path': url.pathname,
  };
  if (url.port) attributes['server.port'] = Number(url.port);
  if (id) attributes['anthropic.message.batch.id'] = decodeURIComponent(id);
  if (spec.method === 'POST' && !id && typeof spec.body === 'string') {
    // The count without parsing the body again: each request is one `"custom_id":` key.
    attributes['anthropic.message.batch.request_count'] =
      spec.body.split('"custom_id":').length - 1;
  }
  return attributes;
}
