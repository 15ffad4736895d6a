// @ts-check
import { batchRequests, emulatorClock, IN_PROCESS_URL } from './fixtures.js';

/** @type {import('../src/harness.js').Scenario} */
export default {
  name: 'lifecycle: create → cancel → wait → results → canceled ids → delete',
  async run({ createClient, emulator, assert }) {
    // 2 requests a second: after 1.5 s three are done and seven are left to cancel.
    const api = emulator({ clock: 'manual', rate: 2, seed: 'conformance' });
    const client = createClient({
      apiKey: 'sk-conformance',
      baseURL: IN_PROCESS_URL,
      fetch: api.fetch,
      clock: emulatorClock(api),
    });
    const batches = client.messages.batches;

    const created = await batches.create({ requests: batchRequests(10) });
    assert.equal(created.processing_status, 'in_progress', 'created');
    assert.equal(created.request_counts.processing, 10, 'processing count');
    api.clock.advance(1500);

    const canceling = await batches.cancel(created.id);
    assert.equal(canceling.processing_status, 'canceling', 'after cancel');

    /** @type {string[]} */
    const seen = [];
    const ended = await batches.waitForEnd(created.id, {
      onProgress: (/** @type {any} */ b) => seen.push(b.processing_status),
    });
    assert.equal(ended.processing_status, 'ended', 'after waitForEnd');
    assert.equal(seen[0], 'canceling', 'first progress report');
    const counts = ended.request_counts;
    assert.equal(
      counts.succeeded + counts.errored + counts.canceled + counts.expired,
      10,
      'counts add up',
    );
    assert.ok(counts.canceled > 0, 'some requests were canceled');

    /** @type {Record<string, string[]>} */
    const byType = {};
    for await (const line of await batches.results(created.id)) {
      byType[line.result.type] = [...(byType[line.result.type] ?? []), line.custom_id];
    }
    assert.equal((byType.canceled ?? []).length, counts.canceled, 'canceled lines');
    assert.equal((byType.succeeded ?? []).length, counts.succeeded, 'succeeded lines');

    const canceledIds = await batches.canceledRequests(created.id);
    assert.deepEqual([...canceledIds].sort(), [...(byType.canceled ?? [])].sort(), 'canceled ids');

    const deleted = await batches.delete(created.id);
    assert.deepEqual(
      { id: deleted.id, type: deleted.type },
      { id: created.id, type: 'message_batch_deleted' },
      'deleted',
    );
    await assert.rejects(batches.retrieve(created.id), 'NotFoundError', 'retrieve after delete');
  },
};
