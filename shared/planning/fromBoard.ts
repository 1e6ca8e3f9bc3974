import type { BoardMeta, Dependency, Task } from '../schema/entities.ts';
import { isIsoDate } from '../schema/validators.ts';
import type { ScheduleInput } from './types.ts';

/**
 * The project start in effect: meta.projectStart, else the board's creation date, else the
 * earliest task start, else `today` (passed in: the kernel has no clock).
 */
export function resolveProjectStart(meta: Pick<BoardMeta, 'projectStart' | 'createdAt'>, tasks: Iterable<Task>, today: string): string {
  if (meta.projectStart !== '') return meta.projectStart;
  const created = meta.createdAt.slice(0, 10);
  if (isIsoDate(created)) return created;
  let earliest = '';
  for (const t of tasks) if (t.start !== '' && (earliest === '' || t.start < earliest)) earliest = t.start;
  return earliest || today;
}

/** The scheduler's input from the read model of a board. */
export function scheduleInputOf(
  tasks: Iterable<Task>,
  deps: Iterable<Dependency>,
  meta: Pick<BoardMeta, 'workingDays' | 'holidays'>,
  projectStart: string,
): ScheduleInput {
  const planTasks: ScheduleInput['tasks'][number][] = [];
  for (const t of tasks) {
    planTasks.push({
      id: t.id,
      parent: t.parent,
      duration: t.duration,
      start: t.start,
      mode: t.mode,
      milestone: t.milestone,
      progress: t.progress,
      budget: t.budget,
      actualCost: t.actualCost,
    });
  }
  const links: ScheduleInput['links'][number][] = [];
  for (const d of deps) links.push({ id: d.id, from: d.from, to: d.to, type: d.type, lag: d.lag });
  return { projectStart, calendar: { workingDays: meta.workingDays, holidays: meta.holidays }, tasks: planTasks, links };
}
