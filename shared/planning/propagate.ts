import { CRITICAL_CHANGED, FREE_CHANGED, backwardLeaf, backwardPass, floatLeaf, forwardLeaf, latestFinishIndex, type CpmState } from './cpm.ts';
import type { LeafGraph } from './leafGraph.ts';

/**
 * Marks per leaf for one incremental re-schedule (bits of a Uint8Array): what the caller saw
 * change, and what the passes below find they must redo or did change.
 */
export const MARK = {
  /** The task's own fields changed: its row is rebuilt whatever else happens. */
  input: 1,
  /** Early dates to recompute (its fields, an incoming link or a predecessor changed). */
  early: 2,
  /** Late dates to recompute (its duration, an outgoing link or a successor changed). */
  late: 4,
  /** Free float and critical-edge flags to recompute. */
  float: 8,
  /** Some figure of its row changed: the row is rebuilt. */
  moved: 16,
} as const;

/** Marks leaf i's predecessors (over every incoming edge, cycle or not: marking more is safe). */
export function markPredecessors(graph: LeafGraph, mark: Uint8Array, i: number, bits: number): void {
  const { inStart, inEdges, edges } = graph;
  for (let k = inStart[i]!; k < inStart[i + 1]!; k++) mark[edges.from[inEdges[k]!]!]! |= bits;
}

/**
 * Brings the CPM numbers up to date after the marked changes, recomputing only what they can
 * move:
 *
 * - early dates in topological order from the marked leaves, a leaf's successors only when its
 *   own dates moved (so the pass dies out where the change does);
 * - late dates: when the project finish moved every late date moves, and all are recomputed
 *   in one linear pass; otherwise in reverse topological order from the marked leaves, a
 *   leaf's predecessors only when its late dates moved;
 * - free floats and critical-edge flags of every leaf whose own or successors' figures moved
 *   (of every leaf when the finish moved).
 *
 * Returns whether every row must be checked (the finish moved) and whether any critical flag
 * changed (the set of critical links must be rebuilt).
 */
export function propagate(graph: LeafGraph, state: CpmState, mark: Uint8Array, criticalEdge: Uint8Array): { everything: boolean; criticalChanged: boolean } {
  const { n, order, outStart, outEdges, edges } = graph;
  for (let pos = 0; pos < order.length; pos++) {
    const i = order[pos]!;
    if (!(mark[i]! & MARK.early) || !forwardLeaf(graph, state, i)) continue;
    mark[i]! |= MARK.moved | MARK.float;
    for (let j = outStart[i]!; j < outStart[i + 1]!; j++) mark[edges.to[outEdges[j]!]!]! |= MARK.early;
    // Predecessors count back from a manual task's dates, and their slack runs to its start.
    markPredecessors(graph, mark, i, MARK.late | MARK.float);
  }

  const finish = latestFinishIndex(state, n);
  let criticalChanged = false;
  if (finish !== state.finishIndex) {
    state.finishIndex = finish;
    backwardPass(graph, state);
    for (let i = 0; i < n; i++) if (floatLeaf(graph, state, i, criticalEdge) & CRITICAL_CHANGED) criticalChanged = true;
    return { everything: true, criticalChanged };
  }

  for (let pos = order.length - 1; pos >= 0; pos--) {
    const i = order[pos]!;
    if (!(mark[i]! & MARK.late) || !backwardLeaf(graph, state, i)) continue;
    mark[i]! |= MARK.moved | MARK.float;
    markPredecessors(graph, mark, i, MARK.late | MARK.float);
  }
  for (let i = 0; i < n; i++) {
    if (!(mark[i]! & MARK.float)) continue;
    const changed = floatLeaf(graph, state, i, criticalEdge);
    if (changed & FREE_CHANGED) mark[i]! |= MARK.moved;
    if (changed & CRITICAL_CHANGED) criticalChanged = true;
  }
  return { everything: false, criticalChanged };
}
