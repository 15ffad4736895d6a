import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createEmulator } from './index.ts';

const USAGE = `Usage: msgbatch-emulator [--port 8787] [--host 127.0.0.1] [--rate N] [--seed S]
  [--api-key KEY]... [--control-route] [--version]

A local Message Batches API. Stop it with Ctrl-C.`;

/** A failure explained in one line (a busy port): exit 1 without the usage text. */
class Failure extends Error {}

/** Parses arguments, starts the emulator, prints its URL and an example call. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string' },
      // The old name of --host, still accepted.
      hostname: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      'api-key': { type: 'string', multiple: true },
      'control-route': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'V', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.version) {
    const pkg = new URL('../package.json', import.meta.url);
    console.log((JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version);
    return;
  }
  const hostname = values.host ?? values.hostname ?? '127.0.0.1';
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
  const server = await emulator.listen({ port, hostname }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      throw new Failure(
        `Port ${port} on ${hostname} is already in use; pick another with --port (0 picks a free one).`,
      );
    }
    throw error;
  });
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
  if (error instanceof Failure) {
    console.error(`msgbatch-emulator: ${error.message}`);
    process.exit(1);
  }
  console.error(`msgbatch-emulator: ${error instanceof Error ? error.message : error}`);
  console.error(USAGE);
  // Usage errors (bad flags) exit 2, like other command-line tools; nothing else fails here.
  process.exit(2);
});
