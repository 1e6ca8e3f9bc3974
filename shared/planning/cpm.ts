import { epochDay } from './calendar.ts';
import { TYPE, type LeafGraph } from './leafGraph.ts';
import type { PlanTaskInput } from './types.ts';

/**
 * The numbers of the critical path method over a LeafGraph, one typed array per quantity,
 * indexed by leaf number: what schedule() computes in full and the incremental scheduler
 * keeps and patches. Working-day indexes throughout; no dates, no objects per task.
 */
export interface CpmState {
  duration: Int32Array;
  manual: Uint8Array;
  /** Auto: the earliest start its own date and the project start allow; manual: its fixed start. */
  floor: Float64Array;
  es: Float64Array;
  ef: Float64Array;
  /** The start was set by a finish link (FS/FF): a milestone then shows on the day before. */
  byFinish: Uint8Array;
  /** Links into a manual task that its fixed start breaks. */
  violated: Array<Set<string> | undefined>;
  ls: Float64Array;
  lf: Float64Array;
  /** Free float before clamping to [0, total float]. */
  free: Float64Array;
  /** The latest early finish. */
  finishIndex: number;
}

export function emptyCpmState(n: number): CpmState {
  return {
    duration: new Int32Array(n),
    manual: new Uint8Array(n),
    floor: new Float64Array(n),
    es: new Float64Array(n),
    ef: new Float64Array(n),
    byFinish: new Uint8Array(n),
    violated: new Array<Set<string> | undefined>(n),
    ls: new Float64Array(n),
    lf: new Float64Array(n),
    free: new Float64Array(n),
    finishIndex: 0,
  };
}

/** Every CPM number of a plan, from scratch: the passes in order. */
export function criticalPath(graph: LeafGraph, tasks: readonly PlanTaskInput[]): { state: CpmState; criticalEdge: Uint8Array } {
  const state = emptyCpmState(graph.n);
  for (let i = 0; i < graph.n; i++) readLeaf(graph, state, i, tasks[graph.source[i]!]!);
  forwardPass(graph, state);
  state.finishIndex = latestFinishIndex(state, graph.n);
  backwardPass(graph, state);
  const criticalEdge = new Uint8Array(graph.edges.from.length);
  floatPass(graph, state, criticalEdge);
  return { state, criticalEdge };
}

/** Reads leaf i's scheduling fields from its task. */
export function readLeaf(graph: LeafGraph, state: CpmState, i: number, t: PlanTaskInput): void {
  state.duration[i] = t.milestone ? 0 : Math.max(0, Math.round(t.duration));
  const manual = t.mode === 'manual' ? 1 : 0;
  state.manual[i] = manual;
  const asked = t.start ? graph.calendar.indexOnOrAfter(epochDay(t.start)) : 0;
  // Auto tasks never start before the project start; a manual task sits where it was put.
  state.floor[i] = manual ? asked : Math.max(0, asked);
}

/**
 * Early dates of leaf i from its predecessors' (which must be final). Returns whether its
 * early start, early finish, finish-driven flag or broken links changed.
 */
export function forwardLeaf(graph: LeafGraph, state: CpmState, i: number): boolean {
  const { edges, inStart, inEdges, inCycleEdge } = graph;
  const { es, ef, manual, floor } = state;
  const d = state.duration[i]!;
  let start = floor[i]!;
  let drivenByFinish = 0;
  let violated: Set<string> | undefined;
  for (let k = inStart[i]!; k < inStart[i + 1]!; k++) {
    const e = inEdges[k]!;
    if (inCycleEdge[e]) continue;
    const p = edges.from[e]!;
    const type = edges.type[e]!;
    const needed = earliestStart(type, es[p]!, ef[p]!, edges.lag[e]!, d);
    if (manual[i]) {
      if (needed > floor[i]!) (violated ??= new Set()).add(edges.link[e]!);
    } else {
      const byFinishLink = type === TYPE.FS || type === TYPE.FF ? 1 : 0;
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
  const changed =
    es[i] !== start || ef[i] !== start + d || state.byFinish[i] !== drivenByFinish || !sameLinks(state.violated[i], violated);
  es[i] = start;
  ef[i] = start + d;
  state.byFinish[i] = drivenByFinish;
  state.violated[i] = violated;
  return changed;
}

function sameLinks(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.size !== b.size) return false;
  // Same insertion order too: the task lists its broken links in that order.
  const rest = b.values();
  for (const id of a) if (rest.next().value !== id) return false;
  return true;
}

/** Early dates of every leaf, in topological order. */
export function forwardPass(graph: LeafGraph, state: CpmState): void {
  for (const i of graph.order) forwardLeaf(graph, state, i);
}

/** The latest early finish: the project's length in working days. */
export function latestFinishIndex(state: CpmState, n: number): number {
  let finish = 0;
  for (let i = 0; i < n; i++) if (state.ef[i]! > finish) finish = state.ef[i]!;
  return finish;
}

/**
 * Late dates of leaf i against the project finish, from its successors' (which must be final).
 * Returns whether they changed.
 */
export function backwardLeaf(graph: LeafGraph, state: CpmState, i: number): boolean {
  const { edges, outStart, outEdges, inCycleEdge } = graph;
  const { manual, es, ef, ls, lf } = state;
  const d = state.duration[i]!;
  let late = state.finishIndex;
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
  const changed = lf[i] !== late || ls[i] !== late - d;
  lf[i] = late;
  ls[i] = late - d;
  return changed;
}

/**
 * Late dates of every leaf, in reverse topological order. When the project finish moves every
 * late date moves; one linear pass over typed arrays is cheap.
 */
export function backwardPass(graph: LeafGraph, state: CpmState): void {
  const { order } = graph;
  for (let k = order.length - 1; k >= 0; k--) backwardLeaf(graph, state, order[k]!);
}

/**
 * Free float of leaf i (the slack to its nearest successor constraint, to the project finish
 * without successors), and which of its outgoing edges drive a critical task (no slack, both
 * ends critical) as flags per edge. Returns FREE_CHANGED | CRITICAL_CHANGED for what changed.
 */
export function floatLeaf(graph: LeafGraph, state: CpmState, i: number, criticalEdge: Uint8Array): number {
  const { edges, outStart, outEdges, inCycleEdge } = graph;
  const { duration, es, ef, ls } = state;
  const total = ls[i]! - es[i]!;
  let slackMin = state.finishIndex - ef[i]!;
  let changed = 0;
  for (let j = outStart[i]!; j < outStart[i + 1]!; j++) {
    const e = outEdges[j]!;
    if (inCycleEdge[e]) continue;
    const s = edges.to[e]!;
    const slack = es[s]! - earliestStart(edges.type[e]!, es[i]!, ef[i]!, edges.lag[e]!, duration[s]!);
    if (slack < slackMin) slackMin = slack;
    const critical = slack <= 0 && total <= 0 && ls[s]! - es[s]! <= 0 ? 1 : 0;
    if (criticalEdge[e] !== critical) {
      criticalEdge[e] = critical;
      changed |= CRITICAL_CHANGED;
    }
  }
  if (state.free[i] !== slackMin) changed |= FREE_CHANGED;
  state.free[i] = slackMin;
  return changed;
}

export const FREE_CHANGED = 1;
export const CRITICAL_CHANGED = 2;

/** Free floats and critical-edge flags of every leaf. */
export function floatPass(graph: LeafGraph, state: CpmState, criticalEdge: Uint8Array): void {
  for (let i = 0; i < graph.n; i++) floatLeaf(graph, state, i, criticalEdge);
}

/** The links of the flagged edges, in leaf then outgoing-edge order (a link once). */
export function criticalLinkSet(graph: LeafGraph, criticalEdge: Uint8Array): Set<string> {
  const { n, edges, outStart, outEdges } = graph;
  const links = new Set<string>();
  for (let i = 0; i < n; i++) {
    for (let j = outStart[i]!; j < outStart[i + 1]!; j++) {
      const e = outEdges[j]!;
      if (criticalEdge[e]) links.add(edges.link[e]!);
    }
  }
  return links;
}

/** Earliest start of a successor of duration `d` allowed by one link. */
export function earliestStart(type: number, pEs: number, pEf: number, lag: number, d: number): number {
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
