// The scheduler as it was before the rewrite into planGraph/cpm/scheduledTasks (git HEAD of
// shared/planning/cycles.ts), kept unchanged as the reference the new kernel must match exactly.
import type { LeafEdges } from './schedule.ts';
import type { PlanLinkInput, ScheduleCycle } from '../../../../shared/planning/types.ts';

/**
 * Strongly connected components of the leaf link graph (Tarjan's algorithm, iterative so a
 * 10k-long chain cannot overflow the stack). Every component with more than one task is a
 * cycle: it is reported with its tasks and links, and its internal edges are marked so the
 * scheduler ignores them and still schedules everything.
 */
export function findCycles(
  n: number,
  edges: LeafEdges,
  leafIds: readonly string[],
  links: readonly PlanLinkInput[],
): { cycles: ScheduleCycle[]; inCycleEdge: Uint8Array; inCycleNode: Uint8Array } {
  const m = edges.from.length;
  const outStart = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) outStart[edges.from[e]! + 1]!++;
  for (let i = 0; i < n; i++) outStart[i + 1]! += outStart[i]!;
  const outEdges = new Int32Array(m);
  const fill = outStart.slice(0, n);
  for (let e = 0; e < m; e++) outEdges[fill[edges.from[e]!]!++] = e;

  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  const callNode: number[] = [];
  const callEdge: number[] = [];
  let counter = 0;
  let components = 0;
  const componentSize: number[] = [];

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    callNode.push(root);
    callEdge.push(outStart[root]!);
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (callNode.length > 0) {
      const top = callNode.length - 1;
      const v = callNode[top]!;
      const k = callEdge[top]!;
      if (k < outStart[v + 1]!) {
        callEdge[top] = k + 1;
        const w = edges.to[outEdges[k]!]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          callNode.push(w);
          callEdge.push(outStart[w]!);
        } else if (onStack[w] && index[w]! < low[v]!) {
          low[v] = index[w]!;
        }
        continue;
      }
      callNode.pop();
      callEdge.pop();
      if (callNode.length > 0) {
        const parent = callNode[callNode.length - 1]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
      if (low[v] === index[v]) {
        let size = 0;
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component[w] = components;
          size++;
        } while (w !== v);
        componentSize.push(size);
        components++;
      }
    }
  }

  const inCycleNode = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (componentSize[component[i]!]! > 1) inCycleNode[i] = 1;
  const inCycleEdge = new Uint8Array(m);
  const found = new Map<number, { tasks: Set<string>; dependencies: Set<string> }>();
  // Only needed when there is a cycle: built on first use.
  let linkById: Map<string, PlanLinkInput> | undefined;
  for (let e = 0; e < m; e++) {
    const c = component[edges.from[e]!]!;
    if (c !== component[edges.to[e]!] || componentSize[c]! < 2) continue;
    inCycleEdge[e] = 1;
    let cycle = found.get(c);
    if (!cycle) found.set(c, (cycle = { tasks: new Set(), dependencies: new Set() }));
    cycle.tasks.add(leafIds[edges.from[e]!]!);
    cycle.tasks.add(leafIds[edges.to[e]!]!);
    linkById ??= new Map(links.map((l) => [l.id, l]));
    const link = linkById.get(edges.link[e]!);
    if (link) {
      cycle.dependencies.add(link.id);
      // A link made on a summary task is part of the cycle through its subtasks: name it too.
      cycle.tasks.add(link.from);
      cycle.tasks.add(link.to);
    }
  }
  const cycles = [...found.values()].map((c) => ({ tasks: [...c.tasks].sort(), dependencies: [...c.dependencies].sort() }));
  return { cycles, inCycleEdge, inCycleNode };
}
