// The scheduler as it was before the rewrite into planGraph/cpm/scheduledTasks (git HEAD of
// shared/planning/hierarchy.ts), kept unchanged as the reference the new kernel must match exactly.
/**
 * The summary-task forest from each task's `parent` field, as peers wrote it: a parent that
 * is missing, the task itself, or part of a loop (two people nesting two tasks into each
 * other at once) is ignored, so every task has a well-defined place. Pure.
 */
export interface Hierarchy {
  /** Effective parent of each task ('' at the top level). */
  parentOf: Map<string, string>;
  /** Children of each summary task, in input order. */
  childrenOf: Map<string, string[]>;
  /** Top-level tasks, in input order. */
  roots: string[];
  /** Tasks whose written parent was ignored, with why. */
  problems: Array<{ id: string; message: string }>;
}

/**
 * @example buildHierarchy([{ id: 'a', parent: '' }, { id: 'b', parent: 'a' }]).childrenOf.get('a') // ['b']
 */
export function buildHierarchy(tasks: ReadonlyArray<{ id: string; parent: string }>): Hierarchy {
  const written = new Map<string, string>();
  for (const t of tasks) written.set(t.id, t.parent);
  const parentOf = new Map<string, string>();
  const problems: Hierarchy['problems'] = [];
  // 0 = unvisited, 1 = on the current walk, 2 = resolved.
  const state = new Map<string, number>();
  for (const t of tasks) {
    if (state.get(t.id) === 2) continue;
    if (t.parent === '' && written.get(t.id) === '') {
      // Top level (and not shadowed by a later duplicate id): nothing to walk.
      parentOf.set(t.id, '');
      state.set(t.id, 2);
      continue;
    }
    const walk: string[] = [];
    let at = t.id;
    while (at !== '' && state.get(at) !== 2) {
      if (state.get(at) === 1) {
        // A loop: cut it at the task where the walk came back round.
        problems.push({ id: at, message: 'parent loop; shown at the top level' });
        parentOf.set(at, '');
        state.set(at, 2);
        break;
      }
      state.set(at, 1);
      walk.push(at);
      const parent = written.get(at) ?? '';
      if (parent !== '' && (parent === at || !written.has(parent))) {
        problems.push({ id: at, message: parent === at ? 'task is its own parent; ignored' : 'parent task is missing; shown at the top level' });
        parentOf.set(at, '');
        state.set(at, 2);
        break;
      }
      at = parent;
    }
    for (const id of walk) {
      if (!parentOf.has(id)) parentOf.set(id, written.get(id) ?? '');
      state.set(id, 2);
    }
  }
  const childrenOf = new Map<string, string[]>();
  const roots: string[] = [];
  for (const t of tasks) {
    const parent = parentOf.get(t.id) ?? '';
    if (parent === '') roots.push(t.id);
    else {
      let list = childrenOf.get(parent);
      if (!list) childrenOf.set(parent, (list = []));
      list.push(t.id);
    }
  }
  return { parentOf, childrenOf, roots, problems };
}

/**
 * A constant-time "is `a` a proper ancestor of `b`" for one hierarchy: numbers every task in
 * one iterative depth-first walk (enter and leave times), so checking each of 20,000 links
 * costs nothing however deep the outline is.
 */
export function ancestorTest(hierarchy: Pick<Hierarchy, 'childrenOf' | 'roots'>): (a: string, b: string) => boolean {
  const enter = new Map<string, number>();
  const leave = new Map<string, number>();
  let clock = 0;
  const stack: Array<{ id: string; next: number }> = [];
  for (const root of hierarchy.roots) {
    stack.push({ id: root, next: 0 });
    enter.set(root, clock++);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const children = hierarchy.childrenOf.get(top.id) ?? [];
      if (top.next < children.length) {
        const child = children[top.next++]!;
        enter.set(child, clock++);
        stack.push({ id: child, next: 0 });
      } else {
        leave.set(top.id, clock++);
        stack.pop();
      }
    }
  }
  return (a, b) => {
    if (a === b) return false;
    const ea = enter.get(a);
    const eb = enter.get(b);
    if (ea === undefined || eb === undefined) return false;
    return ea < eb && leave.get(b)! < leave.get(a)!;
  };
}

/** True when `ancestor` is a proper ancestor of `id` (walks up: for one-off checks). */
export function isAncestor(parentOf: ReadonlyMap<string, string>, ancestor: string, id: string): boolean {
  let at = parentOf.get(id) ?? '';
  for (let guard = 0; at !== '' && guard <= parentOf.size; guard++) {
    if (at === ancestor) return true;
    at = parentOf.get(at) ?? '';
  }
  return false;
}

/** The leaf tasks under `id` (itself when it has no children). */
export function leavesOf(childrenOf: ReadonlyMap<string, readonly string[]>, id: string): string[] {
  const out: string[] = [];
  const stack = [id];
  while (stack.length > 0) {
    const at = stack.pop()!;
    const children = childrenOf.get(at);
    if (!children || children.length === 0) out.push(at);
    else for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

/**
 * Whether linking `from` -> `to` would close a cycle of links. A link on a summary task
 * applies to each of its subtasks, so the check runs over leaf tasks, as the scheduler does.
 */
export function wouldCloseCycle(
  hierarchy: Pick<Hierarchy, 'parentOf' | 'childrenOf'>,
  links: ReadonlyArray<{ from: string; to: string }>,
  from: string,
  to: string,
): boolean {
  const outgoing = new Map<string, string[]>();
  for (const link of links) {
    let list = outgoing.get(link.from);
    if (!list) outgoing.set(link.from, (list = []));
    list.push(link.to);
  }
  const targets = new Set(leavesOf(hierarchy.childrenOf, from));
  const seen = new Set<string>();
  const stack = leavesOf(hierarchy.childrenOf, to);
  while (stack.length > 0) {
    const leaf = stack.pop()!;
    if (targets.has(leaf)) return true;
    if (seen.has(leaf)) continue;
    seen.add(leaf);
    // Links leave this leaf from itself and from every summary above it.
    for (let at = leaf, guard = 0; at !== '' && guard <= hierarchy.parentOf.size + 1; at = hierarchy.parentOf.get(at) ?? '', guard++) {
      for (const next of outgoing.get(at) ?? []) stack.push(...leavesOf(hierarchy.childrenOf, next));
    }
  }
  return false;
}

/**
 * Whether the links form a cycle once links on summary tasks apply to their subtasks (as the
 * scheduler reads them). Iterative depth-first search over leaf tasks; for checking an edit
 * before it is made (re-parenting a task can close a loop without adding a link).
 */
export function hasLinkCycle(hierarchy: Pick<Hierarchy, 'parentOf' | 'childrenOf'>, links: ReadonlyArray<{ from: string; to: string }>): boolean {
  const leafCache = new Map<string, string[]>();
  const leaves = (id: string) => {
    let out = leafCache.get(id);
    if (!out) leafCache.set(id, (out = leavesOf(hierarchy.childrenOf, id)));
    return out;
  };
  const next = new Map<string, Set<string>>();
  for (const link of links) {
    if (!hierarchy.parentOf.has(link.from) || !hierarchy.parentOf.has(link.to) || link.from === link.to) continue;
    if (isAncestor(hierarchy.parentOf, link.from, link.to) || isAncestor(hierarchy.parentOf, link.to, link.from)) continue;
    for (const a of leaves(link.from)) {
      let set = next.get(a);
      if (!set) next.set(a, (set = new Set()));
      for (const b of leaves(link.to)) set.add(b);
    }
  }
  // 1 = on the current path, 2 = done.
  const state = new Map<string, number>();
  for (const start of next.keys()) {
    if (state.has(start)) continue;
    const stack: Array<{ id: string; rest: Iterator<string> }> = [{ id: start, rest: (next.get(start) ?? new Set<string>()).values() }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const step = top.rest.next();
      if (step.done) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const seen = state.get(step.value);
      if (seen === 1) return true;
      if (seen === 2) continue;
      state.set(step.value, 1);
      stack.push({ id: step.value, rest: (next.get(step.value) ?? new Set<string>()).values() });
    }
  }
  return false;
}
