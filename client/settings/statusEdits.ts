import * as Y from 'yjs';
import { rehomeTasks } from '../../shared/doc/boardSettings.ts';
import { readMeta } from '../../shared/doc/read.ts';
import { setBoardSetting, setStatuses } from '../../shared/doc/planOps.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import { uniqueStatusKey } from '../views/kanban/columns.ts';

/**
 * Edits of the board's status list from the Settings dialog. Each reads the live document
 * (not a render's copy, which may be a peer's edit behind) and writes one transaction with
 * the caller's origin, so it is one undo step. Keys never change: tasks keep pointing at
 * their status when it is renamed or moved.
 */

export function renameStatus(doc: Y.Doc, key: string, label: string, origin: unknown): void {
  const next = label.trim();
  const { statuses } = readMeta(doc);
  if (!next || statuses.find((s) => s.key === key)?.label === next) return;
  setStatuses(doc, statuses.map((s) => (s.key === key ? { ...s, label: next } : s)), origin);
}

/** Moves a status one column left (-1) or right (+1). */
export function moveStatus(doc: Y.Doc, key: string, delta: -1 | 1, origin: unknown): void {
  const statuses = [...readMeta(doc).statuses];
  const from = statuses.findIndex((s) => s.key === key);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= statuses.length) return;
  const [moved] = statuses.splice(from, 1);
  statuses.splice(to, 0, moved!);
  setStatuses(doc, statuses, origin);
}

/** Adds a status at the end; its key is made from the label and unique among statuses and tasks' keys. */
export function addStatus(doc: Y.Doc, label: string, origin: unknown): string | null {
  const next = label.trim();
  if (!next) return null;
  const { statuses } = readMeta(doc);
  const taken = new Set(statuses.map((s) => s.key));
  // A key still stored on tasks (a status removed by an older client) is not reused: those
  // tasks would silently join the new column.
  boardMaps(doc).tasks.forEach((task) => {
    const status = task instanceof Y.Map ? task.get('status') : undefined;
    if (typeof status === 'string') taken.add(status);
  });
  const key = uniqueStatusKey(next, taken);
  return setStatuses(doc, [...statuses, { key, label: next }], origin) ? key : null;
}

/** How many tasks carry each status key. */
export function tasksPerStatus(doc: Y.Doc): Map<string, number> {
  const counts = new Map<string, number>();
  boardMaps(doc).tasks.forEach((task) => {
    const status = task instanceof Y.Map ? task.get('status') : undefined;
    if (typeof status === 'string') counts.set(status, (counts.get(status) ?? 0) + 1);
  });
  return counts;
}

/**
 * Removes a status. Its tasks move to the first remaining status (so no task ends up in a
 * column nobody defined), and its WIP limit goes with it; all in one transaction. The last
 * status cannot be removed (a board always has one). Returns the key the tasks moved to.
 */
export function removeStatus(doc: Y.Doc, key: string, origin: unknown): string | null {
  const meta = readMeta(doc);
  const remaining = meta.statuses.filter((s) => s.key !== key);
  if (remaining.length === meta.statuses.length || remaining.length === 0) return null;
  const fallback = remaining[0]!.key;
  doc.transact(() => {
    rehomeTasks(doc, meta.statuses, remaining);
    setStatuses(doc, remaining, origin);
    if (key in meta.wipLimits) {
      const limits = { ...meta.wipLimits };
      delete limits[key];
      setBoardSetting(doc, 'wipLimits', limits, origin);
    }
  }, origin);
  return fallback;
}
