import { epochDay, isoDate } from '../../../shared/planning/calendar.ts';
import type { PlanLinkInput, PlanTaskInput, Schedule, ScheduleInput } from '../../../shared/planning/types.ts';
import type { DependencyType } from '../../../shared/schema/entities.ts';
import { MONDAY } from './fixtures.ts';

/**
 * Seeded random plans that reach every corner of the scheduler: summaries (nested, linked,
 * with missing or looping parents), duplicate ids, milestones, manual tasks, dates before the
 * project start, all four link types with lags and leads (some fractional), links to missing
 * tasks and to themselves, cycles, holidays and odd working weeks.
 */
export const LINK_TYPES: readonly DependencyType[] = ['FS', 'SS', 'FF', 'SF'];
const BASE = epochDay(MONDAY);

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export function int(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function randomTask(random: () => number, id: string, parent: string): PlanTaskInput {
  const roll = random();
  return {
    id,
    parent,
    duration: roll < 0.05 ? int(random, 0, 20) + 0.5 : roll < 0.08 ? -2 : int(random, 0, 10),
    start: random() < 0.4 ? isoDate(BASE + int(random, -10, 40)) : '',
    mode: random() < 0.15 ? 'manual' : 'auto',
    milestone: random() < 0.08,
    progress: int(random, -5, 110),
    budget: int(random, 0, 1000),
    actualCost: int(random, 0, 1000),
  };
}

export function randomLink(random: () => number, id: string, ids: readonly string[], dag: boolean): PlanLinkInput {
  let a = int(random, 0, ids.length - 1);
  let b = int(random, 0, ids.length - 1);
  if (dag && a > b) [a, b] = [b, a];
  const odd = random();
  return {
    id,
    from: odd < 0.02 ? 'ghost' : ids[a]!,
    to: odd > 0.98 ? ids[a]! : ids[b]!,
    type: pick(random, LINK_TYPES),
    lag: random() < 0.05 ? int(random, -3, 5) + 0.4 : int(random, -3, 5),
  };
}

export function randomPlan(random: () => number, maxTasks = 40): ScheduleInput {
  const n = int(random, 0, maxTasks);
  const nesting = random() < 0.6;
  const tasks: PlanTaskInput[] = [];
  for (let i = 0; i < n; i++) {
    const roll = random();
    let parent = '';
    if (nesting && i > 0 && roll < 0.3) parent = `t${int(random, 0, i - 1)}`;
    else if (nesting && roll < 0.32) parent = 'missing';
    else if (nesting && roll < 0.34) parent = `t${int(random, 0, n - 1)}`; // may close a parent loop
    const id = i > 2 && random() < 0.02 ? `t${int(random, 0, i - 1)}` : `t${i}`;
    tasks.push(randomTask(random, id, parent));
  }
  const ids = tasks.map((t) => t.id);
  const dag = random() < 0.7;
  const links: PlanLinkInput[] = [];
  const m = n < 2 ? 0 : int(random, 0, 2 * n);
  for (let k = 0; k < m; k++) links.push(randomLink(random, `l${k}`, ids, dag));
  const holidays = Array.from({ length: int(random, 0, 4) }, () => isoDate(BASE + int(random, -5, 60)));
  const workingDays = random() < 0.8 ? [1, 2, 3, 4, 5] : random() < 0.5 ? [] : [0, 2, 3, 6];
  return { projectStart: random() < 0.8 ? MONDAY : isoDate(BASE + int(random, -3, 3)), calendar: { workingDays, holidays }, tasks, links };
}

/** Everything a schedule says, in its exact order (map and set order included). */
export function canonical(s: Schedule) {
  return { ...s, tasks: [...s.tasks.entries()], criticalLinks: [...s.criticalLinks] };
}
