import { compareRank } from '../schema/zorder.ts';
import { buildHierarchy } from './hierarchy.ts';

export interface OutlineEntry {
  id: string;
  /** 0 at the top level. */
  depth: number;
  /** Effective parent ('' at the top level; a missing or looping parent counts as top level). */
  parent: string;
}

/**
 * The plan outline: depth first, siblings by `rank` then id, the order the timeline grid
 * shows and the CSV export numbers. Pure.
 *
 * @example planOutline([{ id: 'b', parent: '', rank: 'a1' }, { id: 'a', parent: '', rank: 'a0' }]).map((e) => e.id) // ['a', 'b']
 */
export function planOutline(tasks: Iterable<{ id: string; parent: string; rank: string }>): OutlineEntry[] {
  const list = [...tasks];
  const rankOf = new Map(list.map((t) => [t.id, t.rank]));
  const hierarchy = buildHierarchy(list);
  const byRank = (a: string, b: string) => compareRank(rankOf.get(a) ?? '', a, rankOf.get(b) ?? '', b);
  const out: OutlineEntry[] = [];
  // Iterative, so a 10k-deep chain of subtasks cannot overflow the stack.
  const stack: Array<{ id: string; depth: number; parent: string }> = [];
  const push = (ids: readonly string[], depth: number, parent: string) => {
    const sorted = [...ids].sort(byRank);
    for (let i = sorted.length - 1; i >= 0; i--) stack.push({ id: sorted[i]!, depth, parent });
  };
  push(hierarchy.roots, 0, '');
  while (stack.length > 0) {
    const entry = stack.pop()!;
    out.push(entry);
    push(hierarchy.childrenOf.get(entry.id) ?? [], entry.depth + 1, entry.id);
  }
  return out;
}
