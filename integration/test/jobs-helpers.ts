import {
  type Clock,
  type JobEvent,
  type JobRequest,
  type JobSource,
  MemoryJobStore,
  MsgbatchClient,
} from '@msgbatch/core';
import { createEmulator, type EmulatorOptions } from '@msgbatch/emulator';
import { requests } from './helpers.ts';

/** A create as the emulator received it: its time, and its body's size and pieces. */
export interface SeenCreate {
  at: number;
  bytes: number;
  pieces: number;
}

/**
 * An emulator on a manual clock, a client on that clock (as helpers.ts's `setup`), a
 * MemoryJobStore, and a fetch that passes each request through without cloning it, counting
 * how a create's body arrives (its bytes and the pieces they come in).
 */
export function jobSetup(options: EmulatorOptions = {}) {
  const emulator = createEmulator({ clock: 'manual', rate: 100, ...options });
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => emulator.clock.now(),
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      const wakeAt = emulator.clock.now() + ms;
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (signal?.aborted) throw signal.reason;
      emulator.clock.set(Math.max(wakeAt, emulator.clock.now()));
    },
  };
  const creates: SeenCreate[] = [];
  // Runs before each request reaches the emulator (a test makes the server change under it).
  const hooks: { beforeRequest?: (request: Request) => Promise<void> } = {};
  // How many times each batch was retrieved after it had ended (a wasted request past the first).
  const endedRetrieves = new Map<string, number>();
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    let request = new Request(input, init);
    await hooks.beforeRequest?.(request);
    if (request.method === 'POST' && new URL(request.url).pathname === '/v1/messages/batches') {
      const seen: SeenCreate = { at: emulator.clock.now(), bytes: 0, pieces: 0 };
      creates.push(seen);
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform(piece, controller) {
          seen.bytes += piece.byteLength;
          seen.pieces++;
          controller.enqueue(piece);
        },
      });
      request = new Request(request, {
        body: request.body!.pipeThrough(counter),
        duplex: 'half',
      } as RequestInit);
    }
    const response = await emulator.fetch(request);
    const retrieved = /^\/v1\/messages\/batches\/([^/]+)$/.exec(new URL(request.url).pathname);
    if (request.method === 'GET' && retrieved && response.ok) {
      const batch = (await response.clone().json()) as { processing_status?: string };
      if (batch.processing_status === 'ended') {
        endedRetrieves.set(retrieved[1]!, (endedRetrieves.get(retrieved[1]!) ?? 0) + 1);
      }
    }
    return response;
  };
  const client = new MsgbatchClient({
    apiKey: 'test-key',
    baseURL: 'http://emulator.test',
    fetch,
    clock,
    random: () => 0,
    logLevel: 'off',
  });
  const store = new MemoryJobStore();
  const events: JobEvent[] = [];
  const onProgress = (event: JobEvent) => events.push(event);
  return {
    emulator,
    endedRetrieves,
    client,
    transport: client.transport,
    store,
    creates,
    sleeps,
    events,
    onProgress,
    clock,
    hooks,
  };
}

/** `count` requests the emulator answers `succeeded`, ids `${prefix}-${i}`. */
export function jobRequests(count: number, prefix = 'req'): JobRequest[] {
  return requests(count, prefix);
}

/** A re-readable source over an array (a file's stand-in): each entry's text is its JSON. */
export function arraySource(
  list: readonly JobRequest[],
  name = 'test',
): JobSource & {
  reads: number;
} {
  const source = {
    rereadable: true,
    reads: 0,
    describe: () => ({ kind: 'array', name, count: list.length }),
    async *entries(from = 0) {
      source.reads++;
      for (let index = from; index < list.length; index++) {
        const request = list[index]!;
        yield { index, request, text: JSON.stringify(request) };
      }
    },
  };
  return source;
}

/** A one-shot source: an async generator over the requests. */
export async function* oneShot(list: readonly JobRequest[]): AsyncGenerator<JobRequest> {
  for (const request of list) yield request;
}

/** The custom_ids of every batch the emulator holds, by batch id. */
export async function idsByBatch(client: MsgbatchClient): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for await (const batch of client.messages.batches.list({ limit: 100 })) {
    const ids: string[] = [];
    for await (const line of await client.messages.batches.results(batch.id))
      ids.push(line.custom_id);
    out.set(batch.id, ids);
  }
  return out;
}
