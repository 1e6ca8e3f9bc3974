import type { PlanLinkInput, PlanTaskInput, ScheduleInput } from '../../shared/planning/types.ts';
import { mulberry32 } from '../../test/helpers/random.ts';


/**
 * Predecessor pairs for `n` tasks: task i gets up to `perTask` distinct predecessors among
 * the 200 tasks before it (an acyclic, realistic plan: long chains with fan-in), so the
 * total is about n x perTask.
 */
export function dependencyPairs(n: number, perTask: number, seed = 1): Array<[number, number]> {
  const random = mulberry32(seed);
  const pairs: Array<[number, number]> = [];
  for (let i = 1; i < n; i++) {
    const want = Math.min(perTask, i);
    const chosen = new Set<number>();
    while (chosen.size < want) chosen.add(i - 1 - Math.floor(random() * Math.min(i, 200)));
    for (const p of chosen) pairs.push([p, i]);
  }
  return pairs;
}

/** Scheduler input: `n` auto tasks (1-10 working days) and about `links` finish-to-start links. */
export function planInput(n: number, links: number): ScheduleInput {
  const random = mulberry32(7);
  const tasks: PlanTaskInput[] = [];
  for (let i = 0; i < n; i++) {
    tasks.push({
      id: `t${i}`,
      parent: '',
      duration: 1 + Math.floor(random() * 10),
      start: '',
      mode: 'auto',
      milestone: false,
      progress: 0,
      budget: 100,
      actualCost: 0,
    });
  }
  const perTask = Math.ceil(links / n);
  const out: PlanLinkInput[] = dependencyPairs(n, perTask, 3)
    .slice(0, links)
    .map(([from, to], k) => ({ id: `l${k}`, from: `t${from}`, to: `t${to}`, type: 'FS', lag: 0 }));
  // Top up to exactly `links` when the first tasks could not take `perTask` each.
  for (let k = out.length; k < links; k++) {
    const to = 1 + Math.floor(random() * (n - 1));
    out.push({ id: `l${k}`, from: `t${Math.floor(random() * to)}`, to: `t${to}`, type: 'FS', lag: 0 });
  }
  return { projectStart: '2026-01-05', calendar: { workingDays: [1, 2, 3, 4, 5], holidays: [] }, tasks, links: out };
}
