import { describe, expect, it } from 'vitest';
import { JobSourceError } from '../../src/jobs/errors.ts';
import {
  checkRequest,
  chunkBodyStream,
  ENVELOPE_BYTES,
  idsHash,
  Planner,
  utf8Bytes,
} from '../../src/jobs/plan.ts';

const request = (id: string, content = 'hi') => ({
  custom_id: id,
  params: { model: 'claude-x', max_tokens: 1, messages: [{ role: 'user', content }] },
});

async function plan(
  list: unknown[],
  limits: { requests: number; bytes: number },
  keepTexts = true,
) {
  const planner = new Planner(limits, keepTexts, async () => true);
  const chunks = [];
  for (const [index, r] of list.entries()) {
    const closed = await planner.add({ index, request: r });
    if (closed) chunks.push(closed);
  }
  const last = await planner.finish();
  if (last) chunks.push(last);
  return chunks;
}

describe('Planner', () => {
  it('splits by count', async () => {
    const chunks = await plan(
      Array.from({ length: 25 }, (_, i) => request(`r${i}`)),
      { requests: 10, bytes: 1e9 },
    );
    expect(chunks.map((c) => [c.first, c.count])).toEqual([
      [0, 10],
      [10, 10],
      [20, 5],
    ]);
  });

  it('splits by bytes, each chunk exactly its encoded body, multi-byte text included', async () => {
    const list = Array.from({ length: 40 }, (_, i) => request(`r${i}`, `é😀${'x'.repeat(i)}`));
    const limit = 1500;
    const chunks = await plan(list, { requests: 1000, bytes: limit });
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      const body = JSON.stringify({ requests: list.slice(chunk.first, chunk.first + chunk.count) });
      expect(new TextEncoder().encode(body).byteLength).toBe(chunk.bytes);
      expect(chunk.bytes).toBeLessThanOrEqual(limit);
      // The next request would not have fitted.
      const next = list[chunk.first + chunk.count];
      if (next && chunk.count < 1000) {
        expect(chunk.bytes + 1 + utf8Bytes(JSON.stringify(next))).toBeGreaterThan(limit);
      }
    }
  });

  it('refuses a repeated custom_id, naming both requests', async () => {
    const error = await plan([request('a'), request('b'), request('a')], {
      requests: 10,
      bytes: 1e9,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(JobSourceError);
    expect(error).toMatchObject({ index: 2, customId: 'a' });
    expect(error.message).toMatch(/request 2 .*request 0/);
  });

  it('refuses a request larger than a batch may be', async () => {
    const error = await plan([request('a', 'y'.repeat(500))], { requests: 10, bytes: 200 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(JobSourceError);
    expect(error.message).not.toContain('yyyy');
  });

  it('a chunk body stream is the JSON create body', async () => {
    const list = Array.from({ length: 3000 }, (_, i) => request(`r${i}`, 'ü'));
    const [chunk] = await plan(list, { requests: 100_000, bytes: 1e9 });
    const text = await new Response(chunkBodyStream(chunk!.texts![Symbol.iterator]())).text();
    expect(text).toBe(JSON.stringify({ requests: list }));
    expect(new TextEncoder().encode(text).byteLength).toBe(chunk!.bytes);
    expect(ENVELOPE_BYTES).toBe('{"requests":[]}'.length);
  });
});

describe('checkRequest', () => {
  it('applies create’s rules and never quotes params', () => {
    const secret = { model: 'sk-secret', max_tokens: 1, messages: [] };
    for (const bad of [
      { custom_id: 'bad id', params: secret },
      { custom_id: 'ok', params: [] },
      { custom_id: 'ok', params: secret, extra: 1 },
      { custom_id: 'x'.repeat(65), params: secret },
      null,
    ]) {
      const error = (() => {
        try {
          checkRequest(bad, 4);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(JobSourceError);
      expect((error as JobSourceError).index).toBe(4);
      expect((error as Error).message).not.toContain('sk-secret');
    }
    expect(checkRequest(request('fine'), 0).custom_id).toBe('fine');
  });
});

describe('idsHash', () => {
  it('does not depend on order, and differs for other ids', async () => {
    expect(await idsHash(['a', 'b', 'c'])).toBe(await idsHash(['c', 'a', 'b']));
    expect(await idsHash(['a', 'b'])).not.toBe(await idsHash(['a', 'c']));
    expect(await idsHash(['a'])).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('utf8Bytes', () => {
  it('is the encoded size, pairs and lone surrogates included', () => {
    for (const text of [
      '',
      'abc',
      'é',
      '€',
      '😀',
      'a😀b',
      '\ud800',
      '\udc00x',
      '\ud800\ud800',
      'x\ud83d',
    ]) {
      expect(utf8Bytes(text)).toBe(new TextEncoder().encode(text).byteLength);
    }
  });
});
