import { criticalLinkSet, criticalPath, readLeaf, type CpmState } from './cpm.ts';
import { MARK, markPredecessors, propagate } from './propagate.ts';
import { buildLeafGraph, lagDays, typeCode, type LeafGraph } from './leafGraph.ts';
import { clampedFreeFloat, dateCache, finishSchedule, leafTask, rollUpSummaries, summariesDeepestFirst } from './scheduledTasks.ts';
import { ScheduledTaskTable } from './taskTable.ts';
import type { PlanLinkInput, PlanTaskInput, Schedule, ScheduleInput, ScheduledTask } from './types.ts';

/**
 * A scheduler that remembers the last plan it scheduled, so that the next one costs only what
 * changed. Every result equals schedule() of the same input (a randomized test holds it to
 * that); only the work differs:
 *
 * - Same structure (same project start, calendar, task ids and parents, link ids and ends, in
 *   the same order) — an edit of durations, dates, modes, milestones, progress, costs, link
 *   types or lags: the changed tasks are re-read, early dates are recomputed only for them and
 *   the successors whose dates actually move (in topological order, stopping where nothing
 *   moves), late dates and floats likewise for the predecessors whose figures move — or for
 *   every task, in one linear pass over typed arrays, when the project finish moved (then
 *   every late date moves: no cone can be skipped honestly). Only the tasks whose figures
 *   changed get new ScheduledTask objects; the others are shared with the previous result, as
 *   are summaries none of whose subtasks changed and an unchanged set of critical links.
 * - Anything else (a task or link added, removed, reordered or re-parented, a link's ends, the
 *   calendar): the full schedule, which becomes the new starting point.
 *
 * Inputs are read as immutable values: a task or link object that is the same object as in
 * the previous call is taken as unchanged without comparing its fields.
 *
 * @example
 *   const scheduler = createScheduler();
 *   scheduler.schedule(plan); // full
 *   scheduler.schedule({ ...plan, tasks: plan.tasks.map((t) => (t.id === 'a' ? { ...t, duration: 5 } : t)) }); // incremental
 */
export interface Scheduler {
  schedule(input: ScheduleInput): Schedule;
}

interface Memory {
  graph: LeafGraph;
  state: CpmState;
  /** Copies of the arrays last scheduled (a caller may reuse and change its own). */
  tasks: PlanTaskInput[];
  links: PlanLinkInput[];
  projectStart: string;
  calendar: ScheduleInput['calendar'];
  summaries: string[];
  dateOf: (index: number) => string;
  /** Task id -> row: leaves 0..n-1, then summaries deepest first (schedule()'s map order). */
  index: Map<string, number>;
  /** The last result's tasks by row, and which edges drove critical tasks. */
  rows: ScheduledTask[];
  criticalEdge: Uint8Array;
  /** The leaf each input task position is read into (-1: a summary, or an earlier copy of an id). */
  leafAt: Int32Array;
  /** Scratch marks per leaf for one reschedule (propagate.ts; kept to spare the allocation). */
  mark: Uint8Array;
  result: Schedule;
}

export function createScheduler(): Scheduler {
  let memory: Memory | null = null;
  return {
    schedule(input) {
      const changes = memory && changesWithin(memory, input);
      if (memory && changes) {
        try {
          return reschedule(memory, input, changes);
        } catch {
          // Half-patched numbers must never be built on: start again from the full schedule
          // (which reports the input's fault itself if there is one).
          memory = null;
        }
      }
      memory = fullSchedule(input);
      return memory.result;
    },
  };
}

function fullSchedule(input: ScheduleInput): Memory {
  const graph = buildLeafGraph(input);
  const { state, criticalEdge } = criticalPath(graph, input.tasks);
  const dateOf = dateCache(graph);
  const index = new Map<string, number>();
  const rows: ScheduledTask[] = [];
  for (let i = 0; i < graph.n; i++) {
    index.set(graph.leafIds[i]!, i);
    rows.push(leafTask(graph, state, i, input.tasks[graph.source[i]!]!, dateOf));
  }
  const summaries = summariesDeepestFirst(graph.hierarchy);
  // A duplicated summary id appears twice in the roll-up order but has one row.
  for (const id of summaries) if (!index.has(id)) index.set(id, index.size);
  rollUpSummaries(graph.hierarchy, summaries, slots(index, rows));
  const result = finishSchedule(graph, input.projectStart, new ScheduledTaskTable(index, rows), rows, criticalLinkSet(graph, criticalEdge), state.finishIndex, dateOf);
  return {
    graph,
    state,
    tasks: input.tasks.slice(),
    links: input.links.slice(),
    projectStart: input.projectStart,
    calendar: { workingDays: input.calendar.workingDays.slice(), holidays: input.calendar.holidays.slice() },
    summaries,
    dateOf,
    index,
    rows,
    criticalEdge,
    mark: new Uint8Array(graph.n),
    leafAt: leafPositions(graph, input.tasks.length),
    result,
  };
}

function leafPositions(graph: LeafGraph, positions: number): Int32Array {
  const leafAt = new Int32Array(positions).fill(-1);
  for (let i = 0; i < graph.n; i++) leafAt[graph.source[i]!] = i;
  return leafAt;
}

/** Rows addressed by task id, for the summary roll-up. */
function slots(index: ReadonlyMap<string, number>, rows: ScheduledTask[]) {
  return {
    get: (id: string) => rows[index.get(id)!],
    set: (id: string, task: ScheduledTask) => (rows[index.get(id)!] = task),
  };
}

/** Positions of the tasks and links that are not the very objects scheduled last time. */
interface Changes {
  tasks: number[];
  links: number[];
}

/**
 * What changed since the last call, when `input` still has the structure the memory's graph
 * was built from; null when the structure changed.
 */
function changesWithin(memory: Memory, input: ScheduleInput): Changes | null {
  if (input.projectStart !== memory.projectStart) return null;
  if (!sameList(input.calendar.workingDays, memory.calendar.workingDays) || !sameList(input.calendar.holidays, memory.calendar.holidays)) return null;
  const changes: Changes = { tasks: [], links: [] };
  const tasks = input.tasks;
  const before = memory.tasks;
  if (tasks.length !== before.length) return null;
  for (let k = 0; k < tasks.length; k++) {
    const t = tasks[k]!;
    const b = before[k]!;
    if (t === b) continue;
    if (t.id !== b.id || t.parent !== b.parent) return null;
    changes.tasks.push(k);
  }
  const links = input.links;
  const linksBefore = memory.links;
  if (links.length !== linksBefore.length) return null;
  for (let k = 0; k < links.length; k++) {
    const l = links[k]!;
    const b = linksBefore[k]!;
    if (l === b) continue;
    if (l.id !== b.id || l.from !== b.from || l.to !== b.to) return null;
    changes.links.push(k);
  }
  return changes;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * The schedule of `input`, which has the memory's structure, from the memory's numbers;
 * updates the memory. Null when nothing can be reused (not expected; the caller goes full).
 */
function reschedule(memory: Memory, input: ScheduleInput, changes: Changes): Schedule {
  const { graph, state, mark, leafAt } = memory;
  const { source, edges, linkEdgeStart } = graph;
  mark.fill(0);
  for (const k of changes.tasks) {
    // A task id given twice is read from its last copy only: the others change nothing.
    const i = leafAt[k]!;
    if (i < 0) continue;
    const t = input.tasks[k]!;
    const b = memory.tasks[k]!;
    if (sameTaskFields(t, b)) continue;
    mark[i]! |= MARK.input;
    if (t.duration !== b.duration || t.start !== b.start || t.mode !== b.mode || t.milestone !== b.milestone) {
      readLeaf(graph, state, i, t);
      // Its duration enters its own late dates, its predecessors' late dates (when manual) and
      // their slack to it.
      mark[i]! |= MARK.early | MARK.late | MARK.float;
      markPredecessors(graph, mark, i, MARK.late | MARK.float);
    }
  }
  for (const k of changes.links) {
    const l = input.links[k]!;
    const b = memory.links[k]!;
    if (l.type === b.type && Object.is(l.lag, b.lag)) continue;
    const type = typeCode(l.type);
    const lag = lagDays(l.lag);
    for (let e = linkEdgeStart[k]!; e < linkEdgeStart[k + 1]!; e++) {
      if (edges.type[e] === type && edges.lag[e] === lag) continue;
      edges.type[e] = type;
      edges.lag[e] = lag;
      mark[edges.to[e]!]! |= MARK.early;
      mark[edges.from[e]!]! |= MARK.late | MARK.float;
    }
  }

  const { everything, criticalChanged } = propagate(graph, state, mark, memory.criticalEdge);
  const criticalLinks = criticalChanged ? criticalLinkSet(graph, memory.criticalEdge) : memory.result.criticalLinks;

  // Leaf i is row i. A copy of the rows array is the new result's table: the previous one
  // stays as it was.
  const previous = memory.result.tasks;
  const rows = memory.rows.slice();
  const n = graph.n;
  const { es, ef, ls } = state;
  for (let i = 0; i < n; i++) {
    const m = mark[i]!;
    if (!everything && !(m & (MARK.input | MARK.moved))) continue;
    const before = rows[i]!;
    if (
      m & MARK.input ||
      m & MARK.moved ||
      before.startIndex !== es[i] ||
      before.finishIndex !== ef[i] ||
      before.totalFloat !== ls[i]! - es[i]! ||
      before.freeFloat !== clampedFreeFloat(state, i)
    ) {
      rows[i] = leafTask(graph, state, i, input.tasks[source[i]!]!, memory.dateOf);
    }
  }
  rollUpSummaries(graph.hierarchy, memory.summaries, slots(memory.index, rows), previous);
  const result = finishSchedule(graph, input.projectStart, new ScheduledTaskTable(memory.index, rows), rows, criticalLinks, state.finishIndex, memory.dateOf);
  // The snapshot becomes a copy of this input by patching only the positions that changed.
  for (const k of changes.tasks) memory.tasks[k] = input.tasks[k]!;
  for (const k of changes.links) memory.links[k] = input.links[k]!;
  memory.rows = rows;
  memory.result = result;
  return result;
}

function sameTaskFields(a: PlanTaskInput, b: PlanTaskInput): boolean {
  return (
    a.duration === b.duration &&
    a.start === b.start &&
    a.mode === b.mode &&
    a.milestone === b.milestone &&
    Object.is(a.progress, b.progress) &&
    Object.is(a.budget, b.budget) &&
    Object.is(a.actualCost, b.actualCost)
  );
}
