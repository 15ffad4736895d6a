// @ts-check
import { batchRequests, IN_PROCESS_URL } from './fixtures.js';

/** @type {import('../src/harness.js').Scenario} */
export default {
  name: 'documented cancel example',
  async run({ createClient, emulator, assert }) {
    const api = emulator({
      clock: 'manual',
      apiKeys: ['my-anthropic-api-key'],
      batchId: () => 'message_batch_id',
    });
    const options = { baseURL: IN_PROCESS_URL, fetch: api.fetch };
    const setup = createClient({ apiKey: 'my-anthropic-api-key', ...options });
    await setup.messages.batches.create({ requests: batchRequests(3) });

    // The example from the API reference, with only the transport pointed at the emulator.
    const client = createClient({ apiKey: 'my-anthropic-api-key', ...options });
    const messageBatch = await client.messages.batches.cancel('message_batch_id');

    assert.equal(messageBatch.id, 'message_batch_id', 'id');
    assert.equal(messageBatch.type, 'message_batch', 'type');
    assert.equal(messageBatch.processing_status, 'canceling', 'processing_status');
    assert.ok(typeof messageBatch.cancel_initiated_at === 'string', 'cancel_initiated_at is set');
    assert.ok(/^req_/.test(messageBatch._request_id ?? ''), 'the request id is reachable');
  },
};
