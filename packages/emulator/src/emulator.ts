import { createClock, type EmulatorClock } from './clock.ts';
import { createControl } from './control.ts';
import { createFaults, type FaultController } from './faults.ts';
import { createHandler } from './handler.ts';
import { createInspector, type StoreInspector } from './inspector.ts';
import type { EmulatorServer, ListenOptions } from './node.ts';
import { type EmulatorOptions, resolveOptions } from './options.ts';
import { createApp } from './routes.ts';
import { createState, resetState } from './state.ts';
import { asFetch } from './web-fetch.ts';

/** A local Message Batches API. */
export interface Emulator {
  /**
   * The API as a `fetch` function, no sockets involved: pass it as a client's `fetch`
   * (any base URL works), or to `Deno.serve`, `Bun.serve` or a Worker's `fetch`.
   * Abort signals are honoured; a connection-reset fault rejects with a `TypeError`.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Serves the API over HTTP (Node only; loads `@hono/node-server` on first use). */
  listen(options?: ListenOptions): Promise<EmulatorServer>;
  /** The clock processing runs on; `advance(ms)` when created with `clock: 'manual'`. */
  readonly clock: EmulatorClock;
  /** Read-only view of the stored batches and their outcomes. */
  readonly store: StoreInspector;
  /** Scripted faults by operation, method, path and count. */
  readonly faults: FaultController;
  /** Empties the store, removes faults, restarts the rate-limit window and seeded ids. */
  reset(): void;
}

/**
 * Creates an emulator of the Message Batches API: all six operations with the
 * real API's shapes, status codes and messages, processing simulated on a clock,
 * deterministic outcomes, and fault injection. Two emulators share nothing.
 *
 * @example
 * ```ts
 * const emulator = createEmulator({ clock: 'manual', seed: 1 });
 * const client = new Anthropic({ apiKey: 'test', fetch: emulator.fetch });
 * const batch = await client.messages.batches.create({ requests });
 * emulator.clock.advance(60_000); // the batch has ended now
 * ```
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const resolved = resolveOptions(options);
  const clock = createClock(options.clock ?? 'real', options.startTime);
  const state = createState(resolved, clock);
  const faults = createFaults();
  const store = createInspector(state);
  const reset = () => {
    resetState(state);
    faults.clear();
  };
  const control = resolved.controlRoute
    ? createControl({ faults, clock, store, reset })
    : undefined;
  const handle = createHandler({ state, app: createApp(state), faults, control });
  const { take: _take, wantsBody: _wantsBody, ...publicFaults } = faults;

  return {
    fetch: asFetch(handle),
    async listen(listenOptions) {
      const { listenNode } = await import('./node.ts');
      const server = await listenNode(handle, listenOptions);
      state.listenURL = server.url;
      return {
        url: server.url,
        port: server.port,
        async close() {
          await server.close();
          if (state.listenURL === server.url) state.listenURL = undefined;
        },
      };
    },
    clock,
    store,
    faults: publicFaults,
    reset,
  };
}
