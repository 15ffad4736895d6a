import { type BatchCreateParams, type Clock, MsgbatchClient } from '@msgbatch/core';
import { createEmulator, type EmulatorOptions } from '@msgbatch/emulator';

/** One request the emulator processes as `succeeded`. */
export function requests(count: number, prefix = 'req'): BatchCreateParams['requests'] {
  return Array.from({ length: count }, (_, i) => ({
    custom_id: `${prefix}-${i}`,
    params: {
      model: 'claude-sonnet-4-5',
      max_tokens: 16,
      messages: [{ role: 'user' as const, content: `question ${i}` }],
    },
  }));
}

/** A request seen by the emulator, with the emulator time it arrived at. */
export interface Seen {
  method: string;
  path: string;
  at: number;
}

/**
 * An emulator on a manual clock and a client whose clock is that clock: every
 * `sleep(ms)` the client does moves emulator time to its wake time almost at once,
 * so waits are exact and instant. `sleeps` records them; `seen` every request.
 * `wrap` can rewrite responses (e.g. to add a header or drop a line).
 */
export function setup(
  options: EmulatorOptions = {},
  wrap?: (request: Request, response: Response) => Response | Promise<Response>,
) {
  const emulator = createEmulator({ clock: 'manual', rate: 100, ...options });
  const sleeps: number[] = [];
  const seen: Seen[] = [];
  const clock: Clock = {
    now: () => emulator.clock.now(),
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      const wakeAt = emulator.clock.now() + ms;
      // Let answers already on their way arrive first, then jump to the wake time
      // (never back: sleepers that overlap share the elapsed time, as in real life).
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (signal?.aborted) throw signal.reason;
      emulator.clock.set(Math.max(wakeAt, emulator.clock.now()));
    },
  };
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({
      method: request.method,
      path: new URL(request.url).pathname,
      at: emulator.clock.now(),
    });
    const response = await emulator.fetch(request.clone());
    return wrap ? wrap(request, response) : response;
  };
  const client = new MsgbatchClient({
    apiKey: 'test-key',
    baseURL: 'http://emulator.test',
    fetch,
    clock,
    random: () => 0,
    logLevel: 'off',
  });
  const batches = client.messages.batches;
  const cancels = () => seen.filter((s) => s.method === 'POST' && s.path.endsWith('/cancel'));
  return { emulator, client, batches, sleeps, seen, cancels, clock };
}

/** Rewrites a JSONL results body line by line (a final newline is kept, not edited). */
export async function rewriteLines(response: Response, edit: (lines: string[]) => string[]) {
  const text = await response.text();
  const final = text.endsWith('\n') ? '\n' : '';
  const lines = (final ? text.slice(0, -1) : text).split('\n');
  return new Response(edit(lines).join('\n') + final, {
    status: response.status,
    headers: response.headers,
  });
}
