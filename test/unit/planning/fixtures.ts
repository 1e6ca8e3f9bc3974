import type { PlanLinkInput, PlanTaskInput, ScheduleInput } from '../../../shared/planning/types.ts';
import type { DependencyType } from '../../../shared/schema/entities.ts';

/** Monday 2026-01-05; with a Monday-to-Friday calendar, working day i of week w is 5w + i. */
export const MONDAY = '2026-01-05';
export const WEEKDAYS = { workingDays: [1, 2, 3, 4, 5], holidays: [] as string[] };

export function task(id: string, duration: number, extra: Partial<PlanTaskInput> = {}): PlanTaskInput {
  return { id, parent: '', duration, start: '', mode: 'auto', milestone: false, progress: 0, budget: 0, actualCost: 0, ...extra };
}

/** 'B<-A' style: `link('A', 'B')` is A -> B (A is the predecessor). */
export function link(from: string, to: string, type: DependencyType = 'FS', lag = 0): PlanLinkInput {
  return { id: `${from}-${to}`, from, to, type, lag };
}

export function plan(tasks: PlanTaskInput[], links: PlanLinkInput[], extra: Partial<ScheduleInput> = {}): ScheduleInput {
  return { projectStart: MONDAY, calendar: WEEKDAYS, tasks, links, ...extra };
}
