import type { Dependency } from '../schema/entities.ts';

/**
 * The links an export writes, grouped by the task they lead into (its predecessors), shared by
 * the CSV and MS Project exports: links in `ignored` (the scheduler's problems, and for MS
 * Project the links that close a loop) are left out, and so is a second link between the same
 * two tasks (two people linking them at once), which both imports would refuse.
 *
 * @example linksIntoEachTask(deps, plan.problems.map((p) => p.id)).get(taskId) // [dep, …]
 */
export function linksIntoEachTask(deps: Iterable<Dependency>, ignored: Iterable<string>): Map<string, Dependency[]> {
  const skip = new Set(ignored);
  const pairs = new Set<string>();
  const incoming = new Map<string, Dependency[]>();
  for (const dep of deps) {
    const pair = `${dep.from}>${dep.to}`;
    if (skip.has(dep.id) || pairs.has(pair)) continue;
    pairs.add(pair);
    const list = incoming.get(dep.to);
    if (list) list.push(dep);
    else incoming.set(dep.to, [dep]);
  }
  return incoming;
}
