import { describe, expect, it } from 'vitest';
import type { HandledRequest } from '../src/index.ts';
import { requests, setup } from './helpers.ts';

const LIST = '/v1/messages/batches';

describe('onHandled', () => {
  it('is told about a create once its batch exists, before the answer is sent', async () => {
    const events: HandledRequest[] = [];
    let release: () => void = () => {};
    const ctx = setup({
      onHandled(event) {
        events.push(event);
        // The batch is in the store while the caller still waits for its answer.
        expect(ctx.emulator.store.get(event.batchId ?? '')?.id).toBe(event.batchId);
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    let answered = false;
    const pending = ctx.call('POST', LIST, { requests: requests(2) }).then((r) => {
      answered = true;
      return r;
    });
    await until(() => events.length === 1);
    expect(answered).toBe(false);
    expect(events[0]).toMatchObject({
      operation: 'create',
      method: 'POST',
      path: LIST,
      status: 200,
    });
    expect(events[0]?.requestId).toMatch(/^req_/);
    release();
    const response = await pending;
    expect((await response.json()).id).toBe(events[0]?.batchId);
    expect(response.headers.get('request-id')).toBe(events[0]?.requestId);
  });

  it('reports refused requests with their status and no batch id', async () => {
    const events: HandledRequest[] = [];
    const { call } = setup({ onHandled: (e) => void events.push(e) });
    await call('POST', LIST, { requests: [] });
    await call('GET', `${LIST}/msgbatch_unknown`);
    expect(events.map((e) => [e.operation, e.status, e.batchId])).toEqual([
      ['create', 400, undefined],
      ['retrieve', 404, undefined],
    ]);
  });

  it('runs before an after-body reset drops the connection, not for status or before-body faults', async () => {
    const events: HandledRequest[] = [];
    const { emulator, call } = setup({ onHandled: (e) => void events.push(e) });
    emulator.faults.add({ operation: 'create', type: 'status', status: 529 });
    emulator.faults.add({ operation: 'create', type: 'reset', phase: 'before-body' });
    emulator.faults.add({ operation: 'create', type: 'reset', phase: 'after-body' });
    expect((await call('POST', LIST, { requests: requests(1) })).status).toBe(529);
    await expect(call('POST', LIST, { requests: requests(1) })).rejects.toBeInstanceOf(TypeError);
    expect(events).toEqual([]);
    await expect(call('POST', LIST, { requests: requests(1) })).rejects.toBeInstanceOf(TypeError);
    expect(events).toHaveLength(1);
    expect(events[0]?.batchId).toBe(emulator.store.list()[0]?.id);
  });
});

/** Resolves once `done()` holds, checking after each turn of the event loop. */
async function until(done: () => boolean) {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 0));
}
