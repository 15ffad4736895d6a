import type { FaultRule } from '@msgbatch/emulator';
import { jobRequestId } from '@msgbatch/job-requests';
import type { KillPoint, Scenario } from './harness.ts';

/** A seeded random source (mulberry32), so a run's "random" kill points can be replayed. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Faults are answered at once: a retry waits `retry-after-ms`, not seconds.
const fast = { 'retry-after-ms': '10' };
/** Dropped connection after the create was handled: the batch exists, the answer is lost. */
export const DROP_AFTER: FaultRule = { operation: 'create', type: 'reset', phase: 'after-body' };
/** Dropped connection before the request was read: nothing was created. */
export const DROP_BEFORE: FaultRule = { operation: 'create', type: 'reset', phase: 'before-body' };
export const RATE_LIMITED: FaultRule = {
  operation: 'create',
  type: 'status',
  status: 429,
  headers: fast,
};
export const OVERLOADED: FaultRule = {
  operation: 'create',
  type: 'status',
  status: 529,
  headers: fast,
};

const EVENT_TYPES = ['chunk-intent', 'chunk-sending', 'chunk-created', 'create-handled'] as const;

/**
 * The fixed kill points of the proof for a job of `chunks` chunks: after an intent is saved,
 * right before a create goes out, between a create's send and its recording, after a batch
 * was recorded, during a resume's reconciliation, twice in a row; and the create faults
 * (dropped connection after sending / before, 429, 529), alone and with kills.
 */
export function fixedScenarios(chunks: number, perBatch: number): Scenario[] {
  const mid = Math.max(1, Math.ceil(chunks / 2));
  const scenarios: Scenario[] = [
    { name: 'intent of the first chunk saved', kills: [{ type: 'chunk-intent', nth: 1 }] },
    { name: 'first create handled, not recorded', kills: [{ type: 'create-handled', nth: 1 }] },
    {
      name: 'a middle create handled, not recorded; the resume killed the same way',
      kills: [
        { type: 'create-handled', nth: mid },
        { type: 'create-handled', nth: 1 },
      ],
    },
    {
      name: 'second create about to be sent',
      kills: [{ type: 'chunk-sending', nth: Math.min(2, chunks) }],
    },
    { name: 'after the last batch was recorded', kills: [{ type: 'chunk-created', nth: chunks }] },
    { name: 'checking done, plan saved', kills: [{ type: 'checked', nth: 1 }] },
    {
      name: "create handled, then the resume killed after its reconciliation's list",
      kills: [
        { type: 'create-handled', nth: Math.min(2, chunks) },
        { type: 'handled', operation: 'list', nth: 1 },
      ],
    },
    {
      name: 'create handled, then the resume killed after reconciling a chunk',
      kills: [
        { type: 'create-handled', nth: 1 },
        { type: 'chunk-reconciled', nth: 1 },
      ],
    },
    {
      name: 'fault: dropped connection after the create was sent',
      kills: [],
      faults: [DROP_AFTER],
    },
    {
      name: 'fault: dropped connection after sending, killed once the loss was recorded',
      kills: [{ type: 'chunk-unknown', nth: 1 }],
      faults: [DROP_AFTER],
    },
    {
      name: 'fault: dropped connection before the request was read',
      kills: [],
      faults: [DROP_BEFORE],
    },
    {
      name: 'faults: 429 and 529 on creates, killed after a recorded batch',
      kills: [{ type: 'chunk-created', nth: 1 }],
      faults: [
        { ...RATE_LIMITED, times: 2 },
        { ...OVERLOADED, times: 2 },
      ],
    },
    {
      name: 'faults: 529, dropped after sending, 429, then a handled create killed',
      kills: [{ type: 'create-handled', nth: 1 }],
      faults: [OVERLOADED, DROP_AFTER, RATE_LIMITED],
    },
    {
      name: 'in progress: first create handled, not recorded; the resume finds it unended',
      processing: 'in-progress',
      kills: [{ type: 'create-handled', nth: 1 }],
    },
    {
      // Two chunks of one size in flight; the first's connection dropped before it was read
      // (no batch), the second's batch made but not recorded, both unended at resume: a
      // count-and-window match cannot tell whose batch it is.
      name: "in progress: two same-size chunks in flight, the first's create lost before it was read, the second's handled, not recorded",
      processing: 'in-progress',
      faults: [{ ...DROP_BEFORE, bodyIncludes: `"custom_id":"${jobRequestId(0)}"` }],
      kills: [{ type: 'create-handled', nth: 1, firstId: jobRequestId(perBatch) }],
    },
  ];
  return chunks >= 2 ? scenarios : scenarios.filter((s) => !s.name.includes('two same-size'));
}

/**
 * `count` scenarios of seeded random kill points: one to three kills each (the create and
 * resumes), each on a random job event or handled create of a random rank, or (when
 * `maxMs` is given) at a random time up to `maxMs`; a third of them with a random create fault.
 */
export function randomScenarios(
  count: number,
  chunks: number,
  seed: number,
  maxMs?: number,
): Scenario[] {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const out: Scenario[] = [];
  for (let s = 0; s < count; s++) {
    const kills: KillPoint[] = [];
    const n = 1 + Math.floor(random() * 3);
    for (let k = 0; k < n; k++) {
      if (maxMs !== undefined && random() < 0.4) {
        kills.push({ type: 'after-ms', ms: Math.round(50 + random() * maxMs) });
      } else {
        kills.push({ type: pick(EVENT_TYPES), nth: 1 + Math.floor(random() * chunks) });
      }
    }
    const faults =
      random() < 0.33
        ? [
            {
              ...pick([DROP_AFTER, DROP_BEFORE, RATE_LIMITED, OVERLOADED]),
              times: 1 + Math.floor(random() * 2),
            },
          ]
        : [];
    out.push({ name: `random #${s + 1} (seed ${seed})`, kills, faults, mustReach: false });
  }
  return out;
}
