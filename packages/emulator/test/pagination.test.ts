import { MessageBatchPageSchema } from '@msgbatch/core';
import { describe, expect, it } from 'vitest';
import { expectValid, requests, setup } from './helpers.ts';

async function withBatches(count: number) {
  const ctx = setup();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push((await ctx.create(requests(1))).id);
    ctx.emulator.clock.advance(1000);
  }
  const page = async (query: string) => {
    const response = await ctx.call('GET', `/v1/messages/batches${query}`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expectValid(MessageBatchPageSchema, body);
    return body as {
      data: Array<{ id: string }>;
      has_more: boolean;
      first_id: string;
      last_id: string;
    };
  };
  return { ...ctx, newestFirst: [...ids].reverse(), page };
}

describe('list pagination', () => {
  it('defaults to 20 items, newest first by created_at, with has_more', async () => {
    const { page, newestFirst } = await withBatches(25);
    const first = await page('');
    expect(first.data.map((b) => b.id)).toEqual(newestFirst.slice(0, 20));
    expect(first).toMatchObject({
      has_more: true,
      first_id: newestFirst[0],
      last_id: newestFirst[19],
    });
  });

  it('walks toward older items with after_id = last_id', async () => {
    const { page, newestFirst } = await withBatches(7);
    const seen: string[] = [];
    let query = '?limit=3';
    for (;;) {
      const current = await page(query);
      seen.push(...current.data.map((b) => b.id));
      if (!current.has_more) break;
      query = `?limit=3&after_id=${current.last_id}`;
    }
    expect(seen).toEqual(newestFirst);
  });

  it('walks toward newer items with before_id = first_id, each page newest first', async () => {
    const { page, newestFirst } = await withBatches(7);
    const oldest = newestFirst.at(-1)!;
    const p1 = await page(`?limit=3&before_id=${oldest}`);
    expect(p1.data.map((b) => b.id)).toEqual(newestFirst.slice(3, 6));
    expect(p1.has_more).toBe(true);
    const p2 = await page(`?limit=3&before_id=${p1.first_id}`);
    expect(p2.data.map((b) => b.id)).toEqual(newestFirst.slice(0, 3));
    expect(p2.has_more).toBe(false);
  });

  it('says has_more: false on an exact last page', async () => {
    const { page } = await withBatches(4);
    expect((await page('?limit=4')).has_more).toBe(false);
    expect((await page('?limit=3')).has_more).toBe(true);
  });

  it('skips deleted batches and still pages from a deleted cursor', async () => {
    const { page, newestFirst, call } = await withBatches(5);
    await call('DELETE', `/v1/messages/batches/${newestFirst[2]}`);
    const all = await page('');
    expect(all.data.map((b) => b.id)).toEqual(newestFirst.filter((_, i) => i !== 2));
    const after = await page(`?after_id=${newestFirst[2]}`);
    expect(after.data.map((b) => b.id)).toEqual(newestFirst.slice(3));
  });

  it('returns an empty page for an unknown cursor and 400 for both cursors', async () => {
    const { page, call, newestFirst } = await withBatches(2);
    expect(await page('?after_id=msgbatch_unknown')).toEqual({
      data: [],
      has_more: false,
      first_id: null,
      last_id: null,
    });
    const both = await call(
      'GET',
      `/v1/messages/batches?after_id=${newestFirst[0]}&before_id=${newestFirst[1]}`,
    );
    expect(both.status).toBe(400);
  });
});
