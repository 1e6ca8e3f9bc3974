import type { BoardMeta, Dependency, Task } from '../schema/entities.ts';
import { resolveProjectStart, scheduleInputOf } from './fromBoard.ts';
import { planOutline } from './outline.ts';
import { schedule } from './schedule.ts';

/** One task of GET /api/boards/:id/schedule. Dates ISO, floats in working days. */
export interface ScheduleReportTask {
  id: string;
  title: string;
  earlyStart: string;
  earlyFinish: string;
  lateStart: string;
  lateFinish: string;
  totalFloat: number;
  freeFloat: number;
  critical: boolean;
}

/** GET /api/boards/:id/schedule -> 200 (docs/api.md). */
export interface ScheduleReport {
  projectStart: string;
  projectFinish: string;
  /** In plan outline order (depth first, siblings by rank). */
  tasks: ScheduleReportTask[];
  /** Dependency cycles: their task and dependency ids (their links are ignored by the schedule). */
  cycles: Array<{ tasks: string[]; dependencies: string[] }>;
}

/**
 * The critical-path view of a board as plain JSON: the thin layer between a board snapshot
 * and the scheduler for the REST API. Pure (`today` is passed in).
 *
 * @example scheduleReport({ ...readBoard(doc), today: '2026-01-05' }).tasks[0].critical
 */
export function scheduleReport(input: {
  tasks: ReadonlyMap<string, Task>;
  deps: ReadonlyMap<string, Dependency>;
  meta: BoardMeta;
  today: string;
}): ScheduleReport {
  const projectStart = resolveProjectStart(input.meta, input.tasks.values(), input.today);
  const plan = schedule(scheduleInputOf(input.tasks.values(), input.deps.values(), input.meta, projectStart));
  const tasks: ScheduleReportTask[] = [];
  for (const { id } of planOutline(input.tasks.values())) {
    const t = plan.tasks.get(id);
    if (!t) continue;
    tasks.push({
      id,
      title: input.tasks.get(id)!.title,
      earlyStart: t.earlyStart,
      earlyFinish: t.earlyFinish,
      lateStart: t.lateStart,
      lateFinish: t.lateFinish,
      totalFloat: t.totalFloat,
      freeFloat: t.freeFloat,
      critical: t.critical,
    });
  }
  return {
    projectStart: plan.projectStart,
    projectFinish: plan.projectFinish,
    tasks,
    cycles: plan.cycles.map((c) => ({ tasks: [...c.tasks], dependencies: [...c.dependencies] })),
  };
}
