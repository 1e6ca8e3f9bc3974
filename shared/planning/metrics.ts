import type { Baseline, StatusDef, Task } from '../schema/entities.ts';
import { epochDay, isoDate, weekday } from './calendar.ts';
import { buildHierarchy } from './hierarchy.ts';
import type { Schedule, ScheduledTask } from './types.ts';
import { isComplete } from './completion.ts';

/**
 * Dashboard metrics over a board's tasks and its schedule. Pure: `today` is passed in.
 *
 * Everything is counted over LEAF tasks only: a summary task's dates, progress and costs are
 * roll-ups of its subtasks, so counting it as well would count the same work twice. "Work"
 * is measured in working days (a task's scheduled duration); milestones weigh nothing.
 */
export interface MetricsInput {
  tasks: readonly Task[];
  schedule: Schedule;
  /** The board's statuses in column order. */
  statuses: readonly StatusDef[];
  /** The baseline to compare against; null = none chosen. */
  baseline: Baseline | null;
  /** ISO date. */
  today: string;
}

export interface Leaf {
  task: Task;
  scheduled: ScheduledTask;
}

/** Cap on the weeks the workload and burndown cover (two years). */
export const MAX_WEEKS = 104;

/** Leaf tasks (not summaries) that the schedule knows, in input order. */
export function leavesOf(tasks: readonly Task[], schedule: Schedule): Leaf[] {
  const out: Leaf[] = [];
  for (const task of tasks) {
    const scheduled = schedule.tasks.get(task.id);
    if (scheduled && !scheduled.summary) out.push({ task, scheduled });
  }
  return out;
}

/** A task's assignees without blanks or duplicates (a name listed twice counts once). */
export function assigneesOf(task: Task): string[] {
  return [...new Set(task.assignees.map((a) => a.trim()).filter((a) => a !== ''))];
}

export interface ProgressFigure {
  /** 0..100, weighted by duration; the plain mean of progress when every duration is 0. */
  percent: number;
  done: number;
  total: number;
}

/**
 * Percent complete of a set of leaves, weighted by duration (a 10-day task half done is more
 * work than a 1-day task finished). Done = complete (100 %, or moved to Done).
 */
export function progressOf(leaves: readonly Leaf[]): ProgressFigure {
  let weight = 0;
  let weighted = 0;
  let sum = 0;
  let done = 0;
  for (const { task, scheduled } of leaves) {
    weight += scheduled.duration;
    weighted += scheduled.duration * scheduled.progress;
    sum += scheduled.progress;
    if (isComplete(task, scheduled.progress)) done++;
  }
  const percent = weight > 0 ? weighted / weight : leaves.length > 0 ? sum / leaves.length : 0;
  return { percent, done, total: leaves.length };
}

/** Progress per assignee, by name; a task with two assignees counts for both. Unassigned tasks are left out. */
export function progressByAssignee(leaves: readonly Leaf[]): Array<ProgressFigure & { name: string }> {
  const groups = new Map<string, Leaf[]>();
  for (const leaf of leaves) for (const name of assigneesOf(leaf.task)) push(groups, name, leaf);
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => ({ name, ...progressOf(list) }));
}

export interface StatusCount {
  /** The status key; '' = no status. */
  key: string;
  label: string;
  count: number;
  /** A key the board does not define (a deleted status, or written by another client). */
  unknown: boolean;
}

/** Leaf tasks per status: every board status in column order, then "No status", then unknown keys A-Z (those two only when used). */
export function tasksByStatus(leaves: readonly Leaf[], statuses: readonly StatusDef[]): StatusCount[] {
  const counts = new Map<string, number>();
  for (const { task } of leaves) counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
  const out: StatusCount[] = statuses.map((s) => ({ key: s.key, label: s.label, count: counts.get(s.key) ?? 0, unknown: false }));
  const known = new Set(statuses.map((s) => s.key));
  if (!known.has('') && counts.has('')) out.push({ key: '', label: 'No status', count: counts.get('')!, unknown: false });
  const unknown = [...counts.keys()].filter((k) => k !== '' && !known.has(k)).sort();
  for (const key of unknown) out.push({ key, label: key, count: counts.get(key)!, unknown: true });
  return out;
}

export type RiskReason =
  /** Scheduled finish before today and not complete; `days` = working days since the finish, up to today. */
  | { kind: 'overdue'; days: number }
  /** Total float below zero (a manual successor or a date constraint cannot be met). */
  | { kind: 'negative-float'; days: number }
  /** Finishes `days` working days later than in the baseline. */
  | { kind: 'slip'; days: number; baselineFinish: string };

export interface FlaggedTask {
  id: string;
  title: string;
  assignees: string[];
  finish: string;
  progress: number;
  reasons: RiskReason[];
}

/** Signed working days from `fromIso` to `toIso` in the schedule's calendar (+ = later). */
export function workingDayDiff(schedule: Schedule, fromIso: string, toIso: string): number {
  const cal = schedule.calendar;
  return cal.indexOnOrAfter(epochDay(toIso)) - cal.indexOnOrAfter(epochDay(fromIso));
}

/** Incomplete leaves whose scheduled finish is before today, earliest finish first. */
export function overdueTasks(leaves: readonly Leaf[], schedule: Schedule, today: string): FlaggedTask[] {
  const out: FlaggedTask[] = [];
  for (const leaf of leaves) {
    const { task, scheduled } = leaf;
    if (isComplete(task, scheduled.progress) || !(scheduled.finish < today)) continue;
    // Working days after the finish day, up to and including today.
    const days = schedule.calendar.workingDaysBetween(isoDate(epochDay(scheduled.finish) + 1), today);
    out.push(flagged(leaf, [{ kind: 'overdue', days }]));
  }
  return out.sort(byFinish);
}

/**
 * Incomplete leaves at risk: negative total float, or a finish later than in `baseline`.
 * Finished tasks are not at risk any more, whatever they slipped.
 */
export function atRiskTasks(leaves: readonly Leaf[], schedule: Schedule, baseline: Baseline | null): FlaggedTask[] {
  const out: FlaggedTask[] = [];
  for (const leaf of leaves) {
    const { task, scheduled } = leaf;
    if (isComplete(task, scheduled.progress)) continue;
    const reasons: RiskReason[] = [];
    if (scheduled.totalFloat < 0) reasons.push({ kind: 'negative-float', days: -scheduled.totalFloat });
    const base = baseline?.tasks[scheduled.id];
    if (base && scheduled.finish > base.finish) {
      const days = workingDayDiff(schedule, base.finish, scheduled.finish);
      if (days > 0) reasons.push({ kind: 'slip', days, baselineFinish: base.finish });
    }
    if (reasons.length > 0) out.push(flagged(leaf, reasons));
  }
  return out.sort(byFinish);
}

export interface WorkloadWeek {
  /** The Monday starting the week (ISO). */
  start: string;
  /** Working days of this week in the board calendar (whole week, holidays removed). */
  capacity: number;
}

export interface Workload {
  weeks: WorkloadWeek[];
  /** Per assignee (A-Z): working days booked in each week, aligned with `weeks`. */
  assignees: Array<{ name: string; booked: number[] }>;
  /** Weeks where someone is booked for more days than the week has. */
  overAllocated: Array<{ name: string; week: string; booked: number; capacity: number }>;
  /** The plan spans more than MAX_WEEKS weeks; later weeks are left out. */
  truncated: boolean;
}

/** Monday on or before an epoch day. */
function mondayOf(day: number): number {
  return day - ((weekday(day) + 6) % 7);
}

/** The Mondays from the earliest leaf start (or the project start) to the week of `lastIso`, at most MAX_WEEKS. */
function weekRange(leaves: readonly Leaf[], schedule: Schedule, lastIso: string): { mondays: number[]; truncated: boolean } {
  let first = epochDay(schedule.projectStart);
  for (const { scheduled } of leaves) first = Math.min(first, epochDay(scheduled.start));
  const from = mondayOf(first);
  const to = mondayOf(Math.max(first, epochDay(lastIso)));
  const count = Math.floor((to - from) / 7) + 1;
  const mondays: number[] = [];
  for (let w = 0; w < Math.min(count, MAX_WEEKS); w++) mondays.push(from + w * 7);
  return { mondays, truncated: count > MAX_WEEKS };
}

/**
 * Working days each assignee is booked per week: every working day of a task counts once for
 * each of its assignees. Capacity is the week's working days, so a full-time person on two
 * parallel tasks is over-allocated.
 */
export function workload(leaves: readonly Leaf[], schedule: Schedule): Workload {
  const cal = schedule.calendar;
  const { mondays, truncated } = weekRange(leaves, schedule, schedule.projectFinish);
  const weeks = mondays.map((m) => {
    let capacity = 0;
    for (let d = m; d < m + 7; d++) if (cal.isWorkingDay(d)) capacity++;
    return { start: isoDate(m), capacity };
  });
  // Working-day index -> week number, for the indexes the range covers.
  const firstIndex = mondays.length > 0 ? cal.indexOnOrAfter(mondays[0]!) : 0;
  const weekOfIndex: number[] = [];
  mondays.forEach((m, w) => {
    for (let d = m; d < m + 7; d++) if (cal.isWorkingDay(d)) weekOfIndex.push(w);
  });
  const booked = new Map<string, number[]>();
  for (const { task, scheduled } of leaves) {
    const names = assigneesOf(task);
    if (names.length === 0) continue;
    const lo = Math.max(scheduled.startIndex, firstIndex);
    const hi = Math.min(scheduled.finishIndex, firstIndex + weekOfIndex.length);
    for (const name of names) {
      let row = booked.get(name);
      if (!row) booked.set(name, (row = weeks.map(() => 0)));
      for (let i = lo; i < hi; i++) row[weekOfIndex[i - firstIndex]!]!++;
    }
  }
  const assignees = [...booked].sort(([a], [b]) => a.localeCompare(b)).map(([name, row]) => ({ name, booked: row }));
  const overAllocated: Workload['overAllocated'] = [];
  weeks.forEach((week, w) => {
    for (const a of assignees) {
      if (a.booked[w]! > week.capacity) overAllocated.push({ name: a.name, week: week.start, booked: a.booked[w]!, capacity: week.capacity });
    }
  });
  return { weeks, assignees, overAllocated, truncated };
}

export interface CostFigure {
  budget: number;
  actualCost: number;
}

export interface Costs extends CostFigure {
  /** Sum of the baseline's leaf costs; null without a baseline. */
  baselineBudget: number | null;
  /** Per assignee (A-Z, then '' = unassigned): a task's money split equally between its assignees. */
  byAssignee: Array<CostFigure & { name: string }>;
  /** Per top-level summary task, in input order; `id` '' gathers the leaves at the top level. */
  bySummary: Array<CostFigure & { id: string; title: string }>;
}

/** Budget and actual cost of the leaves: totals, per assignee and per top-level summary. */
export function costs(leaves: readonly Leaf[], tasks: readonly Task[], schedule: Schedule, baseline: Baseline | null): Costs {
  const total: CostFigure = { budget: 0, actualCost: 0 };
  const byName = new Map<string, CostFigure>();
  const bySummary = new Map<string, CostFigure>();
  const hierarchy = buildHierarchy(tasks);
  const topOf = (id: string): string => {
    let at = id;
    for (let p = hierarchy.parentOf.get(at) ?? ''; p !== ''; p = hierarchy.parentOf.get(at) ?? '') at = p;
    return at === id ? '' : at;
  };
  for (const top of hierarchy.roots) if (schedule.tasks.get(top)?.summary) bySummary.set(top, { budget: 0, actualCost: 0 });
  for (const { task, scheduled } of leaves) {
    add(total, scheduled.budget, scheduled.actualCost);
    const names = assigneesOf(task);
    const share = names.length > 0 ? names : [''];
    for (const name of share) {
      let figure = byName.get(name);
      if (!figure) byName.set(name, (figure = { budget: 0, actualCost: 0 }));
      add(figure, scheduled.budget / share.length, scheduled.actualCost / share.length);
    }
    const top = topOf(task.id);
    let group = bySummary.get(top);
    if (!group) bySummary.set(top, (group = { budget: 0, actualCost: 0 }));
    add(group, scheduled.budget, scheduled.actualCost);
  }
  let baselineBudget: number | null = null;
  if (baseline) {
    baselineBudget = 0;
    for (const [id, base] of Object.entries(baseline.tasks)) if (!schedule.tasks.get(id)?.summary) baselineBudget += base.cost;
  }
  const titles = new Map(tasks.map((t) => [t.id, t.title]));
  const names = [...byName.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
  return {
    ...total,
    baselineBudget,
    byAssignee: names.map((name) => ({ name, ...byName.get(name)! })),
    bySummary: [...bySummary].map(([id, f]) => ({ id, title: id === '' ? 'Top-level tasks' : (titles.get(id) ?? id), ...f })),
  };
}

export interface Burndown {
  /** Weekly sample dates (Mondays, ISO), through the week after the last finish. */
  dates: string[];
  /** Working days of work scheduled on or after each date in the current schedule. */
  planned: number[];
  /** The same for the baseline's dates; null without a baseline. */
  baseline: number[] | null;
  /** Today's remaining work: the sum of duration x (1 - progress / 100) over the leaves. */
  actual: { date: string; remaining: number };
  truncated: boolean;
}

/**
 * Remaining work in working days, week by week. `planned` assumes every task runs as
 * scheduled (work on working days >= the date); `actual` is what is really left today.
 */
export function burndown(leaves: readonly Leaf[], schedule: Schedule, baseline: Baseline | null, today: string): Burndown {
  const cal = schedule.calendar;
  const baseTasks = baseline
    ? Object.entries(baseline.tasks)
        .filter(([id]) => !schedule.tasks.get(id)?.summary)
        .map(([, b]) => ({ lo: cal.indexOnOrAfter(epochDay(b.start)), d: Math.max(0, b.duration) }))
    : null;
  let last = schedule.projectFinish;
  if (baseline) for (const b of Object.values(baseline.tasks)) if (b.finish > last) last = b.finish;
  const range = weekRange(leaves, schedule, isoDate(epochDay(last) + 7));
  const after = (lo: number, hi: number, at: number) => Math.max(0, hi - Math.max(lo, at));
  const planned: number[] = [];
  const base: number[] | null = baseTasks ? [] : null;
  for (const monday of range.mondays) {
    const at = cal.indexOnOrAfter(monday);
    let sum = 0;
    for (const { scheduled } of leaves) sum += after(scheduled.startIndex, scheduled.finishIndex, at);
    planned.push(sum);
    if (baseTasks && base) base.push(baseTasks.reduce((s, b) => s + after(b.lo, b.lo + b.d, at), 0));
  }
  let remaining = 0;
  for (const { scheduled } of leaves) remaining += (scheduled.duration * (100 - scheduled.progress)) / 100;
  return { dates: range.mondays.map(isoDate), planned, baseline: base, actual: { date: today, remaining }, truncated: range.truncated };
}

export interface DashboardMetrics {
  leafCount: number;
  progress: ProgressFigure;
  progressByAssignee: Array<ProgressFigure & { name: string }>;
  byStatus: StatusCount[];
  overdue: FlaggedTask[];
  atRisk: FlaggedTask[];
  workload: Workload;
  costs: Costs;
  burndown: Burndown;
  projectFinish: string;
  /** Latest finish in the baseline, and the project finish's variance against it (+ = late), in working days. */
  baselineFinish: string | null;
  finishVariance: number | null;
}

/** Every dashboard metric in one pass over the plan. */
export function dashboardMetrics({ tasks, schedule, statuses, baseline, today }: MetricsInput): DashboardMetrics {
  const leaves = leavesOf(tasks, schedule);
  let baselineFinish: string | null = null;
  if (baseline) for (const b of Object.values(baseline.tasks)) if (baselineFinish === null || b.finish > baselineFinish) baselineFinish = b.finish;
  return {
    leafCount: leaves.length,
    progress: progressOf(leaves),
    progressByAssignee: progressByAssignee(leaves),
    byStatus: tasksByStatus(leaves, statuses),
    overdue: overdueTasks(leaves, schedule, today),
    atRisk: atRiskTasks(leaves, schedule, baseline),
    workload: workload(leaves, schedule),
    costs: costs(leaves, tasks, schedule, baseline),
    burndown: burndown(leaves, schedule, baseline, today),
    projectFinish: schedule.projectFinish,
    baselineFinish,
    finishVariance: baselineFinish === null ? null : workingDayDiff(schedule, baselineFinish, schedule.projectFinish),
  };
}

function flagged({ task, scheduled }: Leaf, reasons: RiskReason[]): FlaggedTask {
  return { id: task.id, title: task.title, assignees: assigneesOf(task), finish: scheduled.finish, progress: scheduled.progress, reasons };
}

function byFinish(a: FlaggedTask, b: FlaggedTask): number {
  return a.finish < b.finish ? -1 : a.finish > b.finish ? 1 : a.title.localeCompare(b.title);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function add(figure: CostFigure, budget: number, actualCost: number): void {
  figure.budget += budget;
  figure.actualCost += actualCost;
}
