import { describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { schedule } from '../../../shared/planning/schedule.ts';
import type { PlanLinkInput, PlanTaskInput } from '../../../shared/planning/types.ts';
import type { DependencyType } from '../../../shared/schema/entities.ts';
import { MONDAY, plan, task } from './fixtures.ts';
import { mulberry32 } from '../../helpers/random.ts';


const TYPES: readonly DependencyType[] = ['FS', 'FS', 'FS', 'SS', 'FF', 'SF'];
const CALENDAR = { workingDays: [1, 2, 3, 4, 5], holidays: ['2026-04-03', '2026-05-01', '2026-12-25', '2027-01-01'] };

/** 10,000 tasks, each linked to 2 earlier ones (task 1 to task 0 twice): 20,000 links, a DAG. */
function bigPlan() {
  const random = mulberry32(42);
  const n = 10_000;
  const tasks: PlanTaskInput[] = [];
  const links: PlanLinkInput[] = [];
  for (let i = 0; i < n; i++) {
    tasks.push(task(`t${i}`, Math.floor(random() * 11), { milestone: random() < 0.02 }));
    if (i === 0) continue;
    for (let k = 0; k < 2; k++) {
      const from = Math.floor(random() * i);
      links.push({ id: `l${i}-${k}`, from: `t${from}`, to: `t${i}`, type: TYPES[Math.floor(random() * TYPES.length)]!, lag: Math.floor(random() * 9) - 3 });
    }
  }
  return plan(tasks, links, { calendar: CALENDAR });
}

describe('schedule performance', () => {
  it('schedules 10,000 tasks and 20,000 links in well under 100 ms', () => {
    const input = bigPlan();
    expect(input.tasks).toHaveLength(10_000);
    expect(input.links).toHaveLength(19_998);
    const warm = schedule(input); // warm-up (JIT)
    expect(warm.tasks.size).toBe(10_000);
    expect(warm.cycles).toEqual([]);
    expect(warm.projectDuration).toBeGreaterThan(0);
    // Best wall-clock time of up to ten runs after the warm-up (stopping at the first fast
    // one): other processes on a busy 2-core machine, a GC or a JIT tier-up can stall one
    // run, but a kernel that is really slow is slow every time.
    let best = Infinity;
    for (let run = 0; run < 10 && best >= 100; run++) {
      const t0 = performance.now();
      const s = schedule(input);
      best = Math.min(best, performance.now() - t0);
      expect(s.projectDuration).toBe(warm.projectDuration);
    }
    expect(best).toBeLessThan(100);
  });

  it('a 10,000-long chain does not overflow the stack', () => {
    const n = 10_000;
    const tasks = Array.from({ length: n }, (_, i) => task(`c${i}`, 1));
    const links = Array.from({ length: n - 1 }, (_, i) => ({ id: `c${i}`, from: `c${i}`, to: `c${i + 1}`, type: 'FS' as const, lag: 0 }));
    const s = schedule(plan(tasks, links));
    expect(s.projectDuration).toBe(n);
    expect(s.tasks.get(`c${n - 1}`)).toMatchObject({ startIndex: n - 1, totalFloat: 0, critical: true });
    expect(s.tasks.get('c0')).toMatchObject({ start: MONDAY, totalFloat: 0 });
    expect(s.criticalLinks.size).toBe(n - 1);
    // Closing the chain into one 10,000-task cycle is found iteratively too.
    const cyclic = schedule(plan(tasks, [...links, { id: 'back', from: `c${n - 1}`, to: 'c0', type: 'FS', lag: 0 }]));
    expect(cyclic.cycles).toHaveLength(1);
    expect(cyclic.cycles[0]!.tasks).toHaveLength(n);
    expect(cyclic.cycles[0]!.dependencies).toHaveLength(n);
  });

  it('a 10,000-deep summary nesting does not overflow the stack', () => {
    const n = 10_000;
    const tasks = Array.from({ length: n }, (_, i) => task(`n${i}`, 2, { parent: i === 0 ? '' : `n${i - 1}` }));
    tasks.push(task('after', 1));
    const s = schedule(plan(tasks, [{ id: 'top', from: 'n0', to: 'after', type: 'FS', lag: 0 }]));
    expect(s.tasks.get('n0')).toMatchObject({ summary: true, duration: 2 });
    expect(s.tasks.get(`n${n - 1}`)).toMatchObject({ summary: false, duration: 2 });
    expect(s.tasks.get('after')!.startIndex).toBe(2);
  });
});
