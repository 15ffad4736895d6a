import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type EmulatorOptions, type EmulatorServer } from '../src/index.ts';
import { HEADERS, requests } from './helpers.ts';

let server: EmulatorServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(options: EmulatorOptions = {}) {
  const emulator = createEmulator({ clock: 'manual', ...options });
  server = await emulator.listen();
  const url = server.url;
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: HEADERS,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return { emulator, url, call };
}

describe('listen (real loopback socket)', () => {
  it('serves the API with request ids and error envelopes', async () => {
    const { call } = await serve();
    const missing = await call('GET', '/v1/messages/batches/msgbatch_nope');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('request-id')).toMatch(/^req_/);
    expect((await missing.json()).error.message).toBe('Message Batch msgbatch_nope not found.');
  });

  it('destroys the socket on a reset fault', async () => {
    const { emulator, call } = await serve();
    emulator.faults.add({ operation: 'list', type: 'reset' });
    const error = await call('GET', '/v1/messages/batches').catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((await call('GET', '/v1/messages/batches')).status).toBe(200);
  });

  it('cuts a results body short over the socket', async () => {
    const { emulator, call } = await serve();
    const created = await (
      await call('POST', '/v1/messages/batches', { requests: requests(200) })
    ).json();
    emulator.clock.advance(60_000);
    emulator.faults.add({ operation: 'results', type: 'truncate', afterBytes: 1000 });
    const response = await call('GET', `/v1/messages/batches/${created.id}/results`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('keeps the control route off unless enabled', async () => {
    const { url } = await serve();
    const response = await fetch(`${url}/_emulator/faults`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
  });

  it('accepts faults and clock moves over the control route', async () => {
    const { url, call } = await serve({ controlRoute: true, rate: 1 });
    const created = await (
      await call('POST', '/v1/messages/batches', { requests: requests(2) })
    ).json();
    const added = await fetch(`${url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({
        operation: 'retrieve',
        type: 'status',
        status: 503,
        headers: { 'retry-after': '1' },
      }),
    });
    expect(added.status).toBe(200);
    expect(await (await fetch(`${url}/_emulator/faults`)).json()).toHaveLength(1);
    const faulted = await call('GET', `/v1/messages/batches/${created.id}`);
    expect(faulted.status).toBe(503);
    expect(faulted.headers.get('retry-after')).toBe('1');
    const advanced = await fetch(`${url}/_emulator/clock/advance`, {
      method: 'POST',
      body: JSON.stringify({ ms: 2000 }),
    });
    expect(advanced.status).toBe(200);
    const ended = await (await call('GET', `/v1/messages/batches/${created.id}`)).json();
    expect(ended.processing_status).toBe('ended');
    expect(ended.results_url).toBe(`${url}/v1/messages/batches/${created.id}/results`);
    const batches = await (await fetch(`${url}/_emulator/batches`)).json();
    expect(batches.map((b: { id: string }) => b.id)).toEqual([created.id]);
  });

  it('closes even with a stalled stream open', async () => {
    const { emulator, call } = await serve();
    const created = await (
      await call('POST', '/v1/messages/batches', { requests: requests(50) })
    ).json();
    emulator.clock.advance(60_000);
    emulator.faults.add({ operation: 'results', type: 'stall', afterBytes: 10 });
    const response = await call('GET', `/v1/messages/batches/${created.id}/results`);
    const reader = response.body!.getReader();
    expect((await reader.read()).value!.byteLength).toBe(10);
    const pending = reader.read();
    await server!.close();
    server = undefined;
    await expect(pending).rejects.toThrow();
  });
});
