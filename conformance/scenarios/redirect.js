// @ts-check
import { batchRequests } from './fixtures.js';

/** @type {import('../src/harness.js').Scenario} */
export default {
  name: "a redirect is never followed by the runtime's own fetch (UnexpectedRedirectError)",
  requires: ['serve'],
  async run({ createClient, emulator, assert, serve }) {
    const api = emulator({ clock: 'manual', rate: 10, apiKeys: ['sk-redirect'] });
    const server = await serve(api);
    const batches = createClient({ apiKey: 'sk-redirect', baseURL: server.url }).messages.batches;
    const created = await batches.create({ requests: batchRequests(2) });
    // The API address answers 307 once, pointing at a request that would succeed: a fetch
    // that followed it would resolve with the batch.
    for (const status of [301, 307, 308]) {
      api.faults.add({
        operation: 'retrieve',
        type: 'status',
        status,
        headers: { location: `${server.url}/v1/messages/batches/${created.id}?via=redirect` },
      });
      await assert.rejects(batches.retrieve(created.id), 'UnexpectedRedirectError', `${status}`);
      api.faults.clear();
    }
    const after = await batches.retrieve(created.id);
    assert.equal(after.id, created.id, 'the same call without the redirect succeeds');
  },
};
