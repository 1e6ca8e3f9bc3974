import { WorkCalendar } from './calendar.ts';
import { ancestorTest, buildHierarchy, leavesOf, type Hierarchy } from './hierarchy.ts';
import { findCycles } from './cycles.ts';
import type { PlanLinkInput, Schedule, ScheduleCycle, ScheduleInput } from './types.ts';
import type { DependencyType } from '../schema/entities.ts';

/**
 * The structure of a plan, everything the critical path method needs that does not depend on
 * durations, dates, modes or lags: the calendar, the summary forest, the leaf tasks numbered
 * 0..n-1, the links expanded to leaf edges (a link on a summary task applies to each of its
 * subtasks) in compressed adjacency, the cycles, and a topological order. Built once per
 * structure: the incremental scheduler keeps it while only task fields and lags change.
 */
export interface LeafGraph {
  calendar: WorkCalendar;
  hierarchy: Hierarchy;
  /** Problems the structure alone causes (parent loops, ignored links), in report order. */
  problems: Schedule['problems'];
  /** Leaf tasks (the activities); summaries only roll up. */
  n: number;
  leafIds: string[];
  /** Position in `input.tasks` each leaf reads its fields from (the last task with its id). */
  source: Int32Array;
  edges: LeafEdges;
  /** Edges of link k (its position in `input.links`) are linkEdgeStart[k]..linkEdgeStart[k+1]-1. */
  linkEdgeStart: Int32Array;
  outStart: Int32Array;
  outEdges: Int32Array;
  inStart: Int32Array;
  inEdges: Int32Array;
  cycles: ScheduleCycle[];
  inCycleEdge: Uint8Array;
  inCycleNode: Uint8Array;
  /** Every leaf, each after all its predecessors over the edges that are not on a cycle. */
  order: Int32Array;
}

export interface LeafEdges {
  from: Int32Array;
  to: Int32Array;
  type: Uint8Array;
  lag: Float64Array;
  /** The link each edge came from. */
  link: string[];
}

export const TYPE = { FS: 0, SS: 1, FF: 2, SF: 3 } as const;
const TYPE_OF: Record<DependencyType, number> = TYPE;

/** A link's type as an edge code (FS for anything unknown a peer wrote). */
export function typeCode(type: DependencyType): number {
  return TYPE_OF[type] ?? TYPE.FS;
}

/** A link's lag in whole working days (0 for anything not finite). */
export function lagDays(lag: number): number {
  return Number.isFinite(lag) ? Math.round(lag) : 0;
}

/** Cap on leaf edges made by expanding links on summary tasks (each leaf x each leaf). */
const MAX_EDGES = 2_000_000;

export function buildLeafGraph(input: ScheduleInput): LeafGraph {
  const calendar = new WorkCalendar(input.calendar, input.projectStart);
  const hierarchy = buildHierarchy(input.tasks);
  const problems: Schedule['problems'] = hierarchy.problems.map((p) => ({ ...p }));

  // One map from id to leaf number; a task id seen again reads its fields from the last copy.
  const leafIds: string[] = [];
  const leafIndex = new Map<string, number>();
  const lastPosition = new Map<string, number>();
  const tasks = input.tasks;
  // parentOf holds every distinct id: equal sizes mean no duplicates to look for.
  const unique = hierarchy.parentOf.size === tasks.length;
  const hasSummaries = hierarchy.childrenOf.size > 0;
  for (let k = 0; k < tasks.length; k++) {
    const id = tasks[k]!.id;
    if (!unique && leafIndex.has(id)) {
      lastPosition.set(id, k);
      continue;
    }
    if (hasSummaries && (hierarchy.childrenOf.get(id)?.length ?? 0) > 0) continue;
    leafIndex.set(id, leafIds.length);
    leafIds.push(id);
  }
  const n = leafIds.length;
  const source = new Int32Array(n);
  for (let i = 0; i < n; i++) source[i] = lastPosition.get(leafIds[i]!) ?? -1;
  if (lastPosition.size === 0) {
    // No duplicate ids (the usual case): leaf i's position is found in one pass.
    for (let k = 0, i = 0; k < tasks.length && i < n; k++) if (tasks[k]!.id === leafIds[i]) source[i++] = k;
  } else {
    const firstPosition = new Map<string, number>();
    for (let k = tasks.length - 1; k >= 0; k--) firstPosition.set(tasks[k]!.id, k);
    for (let i = 0; i < n; i++) if (source[i]! < 0) source[i] = firstPosition.get(leafIds[i]!)!;
  }

  const { edges, linkEdgeStart } = expandLinks(input.links, hierarchy, leafIndex, problems);
  const { outStart, outEdges, inStart, inEdges } = adjacency(n, edges);
  // Most plans have no cycle: Kahn's order then covers every task and Tarjan's search is skipped.
  let inCycleEdge: Uint8Array = new Uint8Array(edges.from.length);
  let inCycleNode: Uint8Array = new Uint8Array(n);
  let cycles: ScheduleCycle[] = [];
  let order = topologicalOrder(n, edges, inCycleEdge, outStart, outEdges);
  if (order.length < n) {
    ({ cycles, inCycleEdge, inCycleNode } = findCycles(n, edges, leafIds, input.links));
    order = topologicalOrder(n, edges, inCycleEdge, outStart, outEdges);
  }
  return { calendar, hierarchy, problems, n, leafIds, source, edges, linkEdgeStart, outStart, outEdges, inStart, inEdges, cycles, inCycleEdge, inCycleNode, order };
}

/** Growable typed columns for the edges: no per-link allocation, no array-to-typed-array copy. */
class EdgeColumns {
  length = 0;
  from: Int32Array;
  to: Int32Array;
  type: Uint8Array;
  lag: Float64Array;
  link: string[] = [];

  constructor(capacity: number) {
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
    this.type = new Uint8Array(capacity);
    this.lag = new Float64Array(capacity);
  }

  push(from: number, to: number, type: number, lag: number, link: string): void {
    if (this.length === this.from.length) this.grow();
    const e = this.length++;
    this.from[e] = from;
    this.to[e] = to;
    this.type[e] = type;
    this.lag[e] = lag;
    this.link.push(link);
  }

  done(): LeafEdges {
    const m = this.length;
    return { from: this.from.slice(0, m), to: this.to.slice(0, m), type: this.type.slice(0, m), lag: this.lag.slice(0, m), link: this.link };
  }

  private grow(): void {
    const size = Math.max(16, this.from.length * 2);
    const from = new Int32Array(size);
    const to = new Int32Array(size);
    const type = new Uint8Array(size);
    const lag = new Float64Array(size);
    from.set(this.from);
    to.set(this.to);
    type.set(this.type);
    lag.set(this.lag);
    Object.assign(this, { from, to, type, lag });
  }
}

function expandLinks(
  links: readonly PlanLinkInput[],
  hierarchy: Hierarchy,
  leafIndex: ReadonlyMap<string, number>,
  problems: Schedule['problems'],
): { edges: LeafEdges; linkEdgeStart: Int32Array } {
  const out = new EdgeColumns(links.length);
  const linkEdgeStart = new Int32Array(links.length + 1);
  // Every task id is a key of parentOf: a link's ends are checked without another map.
  const known = hierarchy.parentOf;
  // Built only when a link touches a summary task: two leaf tasks are never each other's ancestor.
  let ancestry: ((a: string, b: string) => boolean) | null = null;
  const isAncestorOf = (a: string, b: string) => (ancestry ??= ancestorTest(hierarchy))(a, b);
  const leafCache = new Map<string, number[]>();
  const leaves = (id: string): number[] => {
    let list = leafCache.get(id);
    if (!list) leafCache.set(id, (list = leavesOf(hierarchy.childrenOf, id).map((leaf) => leafIndex.get(leaf)!)));
    return list;
  };
  for (let k = 0; k < links.length; k++) {
    linkEdgeStart[k] = out.length;
    const l = links[k]!;
    // Most links join two leaf tasks: one edge, no subtask lists, no ancestry to check.
    const fromLeaf = leafIndex.get(l.from);
    const toLeaf = leafIndex.get(l.to);
    if (fromLeaf === undefined || toLeaf === undefined) {
      if (!known.has(l.from) || !known.has(l.to)) {
        problems.push({ id: l.id, message: 'link to a missing task; ignored' });
        continue;
      }
    }
    if (l.from === l.to) {
      problems.push({ id: l.id, message: 'link from a task to itself; ignored' });
      continue;
    }
    const t = typeCode(l.type);
    const lag = lagDays(l.lag);
    if (fromLeaf === undefined || toLeaf === undefined) {
      if (isAncestorOf(l.from, l.to) || isAncestorOf(l.to, l.from)) {
        problems.push({ id: l.id, message: 'link between a summary task and its own subtask; ignored' });
        continue;
      }
    }
    if (fromLeaf !== undefined && toLeaf !== undefined && out.length < MAX_EDGES) {
      out.push(fromLeaf, toLeaf, t, lag, l.id);
      continue;
    }
    const preds = leaves(l.from);
    const succs = leaves(l.to);
    if (out.length + preds.length * succs.length > MAX_EDGES) {
      problems.push({ id: l.id, message: 'too many subtasks under the linked summary tasks; ignored' });
      continue;
    }
    for (const p of preds) for (const s of succs) out.push(p, s, t, lag, l.id);
  }
  linkEdgeStart[links.length] = out.length;
  return { edges: out.done(), linkEdgeStart };
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

/**
 * Kahn's order over the edges that are not on a cycle. Shorter than n exactly when the edges
 * it was given still hold a cycle; with the cycles' edges left out it covers every task.
 */
function topologicalOrder(n: number, edges: LeafEdges, inCycleEdge: Uint8Array, outStart: Int32Array, outEdges: Int32Array): Int32Array {
  const m = edges.from.length;
  const indegree = new Int32Array(n);
  for (let e = 0; e < m; e++) if (!inCycleEdge[e]) indegree[edges.to[e]!]!++;
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
  return tail === n ? order : order.subarray(0, tail);
}
