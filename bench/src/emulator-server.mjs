// Figure 8's server, in its own process: the emulator over HTTP with a 4,000 requests/minute
// limit, on a manual clock that this process moves SCALE times faster than real time while
// a run is on. IPC: { prepare: n } → creates n in-progress batches once, replies { ids };
// { go: true } → opens a fresh rate-limit window and starts the scaled clock, replies
// { started }; { stop: true } → replies { emulatorMs } (emulator time since go).
// Canceled batches stay `canceling` (a cancel of those is answered 200, like the first), so
// every run cancels the same batches.
import { createEmulator } from '@msgbatch/emulator';

const SCALE = Number(process.argv[2] ?? 10);
const RPM = Number(process.argv[3] ?? 4000);

const emulator = createEmulator({
  clock: 'manual',
  // One request per batch that takes 10^5 s: every batch stays in progress during a run.
  rate: 1e-5,
  cancelDrainMs: 1e12,
  rateLimit: { requestsPerMinute: RPM },
});
const server = await emulator.listen({ port: 0 });

async function prepare(count) {
  emulator.reset();
  const ids = [];
  const body = JSON.stringify({
    requests: [
      {
        custom_id: 'r-1',
        params: {
          model: 'claude-sonnet-4-5',
          max_tokens: 16,
          messages: [{ role: 'user', content: 'Hi' }],
        },
      },
    ],
  });
  const headers = {
    'x-api-key': 'k',
    'anthropic-version': '2023-06-01',
    'content-type': 'application/json',
  };
  while (ids.length < count) {
    const response = await emulator.fetch('http://emulator.test/v1/messages/batches', {
      method: 'POST',
      headers,
      body,
    });
    if (response.status === 429) {
      emulator.clock.advance(60_000); // setup is not measured: skip to the next window
      continue;
    }
    ids.push((await response.json()).id);
  }
  return ids;
}

let timer;
let startedAt = 0;
process.on('message', async (msg) => {
  if (msg.prepare) process.send({ ids: await prepare(msg.prepare) });
  if (msg.go) {
    emulator.clock.advance(60_000); // a fresh rate-limit window for the run
    startedAt = emulator.clock.now();
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
    process.send({ emulatorMs: emulator.clock.now() - startedAt });
  }
});
process.on('disconnect', async () => {
  await server.close();
  process.exit(0);
});
process.send({ port: server.port, url: server.url });
