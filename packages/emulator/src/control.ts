import { Hono } from 'hono';
import type { EmulatorClock } from './clock.ts';
import { jsonResponse } from './errors.ts';
import type { FaultController, FaultRule } from './faults.ts';
import type { StoreInspector } from './inspector.ts';

/** What the control route can reach. */
export interface ControlTargets {
  faults: FaultController;
  clock: EmulatorClock;
  store: StoreInspector;
  reset(): void;
}

const describe = (faults: FaultController) =>
  faults.list().map((h) => ({
    id: h.id,
    remaining: h.remaining,
    rule: { ...h.rule, path: String(h.rule.path ?? '') || undefined },
  }));

/**
 * The HTTP control route (`/_emulator/*`), for tests driving a server in another
 * process. Served only with `controlRoute: true`; it needs no credential.
 *
 * - `GET|POST|DELETE /_emulator/faults` — list, add (JSON rule; `pathPattern` is a RegExp source), clear
 * - `POST /_emulator/clock/advance` `{ "ms": 1000 }` — manual clock only
 * - `GET /_emulator/batches` — the store inspector's list
 * - `POST /_emulator/reset` — empty the store and faults
 */
export function createControl(targets: ControlTargets): (request: Request) => Promise<Response> {
  const app = new Hono();
  const bad = (message: string) => jsonResponse(400, { error: message });
  app.get('/_emulator/faults', () => jsonResponse(200, describe(targets.faults)));
  app.delete('/_emulator/faults', () => {
    targets.faults.clear();
    return jsonResponse(200, []);
  });
  app.post('/_emulator/faults', async (c) => {
    try {
      const body = (await c.req.json()) as FaultRule & { pathPattern?: string };
      const { pathPattern, ...rule } = body;
      if (pathPattern) rule.path = new RegExp(pathPattern);
      if (rule.times === null) rule.times = Number.POSITIVE_INFINITY;
      const handle = targets.faults.add(rule as FaultRule);
      return jsonResponse(200, { id: handle.id, remaining: handle.remaining });
    } catch (error) {
      return bad(String((error as Error).message));
    }
  });
  app.post('/_emulator/clock/advance', async (c) => {
    try {
      const { ms } = (await c.req.json()) as { ms: number };
      targets.clock.advance(ms);
      return jsonResponse(200, { now: new Date(targets.clock.now()).toISOString() });
    } catch (error) {
      return bad(String((error as Error).message));
    }
  });
  app.get('/_emulator/batches', () => jsonResponse(200, targets.store.list()));
  app.post('/_emulator/reset', () => {
    targets.reset();
    return jsonResponse(200, { ok: true });
  });
  app.notFound(() => jsonResponse(404, { error: 'unknown control route' }));
  return async (request) => app.fetch(request);
}
