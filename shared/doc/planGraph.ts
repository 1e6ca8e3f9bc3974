import * as Y from 'yjs';
import { buildHierarchy, wouldCloseCycle as wouldCloseCycleIn, type Hierarchy } from '../planning/hierarchy.ts';
import { boardMaps } from './structure.ts';

/** The raw parent and link structure of a document, for the ops' link checks. */
export interface PlanGraph extends Pick<Hierarchy, 'parentOf' | 'childrenOf'> {
  links: Array<{ from: string; to: string }>;
}

export function planGraph(doc: Y.Doc): PlanGraph {
  const { tasks, deps } = boardMaps(doc);
  const entries: Array<{ id: string; parent: string }> = [];
  tasks.forEach((value, id) => {
    if (!(value instanceof Y.Map)) return;
    const parent = value.get('parent');
    entries.push({ id, parent: typeof parent === 'string' ? parent : '' });
  });
  const hierarchy = buildHierarchy(entries);
  const links: PlanGraph['links'] = [];
  deps.forEach((value) => {
    if (!(value instanceof Y.Map)) return;
    const from = value.get('from');
    const to = value.get('to');
    if (typeof from === 'string' && typeof to === 'string' && hierarchy.parentOf.has(from) && hierarchy.parentOf.has(to)) links.push({ from, to });
  });
  return { parentOf: hierarchy.parentOf, childrenOf: hierarchy.childrenOf, links };
}

export { isAncestor } from '../planning/hierarchy.ts';

/** Whether a link from -> to would close a cycle in `graph`. */
export function wouldCloseCycle(graph: PlanGraph, from: string, to: string): boolean {
  return wouldCloseCycleIn(graph, graph.links, from, to);
}
