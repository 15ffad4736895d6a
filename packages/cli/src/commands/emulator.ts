import type { Context } from '../context.ts';
import { CliFailure } from '../context.ts';

/** Options of `msgbatch emulator`. */
export interface EmulatorCommandOptions {
  port: number;
  host: string;
  rate?: number;
  seed?: string;
  /** Batches to create before serving, so `msgbatch list` has something to show. */
  seedBatches?: number;
}

/**
 * Requests in a seeded batch: the first is small (it ends within seconds, so it has
 * results to read); the others are large enough to stay in progress for a while.
 */
const seedSize = (batch: number) => (batch === 1 ? 1000 : 20_000);

function seedRequests(batch: number) {
  return Array.from({ length: seedSize(batch) }, (_, i) => ({
    custom_id: `seed-${batch}-${String(i).padStart(4, '0')}`,
    params: {
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user' as const, content: `Question ${i} of seeded batch ${batch}` }],
    },
  }));
}

/**
 * `msgbatch emulator [--host H] [--port N] [--seed-batches N]`: serves the local Message
 * Batches API until Ctrl-C. Prints its URL and the commands that use it; with
 * `--seed-batches` it starts with that many batches (one small, the rest long-running). A busy port is
 * one line and exit 1.
 */
export async function emulatorCommand(ctx: Context, options: EmulatorCommandOptions) {
  const { createEmulator } = await import('@msgbatch/emulator');
  const emulator = createEmulator({ rate: options.rate, seed: options.seed });
  const server = await emulator
    .listen({ port: options.port, hostname: options.host })
    .catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        throw new CliFailure(
          `Port ${options.port} on ${options.host} is already in use; pick another with --port (0 picks a free one).`,
        );
      }
      if (error.code === 'EADDRNOTAVAIL' || error.code === 'EACCES') {
        throw new CliFailure(`Cannot listen on ${options.host}:${options.port} (${error.code}).`);
      }
      throw error;
    });
  const seeded: string[] = [];
  for (let i = 0; i < (options.seedBatches ?? 0); i++) {
    const response = await emulator.fetch(`${server.url}/v1/messages/batches`, {
      method: 'POST',
      headers: {
        'x-api-key': 'seed',
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ requests: seedRequests(i + 1) }),
    });
    seeded.push(((await response.json()) as { id: string }).id);
  }
  if (ctx.json) {
    ctx.printJSON({ url: server.url, port: server.port, seeded_batches: seeded });
  } else {
    const env = `ANTHROPIC_BASE_URL=${server.url} ANTHROPIC_API_KEY=any-key`;
    ctx.print(`msgbatch emulator listening on ${server.url}`);
    if (seeded.length > 0) {
      ctx.print(
        `Seeded ${seeded.length} batch${seeded.length === 1 ? '' : 'es'}: ${seeded.join(' ')}`,
      );
    }
    ctx.print('In another terminal:');
    ctx.print(`  export ${env}`);
    if (seeded.length === 0) {
      ctx.print(
        `  echo '{"custom_id":"hello","params":{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}}' | msgbatch create`,
      );
    }
    ctx.print('  msgbatch list');
    ctx.print('  msgbatch dashboard');
    ctx.print('Stop it with Ctrl-C.');
  }
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  ctx.signal.throwIfAborted();
}
