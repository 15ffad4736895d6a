// @ts-check
import { batchRequests, countingFetch, IN_PROCESS_URL, recordingClock } from './fixtures.js';

/** @type {import('../src/harness.js').Scenario} */
export default {
  name: '529 is retried after retry-after-ms',
  async run({ createClient, emulator, assert }) {
    const api = emulator({ clock: 'manual' });
    const counted = countingFetch(api.fetch);
    const clock = recordingClock();
    const batches = createClient({
      apiKey: 'sk-conformance',
      baseURL: IN_PROCESS_URL,
      fetch: counted.fetch,
      clock,
    }).messages.batches;
    const { id } = await batches.create({ requests: batchRequests(1) });

    api.faults.add({
      operation: 'retrieve',
      type: 'status',
      status: 529,
      headers: { 'retry-after-ms': '10' },
      times: 1,
    });
    const started = Date.now();
    const batch = await batches.retrieve(id);
    assert.equal(batch.id, id, 'retrieved after the retry');
    assert.deepEqual(clock.sleeps, [10], 'waited exactly what retry-after-ms asked');
    assert.ok(Date.now() - started >= 9, 'the wait really happened');
    assert.equal(counted.calls.filter((c) => c.startsWith('GET')).length, 2, 'two attempts');

    // Out of retries, the 529 surfaces as OverloadedError.
    api.faults.add({ operation: 'retrieve', type: 'status', status: 529, times: 1 });
    const error = await assert.rejects(batches.retrieve(id, { maxRetries: 0 }), 'OverloadedError');
    assert.equal(error.status, 529, 'status');
  },
};
