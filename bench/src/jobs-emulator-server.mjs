// The jobs figure's server, in its own process so only the client's memory is measured.
//   node jobs-emulator-server.mjs fast
//     real clock, processing so fast that a batch has ended by the time it is read; no
//     rate limit. IPC { stats: true } → { batches, requests, rss }.
//   node jobs-emulator-server.mjs limited <scale> <rpm>
//     manual clock moved SCALE× real time while a run is on (like emulator-server.mjs),
//     `rpm` requests a minute over all endpoints, batches that stay in progress. IPC:
//     { go: true } → a fresh rate-limit window, clock running → { started };
//     { stop: true } → { emulatorMs, requests, byOperation } since go.
import { createEmulator } from '@msgbatch/emulator';

const [mode = 'fast', scaleArg = '10', rpmArg = '12'] = process.argv.slice(2);
const SCALE = Number(scaleArg);
let counting = false;
let requests = 0;
let byOperation = {};

const emulator =
  mode === 'fast'
    ? createEmulator({ rate: 1e9, rateLimit: false })
    : createEmulator({
        clock: 'manual',
        // 100 requests at 10^-3 a second: every batch stays in progress during a run.
        rate: 1e-3,
        rateLimit: { requestsPerMinute: Number(rpmArg) },
        onHandled(event) {
          if (!counting) return;
          requests++;
          const key = `${event.operation}:${event.status}`;
          byOperation[key] = (byOperation[key] ?? 0) + 1;
        },
      });
const server = await emulator.listen({ port: 0 });

let timer;
let startedAt = 0;
process.on('message', (msg) => {
  if (msg.stats) {
    const batches = emulator.store.list();
    process.send({
      batches: batches.length,
      requests: batches.reduce(
        (n, b) => n + Object.values(b.request_counts).reduce((a, c) => a + c, 0),
        0,
      ),
      rss: process.memoryUsage().rss,
    });
  }
  if (msg.go) {
    clearInterval(timer);
    emulator.clock.advance(60_000); // a fresh rate-limit window
    startedAt = emulator.clock.now();
    requests = 0;
    byOperation = {};
    counting = true;
    let last = performance.now();
    timer = setInterval(() => {
      const now = performance.now();
      emulator.clock.advance((now - last) * SCALE);
      last = now;
    }, 1);
    process.send({ started: true });
  }
  if (msg.stop) {
    clearInterval(timer);
    counting = false;
    process.send({ emulatorMs: emulator.clock.now() - startedAt, requests, byOperation });
  }
});
process.on('disconnect', async () => {
  clearInterval(timer);
  await server.close();
  process.exit(0);
});
process.send({ port: server.port, url: server.url });
