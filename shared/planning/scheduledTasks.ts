import { LAST_DAY, isoDate } from './calendar.ts';
import type { CpmState } from './cpm.ts';
import type { Hierarchy } from './hierarchy.ts';
import type { LeafGraph } from './leafGraph.ts';
import type { PlanTaskInput, Schedule, ScheduledTask } from './types.ts';

const LAST_DATE = isoDate(LAST_DAY);

/**
 * Working-day index to ISO date, remembered: tasks share few distinct days, and a scheduler
 * that keeps its calendar keeps these across edits.
 */
export function dateCache(graph: LeafGraph): (index: number) => string {
  const dates = new Map<number, string>();
  return (index) => {
    let iso = dates.get(index);
    if (iso === undefined) dates.set(index, (iso = graph.calendar.dateOf(index)));
    return iso;
  };
}

/** Leaf i's scheduled task from the CPM numbers. */
export function leafTask(graph: LeafGraph, state: CpmState, i: number, t: PlanTaskInput, dateOf: (index: number) => string): ScheduledTask {
  const d = state.duration[i]!;
  const es = state.es[i]!;
  const ls = state.ls[i]!;
  const total = ls - es;
  // A milestone shows on the day before its index when a finish link put it there.
  const shift = d === 0 && state.byFinish[i] ? 1 : 0;
  const start = dateOf(es > 0 ? es - shift : es);
  const finish = d > 0 ? dateOf(state.ef[i]! - 1) : start;
  const lateStart = dateOf(ls > 0 ? ls - shift : ls);
  const violated = state.violated[i];
  return {
    id: t.id,
    summary: false,
    start,
    finish,
    earlyStart: start,
    earlyFinish: finish,
    lateStart,
    lateFinish: d > 0 ? dateOf(state.lf[i]! - 1) : lateStart,
    startIndex: es,
    finishIndex: state.ef[i]!,
    duration: d,
    milestone: d === 0,
    totalFloat: total,
    freeFloat: clampedFreeFloat(state, i),
    critical: total <= 0,
    inCycle: graph.inCycleNode[i] === 1,
    violatedLinks: violated ? [...violated] : [],
    progress: clampPercent(t.progress),
    budget: t.budget,
    actualCost: t.actualCost,
  };
}

/** Free float as shown: never negative, never more than the total float. */
export function clampedFreeFloat(state: CpmState, i: number): number {
  return Math.max(0, Math.min(state.free[i]!, Math.max(0, state.ls[i]! - state.es[i]!)));
}

function clampPercent(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0;
}

/** Summary tasks, deepest first (children before their parent), computed once per hierarchy. */
export function summariesDeepestFirst(hierarchy: Hierarchy): string[] {
  const post: string[] = [];
  const stack: Array<{ id: string; expanded: boolean }> = hierarchy.roots.map((id) => ({ id, expanded: false })).reverse();
  while (stack.length > 0) {
    const top = stack.pop()!;
    const children = hierarchy.childrenOf.get(top.id);
    if (!children || children.length === 0) continue;
    if (top.expanded) {
      post.push(top.id);
      continue;
    }
    stack.push({ id: top.id, expanded: true });
    for (let i = children.length - 1; i >= 0; i--) stack.push({ id: children[i]!, expanded: false });
  }
  return post;
}

/** Where rollUpSummaries reads subtasks and writes summaries (a Map, or the scheduler's rows). */
export interface TaskSlots {
  get(id: string): ScheduledTask | undefined;
  set(id: string, task: ScheduledTask): unknown;
}

/**
 * Rolls summaries up from their subtasks: dates, floats and critical; progress weighted by
 * duration; costs summed. With `previous` (the tasks before an edit), a summary none of whose
 * subtasks changed keeps its previous object.
 */
export function rollUpSummaries(
  hierarchy: Hierarchy,
  summaries: readonly string[],
  tasks: TaskSlots,
  previous?: ReadonlyMap<string, ScheduledTask>,
): void {
  for (const id of summaries) {
    const children = hierarchy.childrenOf.get(id)!;
    const kids = children.map((c) => tasks.get(c)!);
    if (previous && kids.every((k, i) => previous.get(children[i]!) === k)) continue;
    tasks.set(id, summaryOf(id, kids));
  }
}

function summaryOf(id: string, kids: readonly ScheduledTask[]): ScheduledTask {
  const first = kids[0]!;
  const summary: ScheduledTask = {
    ...first,
    id,
    summary: true,
    violatedLinks: [],
    inCycle: kids.some((k) => k.inCycle),
  };
  let weighted = 0;
  let weight = 0;
  let progressSum = 0;
  summary.budget = 0;
  summary.actualCost = 0;
  for (const k of kids) {
    if (k.startIndex < summary.startIndex) summary.startIndex = k.startIndex;
    if (k.finishIndex > summary.finishIndex) summary.finishIndex = k.finishIndex;
    if (k.start < summary.start) summary.start = k.start;
    if (k.finish > summary.finish) summary.finish = k.finish;
    if (k.lateStart < summary.lateStart) summary.lateStart = k.lateStart;
    if (k.lateFinish > summary.lateFinish) summary.lateFinish = k.lateFinish;
    if (k.totalFloat < summary.totalFloat) summary.totalFloat = k.totalFloat;
    if (k.freeFloat < summary.freeFloat) summary.freeFloat = k.freeFloat;
    weighted += k.duration * k.progress;
    weight += k.duration;
    progressSum += k.progress;
    summary.budget += k.budget;
    summary.actualCost += k.actualCost;
  }
  summary.critical = kids.some((k) => k.critical);
  summary.duration = summary.finishIndex - summary.startIndex;
  summary.milestone = false;
  summary.progress = weight > 0 ? weighted / weight : progressSum / kids.length;
  summary.earlyStart = summary.start;
  summary.earlyFinish = summary.finish;
  return summary;
}

/** The schedule's project finish and the problems list, from the finished tasks. */
export function finishSchedule(
  graph: LeafGraph,
  projectStart: string,
  tasks: ReadonlyMap<string, ScheduledTask>,
  /** The same tasks (summaries may be among them), as the fastest thing to walk. */
  all: Iterable<ScheduledTask>,
  criticalLinks: Set<string>,
  finishIndex: number,
  dateOf: (index: number) => string,
): Schedule {
  let projectFinish = dateOf(0);
  for (const task of all) if (!task.summary && task.finish > projectFinish) projectFinish = task.finish;
  if (graph.n === 0) projectFinish = projectStart;
  const problems = graph.problems.map((p) => ({ ...p }));
  if (projectFinish >= LAST_DATE) problems.push({ id: '', message: 'the plan runs past 9999-12-31; later dates are shown as 9999-12-31' });
  return {
    projectStart,
    projectFinish,
    projectDuration: finishIndex,
    calendar: graph.calendar,
    tasks,
    cycles: graph.cycles,
    criticalLinks,
    problems,
  };
}
