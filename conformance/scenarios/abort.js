// @ts-check
import { batchRequests, IN_PROCESS_URL } from './fixtures.js';

/** @type {import('../src/harness.js').Scenario} */
export default {
  name: 'abort mid-request and mid-stream → APIUserAbortError',
  async run({ createClient, emulator, assert }) {
    const api = emulator({ clock: 'manual' });
    const batches = createClient({
      apiKey: 'sk-conformance',
      baseURL: IN_PROCESS_URL,
      fetch: api.fetch,
    }).messages.batches;
    const { id } = await batches.create({ requests: batchRequests(50) });

    // While waiting for the response headers.
    api.faults.add({ operation: 'retrieve', type: 'delay', delayMs: 3000 });
    // Prompt means before the delayed answer, told by the order of two timers rather
    // than by the wall clock, so a loaded machine cannot make it fail.
    const beforeHeaders = new AbortController();
    let answerDue = false;
    const answerTimer = setTimeout(() => {
      answerDue = true;
    }, 3000);
    setTimeout(() => beforeHeaders.abort(), 20);
    await assert.rejects(
      batches.retrieve(id, { signal: beforeHeaders.signal }),
      'APIUserAbortError',
      'abort before headers',
    );
    clearTimeout(answerTimer);
    assert.ok(!answerDue, 'the abort was prompt: it did not wait for the delayed answer');

    // While the results body is streaming: the server stalls after a few lines.
    api.clock.advance(60_000);
    api.faults.add({ operation: 'results', type: 'stall', afterBytes: 1024 });
    const midStream = new AbortController();
    let lines = 0;
    await assert.rejects(
      async () => {
        for await (const _line of await batches.results(id, { signal: midStream.signal })) {
          lines += 1;
          if (lines === 1) setTimeout(() => midStream.abort(), 10);
        }
      },
      'APIUserAbortError',
      'abort mid-stream',
    );
    assert.ok(lines >= 1 && lines < 50, `stopped mid-stream (after ${lines} lines)`);

    // An already aborted signal sends nothing.
    await assert.rejects(
      batches.retrieve(id, { signal: AbortSignal.abort() }),
      'APIUserAbortError',
      'aborted before sending',
    );
  },
};
