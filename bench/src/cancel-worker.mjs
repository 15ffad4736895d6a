// Figure 3 in its own process: cancel round trips against the fixture server, five
// clients interleaved round by round; prints JSON { sequential, parallel, cpu } of ms per
// run (`cpu`: this process's user + system time per run, which the server's separate
// process and a busy machine disturb less than wall time).
//   node cancel-worker.mjs <baseURL> <runs> <sequentialCount> <parallelCount> [client,…]
import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { Anthropic as Msgbatch } from '@msgbatch/node';
import ky from 'ky';

const [baseURL, runsArg, seqArg, parArg, only] = process.argv.slice(2);
const runs = Number(runsArg);
const SEQ = Number(seqArg);
const PAR = Number(parArg);
const IN_FLIGHT = 16;
const apiKey = 'sk-ant-bench';
const headers = { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' };
const id = (i) => `msgbatch_01bench${String(i % 1000).padStart(4, '0')}`;

const msgbatch = new Msgbatch({ apiKey, baseURL, maxRetries: 0 });
const official = new Anthropic({ apiKey, baseURL, maxRetries: 0 });
// ky as msgbatch's transport calls it (one attempt, status checked by the caller), parsing
// with json(): the floor any client built on ky can reach.
const kyClient = ky.create({ retry: 0, throwHttpErrors: false, timeout: 600_000 });
const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
const { hostname, port } = new URL(baseURL);

const clients = {
  msgbatch: (i) => msgbatch.messages.batches.cancel(id(i)).then((b) => b.id),
  official: (i) => official.messages.batches.cancel(id(i)).then((b) => b.id),
  ky: (i) =>
    kyClient(`${baseURL}/v1/messages/batches/${id(i)}/cancel`, { method: 'POST', headers })
      .then((r) => r.json())
      .then((b) => b.id),
  fetch: (i) =>
    fetch(`${baseURL}/v1/messages/batches/${id(i)}/cancel`, { method: 'POST', headers })
      .then((r) => r.json())
      .then((b) => b.id),
  'node:http': (i) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          hostname,
          port,
          agent,
          method: 'POST',
          path: `/v1/messages/batches/${id(i)}/cancel`,
          headers,
        },
        (res) => {
          const parts = [];
          res.on('data', (c) => parts.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(parts).toString()).id));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    }),
};

async function sequential(call, n) {
  for (let i = 0; i < n; i++) if ((await call(i)) !== id(i)) throw new Error('wrong id');
}

async function parallel(call, n) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      if ((await call(i)) !== id(i)) throw new Error('wrong id');
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

const selected = Object.entries(clients).filter(
  ([name]) => !only || only.split(',').includes(name),
);
const out = { sequential: {}, parallel: {}, cpu: { sequential: {}, parallel: {} } };
for (const [name] of selected) {
  for (const mode of ['sequential', 'parallel']) {
    out[mode][name] = [];
    out.cpu[mode][name] = [];
  }
}
for (let round = 0; round <= runs; round++) {
  // The order rotates each round: no client always runs right after the same one.
  const order = selected.map((_, i) => selected[(i + round) % selected.length]);
  for (const [name, call] of order) {
    for (const [mode, fn, n] of [
      ['sequential', sequential, SEQ],
      ['parallel', parallel, PAR],
    ]) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      await fn(call, n);
      const ms = performance.now() - start;
      const used = process.cpuUsage(cpu);
      if (round > 0) {
        // round 0 warms up
        out[mode][name].push(ms);
        out.cpu[mode][name].push((used.user + used.system) / 1000);
      }
    }
  }
}
agent.destroy();
process.stdout.write(JSON.stringify(out));
