/**
 * The emulator's notion of "now". Processing, expiry (24 h), archival (29 days)
 * and the optional rate-limit window all read it.
 */
export interface EmulatorClock {
  /** `'real'` follows `Date.now()`; `'manual'` only moves when told to. */
  readonly mode: 'real' | 'manual';
  /** Current time in epoch milliseconds. */
  now(): number;
  /**
   * Moves a manual clock forward by `ms` milliseconds. Batches observe the new
   * time on their next request (processing is computed from the clock, no timers).
   * @throws TypeError on a real clock, or for a negative / non-finite `ms`.
   */
  advance(ms: number): void;
  /**
   * Sets a manual clock to an absolute time (never backwards).
   * @throws TypeError on a real clock or when `time` is before `now()`.
   */
  set(time: Date | number): void;
}

/** Default start of a manual clock, so seeded runs give identical timestamps. */
export const DEFAULT_MANUAL_START = Date.parse('2026-01-01T00:00:00.000Z');

/** Creates a clock; a manual one starts at `start` (default 2026-01-01T00:00:00Z). */
export function createClock(mode: 'real' | 'manual', start?: Date | number): EmulatorClock {
  if (mode === 'real') {
    const refuse = () => {
      throw new TypeError("The emulator clock is real; create it with clock: 'manual' to move it");
    };
    return { mode, now: () => Date.now(), advance: refuse, set: refuse };
  }
  let current = start === undefined ? DEFAULT_MANUAL_START : Number(start);
  return {
    mode,
    now: () => current,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new TypeError(`clock.advance expects a non-negative number of ms, got ${ms}`);
      }
      current += ms;
    },
    set(time) {
      const next = Number(time);
      if (!Number.isFinite(next) || next < current) {
        throw new TypeError('clock.set cannot move the clock backwards');
      }
      current = next;
    },
  };
}
