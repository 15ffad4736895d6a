/**
 * The proxy's relayed answers never carry the upstream key, in any form the page could
 * decode: JSON bodies are redacted after parsing, results streams as they flow (an echo
 * split across chunks included), headers as they are copied.
 */
import { describe, expect, it } from 'vitest';
import { batch } from './helpers/fake-fetch.ts';
import { API_KEY, BATCH_ID, call, fakeUpstream, harness, token } from './helpers/proxy-harness.ts';

const escaped = API_KEY.replaceAll('-', '\\u002d');
const forms = {
  raw: API_KEY,
  'JSON-escaped': escaped,
  'percent-encoded': encodeURIComponent(API_KEY).replaceAll('-', '%2D'),
  base64: btoa(API_KEY),
};

async function relayed(answer: () => Response, path = `/v1/messages/batches/${BATCH_ID}`) {
  const upstream = fakeUpstream(answer);
  const { proxy } = harness({ fetch: upstream.fetch });
  const response = await proxy(call(path, { token: await token() }));
  const text = await response.text();
  return { response, text, decoded: decode(text) };
}

/** What a page sees once it has parsed the body: every string, JSON escapes undone. */
function decode(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), (_, v) => v, 0).replace(/\\u([0-9a-f]{4})/gi, (_, h) =>
      String.fromCharCode(Number.parseInt(h, 16)),
    );
  } catch {
    return text;
  }
}

const leaks = (text: string) =>
  text.includes(API_KEY) || Object.values(forms).some((form) => text.includes(form));

describe.each(Object.entries(forms))('an upstream echoing the key (%s)', (_, form) => {
  it('in an error body', async () => {
    const r = await relayed(() =>
      Response.json(
        { type: 'error', error: { type: 'invalid_request_error', message: `bad ${form}` } },
        { status: 400, headers: { 'request-id': `req_${form}` } },
      ),
    );
    expect(r.response.status).toBe(400);
    expect(leaks(r.text) || leaks(r.decoded)).toBe(false);
    expect(leaks(r.response.headers.get('request-id') ?? '')).toBe(false);
  });

  it('in a JSON error body written with escapes', async () => {
    const raw = `{"type":"error","error":{"type":"invalid_request_error","message":"bad ${form.replaceAll('-', '\\u002d')}"}}`;
    const r = await relayed(
      () => new Response(raw, { status: 400, headers: { 'content-type': 'application/json' } }),
    );
    expect(leaks(r.text) || leaks(r.decoded)).toBe(false);
  });

  it('in a batch (200)', async () => {
    const r = await relayed(() => Response.json({ ...batch(), id: BATCH_ID, extra: form }));
    expect(r.response.status).toBe(200);
    expect(leaks(r.text) || leaks(r.decoded)).toBe(false);
  });

  it('in a results stream, split across chunks', async () => {
    const line = `{"custom_id":"a","result":{"type":"errored","error":{"message":"${form}"}}}\n`;
    const r = await relayed(() => {
      const bytes = new TextEncoder().encode(line + line);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
          controller.close();
        },
      });
      return new Response(body, { headers: { 'content-type': 'application/x-jsonl' } });
    }, `/v1/messages/batches/${BATCH_ID}/results`);
    expect(r.response.status).toBe(200);
    expect(leaks(r.text)).toBe(false);
    expect(
      r.text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).custom_id),
    ).toEqual(['a', 'a']);
  });
});
