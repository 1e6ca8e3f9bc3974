import { describe, expect, it } from 'vitest';
import { createThrottle, type Timers } from './throttle.ts';

/** Manual clock: timers fire only when `advance` passes them. */
function manualTimers() {
  let now = 0;
  let queue: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextId = 1;
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      queue.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      queue = queue.filter((t) => t.id !== id);
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = queue.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      queue = queue.filter((t) => t !== due);
      now = due.at;
      due.fn();
    }
    now = until;
  };
  return { timers, advance };
}

describe('createThrottle', () => {
  it('flushes the first call at once (leading edge)', () => {
    const { timers } = manualTimers();
    let flushes = 0;
    const t = createThrottle(() => flushes++, 33, timers);
    t.schedule();
    expect(flushes).toBe(1);
  });

  it('coalesces a burst into one trailing flush per interval', () => {
    const { timers, advance } = manualTimers();
    let flushes = 0;
    const t = createThrottle(() => flushes++, 33, timers);
    t.schedule(); // leading
    for (let i = 0; i < 10; i++) {
      advance(3);
      t.schedule();
    }
    expect(flushes).toBe(1);
    advance(33);
    expect(flushes).toBe(2); // the trailing flush carries the last value
    advance(100);
    expect(flushes).toBe(2); // nothing pending: no more flushes
  });

  it('never exceeds one flush per interval under a steady stream (~30 Hz at 33 ms)', () => {
    const { timers, advance } = manualTimers();
    const at: number[] = [];
    const t = createThrottle(() => at.push(timers.now()), 33, timers);
    for (let i = 0; i < 1000; i++) {
      t.schedule();
      advance(1);
    }
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(33);
    expect(at.length).toBeGreaterThanOrEqual(29);
    expect(at.length).toBeLessThanOrEqual(31);
  });

  it('flushNow sends a pending value immediately; cancel drops it', () => {
    const { timers, advance } = manualTimers();
    let flushes = 0;
    const t = createThrottle(() => flushes++, 33, timers);
    t.schedule();
    t.schedule();
    t.flushNow();
    expect(flushes).toBe(2);
    advance(100);
    expect(flushes).toBe(2);
    t.schedule(); // leading again after a quiet period
    t.schedule();
    t.cancel();
    advance(100);
    expect(flushes).toBe(3);
  });
});
