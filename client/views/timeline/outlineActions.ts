import { createTask, deleteEntities } from '../../../shared/doc/ops.ts';
import { placeTask, setParent } from '../../../shared/doc/planOps.ts';
import { keyBetween } from '../../../shared/schema/zorder.ts';
import type { BoardSession } from '../../board/session.ts';
import type { OutlineRow } from '../../plan/planModel.ts';

/**
 * Outline editing from the task grid, as in MS Project: indent (Tab) makes a task a subtask
 * of the one above it, outdent (Shift+Tab) lifts it a level, Alt+Up/Down moves it among its
 * siblings, Insert adds a task below. Each is one document transaction (one undo step).
 */
/** The row's effective parent ('' at the top level, whatever a broken parent field says). */
function parentOf(row: OutlineRow): string {
  return row.ancestors[0] ?? '';
}

export function indentTask(session: BoardSession, rows: readonly OutlineRow[], id: string): boolean {
  const row = rows.find((r) => r.task.id === id);
  if (!row) return false;
  const siblings = rows.filter((r) => parentOf(r) === parentOf(row)).map((r) => r.task);
  const index = siblings.findIndex((t) => t.id === id);
  const newParent = siblings[index - 1];
  if (!newParent) return false;
  const children = rows.filter((r) => parentOf(r) === newParent.id).map((r) => r.task);
  const last = children[children.length - 1];
  return 'ok' in setParent(session.doc, id, newParent.id, { rank: keyBetween(last?.rank || null, null) }, session.localOrigin);
}

export function outdentTask(session: BoardSession, rows: readonly OutlineRow[], id: string): boolean {
  const row = rows.find((r) => r.task.id === id);
  if (!row || row.depth === 0) return false;
  const oldParent = rows.find((r) => r.task.id === parentOf(row));
  if (!oldParent) return false;
  const grand = parentOf(oldParent);
  const auntsAndUncles = rows.filter((r) => parentOf(r) === grand).map((r) => r.task);
  const at = auntsAndUncles.findIndex((t) => t.id === oldParent.task.id);
  const next = auntsAndUncles[at + 1];
  return 'ok' in setParent(session.doc, id, grand, { rank: keyBetween(oldParent.task.rank || null, next?.rank || null) }, session.localOrigin);
}

export function moveAmongSiblings(session: BoardSession, rows: readonly OutlineRow[], id: string, direction: -1 | 1): boolean {
  const row = rows.find((r) => r.task.id === id);
  if (!row) return false;
  const siblings = rows.filter((r) => parentOf(r) === parentOf(row)).map((r) => r.task);
  const at = siblings.findIndex((t) => t.id === id);
  const target = at + direction;
  if (target < 0 || target >= siblings.length) return false;
  const [before, after] = direction < 0 ? [siblings[target - 1], siblings[target]] : [siblings[target], siblings[target + 1]];
  placeTask(session.doc, id, 'rank', before?.rank || null, after?.rank || null, session.localOrigin);
  return true;
}

/** A new task right below `afterId` (same parent), or at the end of the plan. Returns its id. */
export function addTaskBelow(session: BoardSession, rows: readonly OutlineRow[], afterId: string | null, canvasSpot: { x: number; y: number }): string {
  const row = afterId ? rows.find((r) => r.task.id === afterId) : undefined;
  if (!row) return createTask(session.doc, { title: '', ...canvasSpot }, session.localOrigin);
  const siblings = rows.filter((r) => parentOf(r) === parentOf(row)).map((r) => r.task);
  const at = siblings.findIndex((t) => t.id === row.task.id);
  const rank = keyBetween(row.task.rank || null, siblings[at + 1]?.rank || null);
  return createTask(
    session.doc,
    { title: '', parent: parentOf(row), rank, x: row.task.x, y: row.task.y + row.task.h + 24 },
    session.localOrigin,
  );
}

export function deleteTask(session: BoardSession, id: string): void {
  deleteEntities(session.doc, [id], session.localOrigin);
}
