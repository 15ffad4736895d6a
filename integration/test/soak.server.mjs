/**
 * The soak's emulator, served from a worker thread so the client and the server each get
 * a core. The main thread adds faults through the control route and asks for a snapshot
 * of the store (ids, statuses, first custom_id, result custom_ids) to reconcile against.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEmulator } from '@msgbatch/emulator';

// The server logs each body it cuts short on purpose (a `truncate` fault); that is the fault
// working, not news. Everything else still reaches stderr.
const log = console.error;
console.error = (...args) => {
  if (String(args[0]).includes('the emulator cut the body short')) return;
  log(...args);
};

const emulator = createEmulator({ ...workerData, controlRoute: true });
const server = await emulator.listen({ port: 0 });
parentPort.postMessage({ type: 'ready', url: server.url });

parentPort.on('message', async (message) => {
  if (message.type === 'snapshot') {
    const batches = emulator.store.list().map((batch) => ({
      id: batch.id,
      processing_status: batch.processing_status,
      cancel_initiated_at: batch.cancel_initiated_at,
      first: emulator.store.requests(batch.id)?.[0]?.custom_id ?? null,
      requests: emulator.store.requests(batch.id)?.length ?? 0,
      results: emulator.store.results(batch.id)?.map((line) => line.custom_id) ?? null,
    }));
    parentPort.postMessage({
      type: 'snapshot',
      batches,
      faultsLeft: emulator.faults.list().length,
    });
  } else if (message.type === 'close') {
    await server.close();
    parentPort.close();
  }
});
