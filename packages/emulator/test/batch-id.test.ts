import { describe, expect, it } from 'vitest';
import { requests, setup } from './helpers.ts';

describe('batchId option', () => {
  it('names new batches, and falls back to a generated id when taken or undefined', async () => {
    const chosen = ['message_batch_id', 'message_batch_id', undefined];
    const { call } = setup({ batchId: () => chosen.shift() });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await call('POST', '/v1/messages/batches', { requests: requests(1) });
      ids.push(((await response.json()) as { id: string }).id);
    }
    expect(ids[0]).toBe('message_batch_id');
    expect(ids[1]).toMatch(/^msgbatch_01[A-Za-z0-9]{22}$/);
    expect(ids[2]).toMatch(/^msgbatch_01[A-Za-z0-9]{22}$/);
  });
});
