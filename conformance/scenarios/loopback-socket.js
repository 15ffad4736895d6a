// @ts-check
import { batchRequests } from './fixtures.js';

/** @type {import('../src/harness.js').Scenario} */
export default {
  name: "over the network stack: the runtime's own server and global fetch",
  requires: ['serve'],
  async run({ createClient, emulator, assert, serve }) {
    const api = emulator({ clock: 'manual', rate: 10, apiKeys: ['sk-socket'] });
    const server = await serve(api);
    // A 127.0.0.1 socket where the runtime can listen; in workerd, a URL its
    // outbound service routes back into the worker.
    assert.ok(/^http:\/\/[\w.-]+(:\d+)?$/.test(server.url), `served: ${server.url}`);

    // No `fetch` option: the runtime's global fetch.
    const batches = createClient({ apiKey: 'sk-socket', baseURL: server.url }).messages.batches;
    const created = await batches.create({ requests: batchRequests(20) });
    api.clock.advance(500); // five done
    const canceling = await batches.cancel(created.id);
    assert.equal(canceling.processing_status, 'canceling', 'cancel over the socket');
    api.clock.advance(5_000);

    const retrieved = await batches.retrieve(created.id);
    assert.equal(retrieved.processing_status, 'ended', 'ended');
    assert.ok(
      retrieved.results_url?.startsWith(server.url),
      `results_url points back at the server: ${retrieved.results_url}`,
    );
    let total = 0;
    for await (const _line of await batches.results(created.id)) total += 1;
    assert.equal(total, 20, 'every result line streamed over the socket');

    const page = await batches.list({ limit: 5 });
    assert.equal(page.data[0]?.id, created.id, 'listed');
    await assert.rejects(batches.retrieve('msgbatch_nope'), 'NotFoundError', '404 over the socket');
  },
};
