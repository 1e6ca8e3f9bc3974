import type { Awareness } from 'y-protocols/awareness';
import { readPresence } from '../../shared/protocol/presence.ts';
import type { CommentThread } from '../../shared/comments/types.ts';
import type { Task } from '../../shared/schema/entities.ts';

/**
 * Who can be @mentioned: the people on the board now (awareness), every task assignee and
 * everyone who commented before. People present come first (the likeliest to be meant).
 * Read on demand (when the @ suggestions open, or a message is sent), never per board change.
 */
export function knownNames(awareness: Awareness, tasks: Iterable<Task>, threads: readonly CommentThread[]): string[] {
  const seen = new Map<string, string>();
  const add = (name: string) => {
    const key = name.trim().toLowerCase();
    if (key && !seen.has(key)) seen.set(key, name.trim());
  };
  awareness.getStates().forEach((state) => {
    const presence = readPresence(state);
    if (presence && presence.user.name !== 'Anonymous') add(presence.user.name);
  });
  for (const task of tasks) task.assignees.forEach(add);
  for (const thread of threads) for (const m of thread.messages) add(m.author);
  return [...seen.values()];
}
