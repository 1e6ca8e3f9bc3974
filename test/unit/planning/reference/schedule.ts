// The scheduler as it was before the rewrite into planGraph/cpm/scheduledTasks (git HEAD of
// shared/planning/schedule.ts), kept unchanged as the reference the new kernel must match exactly.
import { LAST_DAY, WorkCalendar, epochDay, isoDate } from '../../../../shared/planning/calendar.ts';
import { ancestorTest, buildHierarchy, leavesOf } from './hierarchy.ts';
// The cycle search did not change in the rewrite (only an import path), so the live one serves.
import { findCycles } from '../../../../shared/planning/cycles.ts';
import type { PlanLinkInput, Schedule, ScheduleInput, ScheduledTask } from '../../../../shared/planning/types.ts';
import type { DependencyType } from '../../../../shared/schema/entities.ts';

const LAST_DATE = isoDate(LAST_DAY);

/**
 * The critical path method over a board's tasks and links, with MS Project's semantics:
 *
 * - Time is counted in working days of the board calendar; a task with early start ES and
 *   duration d occupies working days [ES, ES + d), its early finish EF = ES + d.
 * - Links (predecessor P, successor S, lag L in working days, negative for a lead):
 *   FS  S.ES >= P.EF + L      SS  S.ES >= P.ES + L
 *   FF  S.EF >= P.EF + L      SF  S.EF >= P.ES + L
 * - Auto tasks start at the earliest date those links, the project start and their own
 *   "start no earlier than" date allow. Manual tasks stay where they are; links they break
 *   are reported (`violatedLinks`).
 * - The backward pass gives late dates against the project finish (the latest early
 *   finish); total float = LS - ES, free float = the slack to the nearest successor
 *   constraint (to the project finish for tasks without successors), critical = total float <= 0.
 *   Manual successors are pinned: their predecessors' late dates count back from where they are,
 *   so a predecessor that is late for a manual task gets negative float.
 * - A link on a summary task applies to each of its subtasks; summary tasks roll up dates,
 *   duration, progress (duration-weighted) and costs from their subtasks.
 * - Cycles never loop: each is reported, its links are ignored, everything is still scheduled.
 *
 * Pure and O(tasks + links): 10k tasks and 20k links take a few milliseconds.
 *
 * @example
 *   schedule({ projectStart: '2026-01-05', calendar: { workingDays: [1,2,3,4,5], holidays: [] },
 *     tasks: [a, b], links: [{ id: 'l', from: 'a', to: 'b', type: 'FS', lag: 0 }] })
 *     .tasks.get('b').start // the working day after a's finish
 */
export function schedule(input: ScheduleInput): Schedule {
  const calendar = new WorkCalendar(input.calendar, input.projectStart);
  const hierarchy = buildHierarchy(input.tasks);
  const problems: Schedule['problems'] = hierarchy.problems.map((p) => ({ ...p }));

  // Leaves are the activities; summaries only roll up.
  const byId = new Map(input.tasks.map((t) => [t.id, t]));
  const leafIds: string[] = [];
  const leafIndex = new Map<string, number>();
  for (const t of input.tasks) {
    if (leafIndex.has(t.id) || (hierarchy.childrenOf.get(t.id)?.length ?? 0) > 0) continue;
    leafIndex.set(t.id, leafIds.length);
    leafIds.push(t.id);
  }
  const n = leafIds.length;
  const duration = new Int32Array(n);
  const manual = new Uint8Array(n);
  const floor = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = byId.get(leafIds[i]!)!;
    duration[i] = t.milestone ? 0 : Math.max(0, Math.round(t.duration));
    manual[i] = t.mode === 'manual' ? 1 : 0;
    const asked = t.start ? calendar.indexOnOrAfter(epochDay(t.start)) : 0;
    // Auto tasks never start before the project start; a manual task sits where it was put.
    floor[i] = manual[i] ? asked : Math.max(0, asked);
  }

  const edges = expandLinks(input.links, hierarchy, leafIndex, byId, problems);
  const { cycles, inCycleEdge, inCycleNode } = findCycles(n, edges, leafIds, input.links);
  const order = topologicalOrder(n, edges, inCycleEdge);

  // Forward pass.
  const es = new Float64Array(n);
  const ef = new Float64Array(n);
  const byFinish = new Uint8Array(n);
  const violated: Array<Set<string> | undefined> = new Array(n);
  const { outStart, outEdges, inStart, inEdges } = adjacency(n, edges);
  for (const i of order) {
    const d = duration[i]!;
    let start = floor[i]!;
    let drivenByFinish = 0;
    for (let k = inStart[i]!; k < inStart[i + 1]!; k++) {
      const e = inEdges[k]!;
      if (inCycleEdge[e]) continue;
      const p = edges.from[e]!;
      const needed = earliestStart(edges.type[e]!, es[p]!, ef[p]!, edges.lag[e]!, d);
      if (manual[i]) {
        if (needed > floor[i]!) (violated[i] ??= new Set()).add(edges.link[e]!);
      } else {
        const byFinishLink = edges.type[e] === TYPE.FS || edges.type[e] === TYPE.FF ? 1 : 0;
        if (needed > start) {
          start = needed;
          drivenByFinish = byFinishLink;
        } else if (needed === start && !byFinishLink) {
          // A tie with a start-driven link: the day's start is later than the day before's
          // finish, so it wins whatever order the links come in (as the floor already does).
          drivenByFinish = 0;
        }
      }
    }
    es[i] = start;
    ef[i] = start + d;
    byFinish[i] = drivenByFinish;
  }

  let finishIndex = 0;
  for (let i = 0; i < n; i++) if (ef[i]! > finishIndex) finishIndex = ef[i]!;

  // Backward pass.
  const ls = new Float64Array(n);
  const lf = new Float64Array(n);
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    const d = duration[i]!;
    let late = finishIndex;
    for (let j = outStart[i]!; j < outStart[i + 1]!; j++) {
      const e = outEdges[j]!;
      if (inCycleEdge[e]) continue;
      const s = edges.to[e]!;
      // A manual successor does not move: count back from where it is.
      const sStart = manual[s] ? es[s]! : ls[s]!;
      const sFinish = manual[s] ? ef[s]! : lf[s]!;
      const allowed = latestFinish(edges.type[e]!, sStart, sFinish, edges.lag[e]!, d);
      if (allowed < late) late = allowed;
    }
    lf[i] = late;
    ls[i] = late - d;
  }

  // Tasks share few distinct working days: convert each index to its ISO date once.
  const dates = new Map<number, string>();
  const dateOf = (index: number): string => {
    let iso = dates.get(index);
    if (iso === undefined) dates.set(index, (iso = calendar.dateOf(index)));
    return iso;
  };

  // Free float and the links that drive critical tasks.
  const criticalLinks = new Set<string>();
  const tasks = new Map<string, ScheduledTask>();
  for (let i = 0; i < n; i++) {
    const d = duration[i]!;
    const total = ls[i]! - es[i]!;
    let free = finishIndex - ef[i]!;
    for (let j = outStart[i]!; j < outStart[i + 1]!; j++) {
      const e = outEdges[j]!;
      if (inCycleEdge[e]) continue;
      const s = edges.to[e]!;
      const slack = es[s]! - earliestStart(edges.type[e]!, es[i]!, ef[i]!, edges.lag[e]!, duration[s]!);
      if (slack < free) free = slack;
      if (slack <= 0 && total <= 0 && ls[s]! - es[s]! <= 0) criticalLinks.add(edges.link[e]!);
    }
    const t = byId.get(leafIds[i]!)!;
    // A milestone shows on the day before its index when a finish link put it there.
    const shift = d === 0 && byFinish[i] ? 1 : 0;
    const start = dateOf(es[i]! > 0 ? es[i]! - shift : es[i]!);
    const finish = d > 0 ? dateOf(ef[i]! - 1) : start;
    const lateStart = dateOf(ls[i]! > 0 ? ls[i]! - shift : ls[i]!);
    tasks.set(t.id, {
      id: t.id,
      summary: false,
      start,
      finish,
      earlyStart: start,
      earlyFinish: finish,
      lateStart,
      lateFinish: d > 0 ? dateOf(lf[i]! - 1) : lateStart,
      startIndex: es[i]!,
      finishIndex: ef[i]!,
      duration: d,
      milestone: d === 0,
      totalFloat: total,
      freeFloat: Math.max(0, Math.min(free, Math.max(0, total))),
      critical: total <= 0,
      inCycle: inCycleNode[i] === 1,
      violatedLinks: violated[i] ? [...violated[i]!] : [],
      progress: clampPercent(t.progress),
      budget: t.budget,
      actualCost: t.actualCost,
    });
  }

  rollUpSummaries(hierarchy, tasks);

  let projectFinish = dateOf(0);
  for (const task of tasks.values()) if (!task.summary && task.finish > projectFinish) projectFinish = task.finish;
  if (n === 0) projectFinish = input.projectStart;
  if (projectFinish >= LAST_DATE) problems.push({ id: '', message: 'the plan runs past 9999-12-31; later dates are shown as 9999-12-31' });

  return {
    projectStart: input.projectStart,
    projectFinish,
    projectDuration: finishIndex,
    calendar,
    tasks,
    cycles,
    criticalLinks,
    problems,
  };
}

const TYPE = { FS: 0, SS: 1, FF: 2, SF: 3 } as const;
const TYPE_OF: Record<DependencyType, number> = TYPE;

/** Earliest start of a successor of duration `d` allowed by one link. */
function earliestStart(type: number, pEs: number, pEf: number, lag: number, d: number): number {
  switch (type) {
    case TYPE.FS:
      return pEf + lag;
    case TYPE.SS:
      return pEs + lag;
    case TYPE.FF:
      return pEf + lag - d;
    default:
      return pEs + lag - d;
  }
}

/** Latest finish of a predecessor of duration `d` allowed by one link to a successor's (late) dates. */
function latestFinish(type: number, sStart: number, sFinish: number, lag: number, d: number): number {
  switch (type) {
    case TYPE.FS:
      return sStart - lag;
    case TYPE.SS:
      return sStart - lag + d;
    case TYPE.FF:
      return sFinish - lag;
    default:
      return sFinish - lag + d;
  }
}

export interface LeafEdges {
  from: Int32Array;
  to: Int32Array;
  type: Uint8Array;
  lag: Float64Array;
  /** The link each edge came from. */
  link: string[];
}

/** Cap on leaf edges made by expanding links on summary tasks (each leaf x each leaf). */
const MAX_EDGES = 2_000_000;

function expandLinks(
  links: readonly PlanLinkInput[],
  hierarchy: ReturnType<typeof buildHierarchy>,
  leafIndex: ReadonlyMap<string, number>,
  byId: ReadonlyMap<string, unknown>,
  problems: Schedule['problems'],
): LeafEdges {
  const from: number[] = [];
  const to: number[] = [];
  const type: number[] = [];
  const lag: number[] = [];
  const link: string[] = [];
  // Built only when a link touches a summary task: two leaf tasks are never each other's ancestor.
  let ancestry: ((a: string, b: string) => boolean) | null = null;
  const isAncestorOf = (a: string, b: string) => (ancestry ??= ancestorTest(hierarchy))(a, b);
  const leafCache = new Map<string, number[]>();
  const leaves = (id: string): number[] => {
    let out = leafCache.get(id);
    if (!out) leafCache.set(id, (out = leavesOf(hierarchy.childrenOf, id).map((leaf) => leafIndex.get(leaf)!)));
    return out;
  };
  for (const l of links) {
    if (!byId.has(l.from) || !byId.has(l.to)) {
      problems.push({ id: l.id, message: 'link to a missing task; ignored' });
      continue;
    }
    if (l.from === l.to) {
      problems.push({ id: l.id, message: 'link from a task to itself; ignored' });
      continue;
    }
    const t = TYPE_OF[l.type] ?? TYPE.FS;
    const lagDays = Number.isFinite(l.lag) ? Math.round(l.lag) : 0;
    // Most links join two leaf tasks: one edge, no subtask lists, no ancestry to check.
    const fromLeaf = leafIndex.get(l.from);
    const toLeaf = leafIndex.get(l.to);
    if (fromLeaf === undefined || toLeaf === undefined) {
      if (isAncestorOf(l.from, l.to) || isAncestorOf(l.to, l.from)) {
        problems.push({ id: l.id, message: 'link between a summary task and its own subtask; ignored' });
        continue;
      }
    }
    if (fromLeaf !== undefined && toLeaf !== undefined && from.length < MAX_EDGES) {
      from.push(fromLeaf);
      to.push(toLeaf);
      type.push(t);
      lag.push(lagDays);
      link.push(l.id);
      continue;
    }
    const preds = leaves(l.from);
    const succs = leaves(l.to);
    if (from.length + preds.length * succs.length > MAX_EDGES) {
      problems.push({ id: l.id, message: 'too many subtasks under the linked summary tasks; ignored' });
      continue;
    }
    for (const p of preds) {
      for (const s of succs) {
        from.push(p);
        to.push(s);
        type.push(t);
        lag.push(lagDays);
        link.push(l.id);
      }
    }
  }
  return { from: Int32Array.from(from), to: Int32Array.from(to), type: Uint8Array.from(type), lag: Float64Array.from(lag), link };
}

/** Compressed adjacency (CSR) of the edges, outgoing and incoming. */
function adjacency(n: number, edges: LeafEdges) {
  const m = edges.from.length;
  const outStart = new Int32Array(n + 1);
  const inStart = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    outStart[edges.from[e]! + 1]!++;
    inStart[edges.to[e]! + 1]!++;
  }
  for (let i = 0; i < n; i++) {
    outStart[i + 1]! += outStart[i]!;
    inStart[i + 1]! += inStart[i]!;
  }
  const outEdges = new Int32Array(m);
  const inEdges = new Int32Array(m);
  const outFill = outStart.slice(0, n);
  const inFill = inStart.slice(0, n);
  for (let e = 0; e < m; e++) {
    outEdges[outFill[edges.from[e]!]!++] = e;
    inEdges[inFill[edges.to[e]!]!++] = e;
  }
  return { outStart, outEdges, inStart, inEdges };
}

/** Kahn's order over the edges that are not on a cycle (so it always covers every node). */
function topologicalOrder(n: number, edges: LeafEdges, inCycleEdge: Uint8Array): Int32Array {
  const m = edges.from.length;
  const indegree = new Int32Array(n);
  for (let e = 0; e < m; e++) if (!inCycleEdge[e]) indegree[edges.to[e]!]!++;
  const { outStart, outEdges } = adjacency(n, edges);
  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) if (indegree[i] === 0) order[tail++] = i;
  while (head < tail) {
    const i = order[head++]!;
    for (let j = outStart[i]!; j < outStart[i + 1]!; j++) {
      const e = outEdges[j]!;
      if (inCycleEdge[e]) continue;
      if (--indegree[edges.to[e]!]! === 0) order[tail++] = edges.to[e]!;
    }
  }
  return order;
}

function clampPercent(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0;
}

/** Summary tasks, deepest first: dates, floats and critical from their subtasks; progress weighted by duration. */
function rollUpSummaries(hierarchy: ReturnType<typeof buildHierarchy>, tasks: Map<string, ScheduledTask>): void {
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
  for (const id of post) {
    const kids = hierarchy.childrenOf.get(id)!.map((c) => tasks.get(c)!);
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
    tasks.set(id, summary);
  }
}
