/**
 * Coalescing throttle: calls `flush` at most once per `intervalMs`. The first call after a
 * quiet period flushes at once (leading edge); calls inside the interval are coalesced into
 * one trailing flush at the end of it, so the last value always goes out.
 */
export interface Throttle {
  /** Asks for a flush. */
  schedule(): void;
  /** Flushes now if one is pending (e.g. before leaving). */
  flushNow(): void;
  cancel(): void;
}

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createThrottle(flush: () => void, intervalMs: number, timers: Timers = realTimers): Throttle {
  let last = -Infinity;
  let timer: unknown = null;
  let pending = false;

  const run = () => {
    timer = null;
    pending = false;
    last = timers.now();
    flush();
  };

  return {
    schedule() {
      pending = true;
      if (timer !== null) return;
      const wait = last + intervalMs - timers.now();
      if (wait <= 0) run();
      else timer = timers.setTimeout(run, wait);
    },
    flushNow() {
      if (!pending) return;
      if (timer !== null) timers.clearTimeout(timer);
      run();
    },
    cancel() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      pending = false;
    },
  };
}
