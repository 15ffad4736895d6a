import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONNECTION_RESET, type HandlerResult } from './handler.ts';

/** Where to listen. */
export interface ListenOptions {
  /** TCP port; `0` (default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  hostname?: string;
}

/** A running server. */
export interface EmulatorServer {
  /** Its base URL, e.g. `http://127.0.0.1:53211` (use it as the client's `baseURL`). */
  readonly url: string;
  /** The port actually bound. */
  readonly port: number;
  /** Stops accepting, drops open connections, resolves when closed. */
  close(): Promise<void>;
}

/**
 * Serves the handler over HTTP with `@hono/node-server` (loaded on first use, so the
 * main entry stays runtime-neutral). A connection-reset fault destroys the socket.
 */
export async function listenNode(
  handle: (request: Request) => Promise<HandlerResult>,
  options: ListenOptions = {},
): Promise<EmulatorServer> {
  const { serve } = await import('@hono/node-server');
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        hostname,
        port: options.port ?? 0,
        async fetch(request, env) {
          const result = await handle(request);
          if (result !== CONNECTION_RESET) return result;
          const { incoming, outgoing } = env as {
            incoming: IncomingMessage;
            outgoing: ServerResponse;
          };
          incoming.socket?.destroy();
          outgoing.destroy();
          return new Response(null, { status: 500 });
        },
      },
      (info) => {
        const host = hostname.includes(':') ? `[${hostname}]` : hostname;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              if ('closeAllConnections' in server) server.closeAllConnections();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
