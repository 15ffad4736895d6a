// Figure 8: cancelMany of 10,000 batches against the emulator limited to 4,000 requests a
// minute. Both clocks run SCALE times faster than real time (the emulator's window and the
// client's retry-after waits), so 150 s of limit-bound time takes 150/SCALE s.
import { fileURLToPath } from 'node:url';
import { Anthropic as Msgbatch } from '@msgbatch/node';
import { startServer } from './server.mjs';
import { summary } from './stats.mjs';

const script = fileURLToPath(new URL('emulator-server.mjs', import.meta.url));

/** A client clock SCALE times faster than real time. */
function scaledClock(scale) {
  const origin = Date.now();
  const t0 = performance.now();
  return {
    now: () => origin + (performance.now() - t0) * scale,
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(resolve, ms / scale);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }),
  };
}

function ask(child, message, key) {
  return new Promise((resolve) => {
    const onMessage = (reply) => {
      if (key in reply) {
        child.off('message', onMessage);
        resolve(reply);
      }
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

export async function run({ count = 10_000, rpm = 4000, scale = 10, runs = 5, concurrency = 4 }) {
  const server = await startServer(script, [String(scale), String(rpm)]);
  const limitBoundMs = (count / rpm) * 60_000;
  const results = { ratio: [], emulatorSeconds: [], wallSeconds: [], rateLimited: [] };
  let accounted = true;
  let outcomesSeen = '';
  try {
    const { ids: all } = await ask(server.child, { prepare: count }, 'ids');
    for (let round = 0; round <= runs; round++) {
      const ids = round === 0 ? all.slice(0, 1000) : all; // round 0 warms up
      let limited = 0;
      const client = new Msgbatch({
        apiKey: 'k',
        baseURL: server.url,
        clock: scaledClock(scale),
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (response.status === 429) limited++;
          return response;
        },
      });
      await ask(server.child, { go: true }, 'started');
      const start = performance.now();
      const outcomes = await client.messages.batches.cancelMany(ids, { concurrency });
      const wall = performance.now() - start;
      const { emulatorMs } = await ask(server.child, { stop: true }, 'emulatorMs');
      if (round === 0) continue;
      const byStatus = {};
      for (const o of outcomes) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
      const same = outcomes.length === ids.length && outcomes.every((o, i) => o.id === ids[i]);
      accounted &&= same && byStatus.canceled === ids.length;
      outcomesSeen = JSON.stringify(byStatus);
      results.ratio.push(emulatorMs / limitBoundMs);
      results.emulatorSeconds.push(emulatorMs / 1000);
      results.wallSeconds.push(wall / 1000);
      results.rateLimited.push(limited);
    }
  } finally {
    await server.stop();
  }
  return {
    count,
    rpm,
    scale,
    concurrency,
    limitBoundSeconds: limitBoundMs / 1000,
    accounted,
    outcomes: outcomesSeen,
    ratio: summary(results.ratio),
    emulatorSeconds: summary(results.emulatorSeconds),
    wallSeconds: summary(results.wallSeconds),
    rateLimited: summary(results.rateLimited),
  };
}
