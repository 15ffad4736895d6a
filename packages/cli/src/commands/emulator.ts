import type { Context } from '../context.ts';

/** Options of `msgbatch emulator`. */
export interface EmulatorCommandOptions {
  port: number;
  host: string;
  rate?: number;
  seed?: string;
}

/**
 * `msgbatch emulator [--port N]`: serves the local Message Batches API until Ctrl-C.
 * Prints its URL and the environment to point msgbatch (or any client) at it.
 */
export async function emulatorCommand(ctx: Context, options: EmulatorCommandOptions) {
  const { createEmulator } = await import('@msgbatch/emulator');
  const emulator = createEmulator({ rate: options.rate, seed: options.seed });
  const server = await emulator.listen({ port: options.port, hostname: options.host });
  if (ctx.json) {
    ctx.printJSON({ url: server.url, port: server.port });
  } else {
    ctx.print(`msgbatch emulator listening on ${server.url}`);
    ctx.print(`Use it: ANTHROPIC_BASE_URL=${server.url} ANTHROPIC_API_KEY=any-key msgbatch list`);
    ctx.print('Stop it with Ctrl-C.');
  }
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  ctx.signal.throwIfAborted();
}
