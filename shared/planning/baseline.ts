import type { Baseline, BaselineTask } from '../schema/entities.ts';
import { epochDay } from './calendar.ts';
import type { Schedule } from './types.ts';

/**
 * Baselines: a saved copy of every task's scheduled dates, duration and cost, and the
 * variance of the live plan against one. Pure.
 */

/** What "Save baseline" stores: every scheduled task (summaries included) as it stands now. */
export function captureBaseline(schedule: Schedule): Record<string, BaselineTask> {
  const out: Record<string, BaselineTask> = {};
  for (const t of schedule.tasks.values()) {
    out[t.id] = { start: t.start, finish: t.finish, duration: t.duration, cost: t.budget };
  }
  return out;
}

export interface TaskVariance {
  /** Working days the task now starts / finishes after (+) or before (-) its baseline. */
  startDays: number;
  finishDays: number;
  durationDays: number;
  /** Current budget minus baseline cost: + over, - under. */
  cost: number;
}

export interface PlanVariance {
  tasks: Map<string, TaskVariance>;
  /** Tasks in the plan that the baseline does not have (added since). */
  added: string[];
  /** Project finish now vs the latest baseline finish, in working days (+ = late). */
  finishDays: number;
  /** Total budget now (leaf tasks) minus the baseline's total (its leaf tasks). */
  cost: number;
}

/** Variance of the live schedule against `baseline`, in working days of the board calendar. */
export function baselineVariance(schedule: Schedule, baseline: Baseline): PlanVariance {
  const index = (iso: string) => schedule.calendar.indexOnOrAfter(epochDay(iso));
  const tasks = new Map<string, TaskVariance>();
  const added: string[] = [];
  let baselineFinish = '';
  let baselineCost = 0;
  let currentCost = 0;
  for (const t of schedule.tasks.values()) {
    if (!t.summary) currentCost += t.budget;
    const base = baseline.tasks[t.id];
    if (!base) {
      added.push(t.id);
      continue;
    }
    tasks.set(t.id, {
      startDays: index(t.start) - index(base.start),
      finishDays: index(t.finish) - index(base.finish),
      durationDays: t.duration - base.duration,
      cost: t.budget - base.cost,
    });
  }
  for (const [id, base] of Object.entries(baseline.tasks)) {
    if (base.finish > baselineFinish) baselineFinish = base.finish;
    // Leaf costs only: a baseline stores summaries too, which would count twice.
    const now = schedule.tasks.get(id);
    if (!now || !now.summary) baselineCost += base.cost;
  }
  return {
    tasks,
    added,
    finishDays: baselineFinish === '' ? 0 : index(schedule.projectFinish) - index(baselineFinish),
    cost: currentCost - baselineCost,
  };
}
