import { useEffect, useMemo, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { readPresence } from '../../shared/protocol/presence.ts';
import type { CommentThread } from '../../shared/comments/types.ts';
import type { Task } from '../../shared/schema/entities.ts';

function presentNames(awareness: Awareness): string[] {
  const names: string[] = [];
  awareness.getStates().forEach((state) => {
    const presence = readPresence(state);
    if (presence && presence.user.name !== 'Anonymous') names.push(presence.user.name);
  });
  return names;
}

/**
 * Who can be @mentioned: the people on the board now (awareness), every task assignee and
 * everyone who commented before. People present come first (the likeliest to be meant).
 */
export function useKnownNames(
  awareness: Awareness,
  tasks: ReadonlyMap<string, Task>,
  /** Bumped when tasks change (the map itself is updated in place). */
  tasksVersion: number,
  threads: readonly CommentThread[],
): string[] {
  const [present, setPresent] = useState<string[]>(() => presentNames(awareness));
  useEffect(() => {
    const update = () =>
      setPresent((prev) => {
        const next = presentNames(awareness);
        return prev.length === next.length && prev.every((n, i) => n === next[i]) ? prev : next;
      });
    awareness.on('change', update);
    update();
    return () => awareness.off('change', update);
  }, [awareness]);
  return useMemo(() => {
    const seen = new Map<string, string>();
    const add = (name: string) => {
      const key = name.trim().toLowerCase();
      if (key && !seen.has(key)) seen.set(key, name.trim());
    };
    present.forEach(add);
    for (const task of tasks.values()) task.assignees.forEach(add);
    for (const thread of threads) for (const m of thread.messages) add(m.author);
    return [...seen.values()];
    // tasksVersion stands for the contents of `tasks`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [present, tasks, tasksVersion, threads]);
}
