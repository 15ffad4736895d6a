import { createEmulator } from '@msgbatch/emulator';
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import Anthropic, { type NodeClientOptions } from '../src/index.ts';

// Spans as the official client names them, recorded by an in-memory exporter.

const KEY = 'my-anthropic-api-key';
const requests = [1, 2, 3].map((i) => ({
  custom_id: `r${i}`,
  params: {
    model: 'claude-sonnet-4-5',
    max_tokens: 8,
    messages: [{ role: 'user' as const, content: 'hi' }],
  },
}));

function setup(openTelemetry?: NodeClientOptions['openTelemetry']) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const api = createEmulator({ clock: 'manual', apiKeys: [KEY] });
  const sent: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push(request.clone());
    return api.fetch(request);
  };
  const client = new Anthropic({
    apiKey: KEY,
    baseURL: 'http://127.0.0.1:4010',
    fetch,
    openTelemetry: openTelemetry === undefined ? { tracerProvider: provider } : openTelemetry,
  });
  return { exporter, provider, api, client, sent };
}

afterEach(() => {
  trace.disable();
  propagation.disable();
  context.disable();
});

describe('openTelemetry', () => {
  it('one CLIENT span per API call, named and with attributes as the official client', async () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const { exporter, client, sent, api } = setup();
    const batch = await client.messages.batches.create({ requests });
    await client.messages.batches.retrieve(batch.id);
    await client.messages.batches.list({ limit: 2 });
    await client.messages.batches.cancel(batch.id);
    api.clock.advance(60_000);
    for await (const _ of client.messages.batches.results(batch.id)) {
      // drain
    }
    await client.messages.batches.delete(batch.id);
    await client.messages.batches.retrieve('msgbatch_missing').catch(() => {});
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual([
      'anthropic.messages.batches.create',
      'anthropic.messages.batches.retrieve',
      'anthropic.messages.batches.list',
      'anthropic.messages.batches.cancel',
      'anthropic.messages.batches.results',
      'anthropic.messages.batches.delete',
      'anthropic.messages.batches.retrieve',
    ]);
    expect(spans.every((s) => s.kind === 2 /* CLIENT */)).toBe(true);
    expect(spans[0]!.attributes).toMatchObject({
      'gen_ai.provider.name': 'anthropic',
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'http.request.resend_count': 0,
      'server.address': '127.0.0.1',
      'url.path': '/v1/messages/batches',
      'anthropic.message.batch.request_count': 3,
    });
    expect(spans[3]!.attributes).toMatchObject({
      'anthropic.message.batch.id': batch.id,
      'url.path': `/v1/messages/batches/${batch.id}/cancel`,
    });
    expect(spans[6]!.attributes).toMatchObject({
      'http.response.status_code': 404,
      'error.type': '404',
    });
    // W3C trace context with each attempt: the span's own trace and span id.
    const traceparent = sent[0]!.headers.get('traceparent');
    expect(traceparent).toBe(
      `00-${spans[0]!.spanContext().traceId}-${spans[0]!.spanContext().spanId}-01`,
    );
    expect(sent.every((r) => r.headers.get('x-msgbatch-trace-attempts') === null)).toBe(true);
  });

  it('counts resends, and propagation: false sends no trace context', async () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const sent: Request[] = [];
    let calls = 0;
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      sent.push(request);
      return ++calls === 1
        ? Response.json(
            { type: 'error', error: { type: 'overloaded_error', message: 'busy' } },
            { status: 529, headers: { 'retry-after-ms': '1' } },
          )
        : Response.json({ id: 'msgbatch_x', type: 'message_batch_deleted' });
    };
    const client = new Anthropic({
      apiKey: KEY,
      baseURL: 'http://127.0.0.1:4010',
      fetch,
      openTelemetry: { tracerProvider: provider, propagation: false },
    });
    await client.messages.batches.delete('msgbatch_x');
    const [span] = exporter.getFinishedSpans();
    expect(span!.attributes['http.request.resend_count']).toBe(1);
    expect(span!.attributes['http.response.status_code']).toBe(200);
    expect(sent).toHaveLength(2);
    expect(sent.map((r) => r.headers.get('traceparent'))).toEqual([null, null]);
  });

  it('workflows get a parent span; their API calls are its children', async () => {
    const { exporter, client, api } = setup();
    const batch = await client.messages.batches.create({ requests });
    const waiting = client.messages.batches.cancelAndWait(batch.id, { pollInterval: 10 } as never);
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 1));
      api.clock.advance(1_000);
    }
    await waiting;
    const spans = exporter.getFinishedSpans();
    const parent = spans.find((s) => s.name === 'msgbatch.messages.batches.cancel_and_wait')!;
    expect(parent).toBeDefined();
    const children = spans.filter(
      (s) => s.parentSpanContext?.spanId === parent.spanContext().spanId,
    );
    expect(children.map((s) => s.name)).toContain('anthropic.messages.batches.cancel');
    expect(children.length).toBeGreaterThanOrEqual(1);
  });

  it('without a registered provider, nothing is traced and the API is never needed', async () => {
    const { client, sent } = setup({});
    await client.messages.batches.create({ requests });
    expect(sent[0]!.headers.get('traceparent')).toBeNull();
    expect(sent[0]!.headers.get('x-msgbatch-trace-attempts')).toBeNull();
  });

  it('ANTHROPIC_OPEN_TELEMETRY=false turns the spans off, ..._PROPAGATION=false the trace context', async () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    try {
      process.env.ANTHROPIC_OPEN_TELEMETRY = 'false';
      const off = setup();
      await off.client.messages.batches.create({ requests });
      expect(off.exporter.getFinishedSpans()).toEqual([]);
      expect(off.sent[0]!.headers.get('traceparent')).toBeNull();
      delete process.env.ANTHROPIC_OPEN_TELEMETRY;
      process.env.ANTHROPIC_OPEN_TELEMETRY_PROPAGATION = 'false';
      const quiet = setup();
      await quiet.client.messages.batches.create({ requests });
      expect(quiet.exporter.getFinishedSpans()).toHaveLength(1);
      expect(quiet.sent[0]!.headers.get('traceparent')).toBeNull();
    } finally {
      delete process.env.ANTHROPIC_OPEN_TELEMETRY;
      delete process.env.ANTHROPIC_OPEN_TELEMETRY_PROPAGATION;
    }
  });

  it('a provider registered with the API after the first call is used from then on', async () => {
    const { client } = setup({});
    await client.messages.batches.create({ requests });
    const exporter = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
    await client.messages.batches.list();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([
      'anthropic.messages.batches.list',
    ]);
  });
});
