import { parseArgs } from 'node:util';
import { createEmulator } from './index.ts';

const USAGE = `Usage: msgbatch-emulator [--port 8787] [--hostname 127.0.0.1] [--rate N] [--seed S]
  [--api-key KEY]... [--control-route]

A local Message Batches API. Stop it with Ctrl-C.`;

/** Parses arguments, starts the emulator, prints its URL and an example call. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      hostname: { type: 'string', default: '127.0.0.1' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      'api-key': { type: 'string', multiple: true },
      'control-route': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`bad --port: ${values.port}`);
  if (rate !== undefined && !(rate > 0)) throw new Error(`bad --rate: ${values.rate}`);
  const emulator = createEmulator({
    rate,
    seed: values.seed,
    apiKeys: values['api-key'],
    controlRoute: values['control-route'],
  });
  const server = await emulator.listen({ port, hostname: values.hostname });
  const key = values['api-key']?.[0] ?? 'any-key';
  console.log(`msgbatch emulator listening on ${server.url}`);
  console.log(`Try:
  curl ${server.url}/v1/messages/batches \\
    -H 'x-api-key: ${key}' -H 'anthropic-version: 2023-06-01' -H 'content-type: application/json' \\
    -d '{"requests":[{"custom_id":"hello","params":{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}}]}'`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  // Usage errors (bad flags) exit 2, like other command-line tools; nothing else fails here.
  process.exit(2);
});
