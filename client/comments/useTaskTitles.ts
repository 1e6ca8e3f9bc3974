import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { boardModelFor, retainBoardModel } from '../canvas/useBoardModel.ts';

/**
 * The titles of just these tasks (undefined for a missing task), following the board. Re-renders
 * only when one of those titles changes or a task appears or goes — not when tasks are moved.
 */
export function useTaskTitles(doc: Y.Doc, taskIds: readonly string[]): (taskId: string) => string | undefined {
  const model = boardModelFor(doc);
  useEffect(() => retainBoardModel(doc), [doc]);
  const idsKey = taskIds.join('\n');
  // A string snapshot: equal titles compare equal, so a moved task does not re-render.
  const read = useCallback(
    () => JSON.stringify(idsKey ? idsKey.split('\n').map((id) => model.tasks.get(id)?.title ?? null) : []),
    [model, idsKey],
  );
  const snapshot = useSyncExternalStore(model.subscribe, read);
  return useMemo(() => {
    const titles = JSON.parse(snapshot) as (string | null)[];
    const byId = new Map<string, string | undefined>();
    (idsKey ? idsKey.split('\n') : []).forEach((id, i) => byId.set(id, titles[i] ?? undefined));
    return (taskId: string) => byId.get(taskId);
  }, [snapshot, idsKey]);
}
