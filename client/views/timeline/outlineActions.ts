import type * as Y from 'yjs';
import { createTask, deleteEntities } from '../../../shared/doc/ops.ts';
import { ensureRanked, placeTask, setParent } from '../../../shared/doc/planOps.ts';
import { boardMaps, entityMap } from '../../../shared/doc/structure.ts';
import { isValidZ, keyBetween } from '../../../shared/schema/zorder.ts';
import type { BoardSession } from '../../board/session.ts';
import type { OutlineRow } from '../../plan/planModel.ts';

/**
 * Outline editing from the task grid, as in MS Project: indent (Tab) makes a task a subtask
 * of the one above it, outdent (Shift+Tab) lifts it a level, Alt+Up/Down moves it among its
 * siblings, Insert adds a task below. Each is one document transaction (one undo step).
 * Siblings without a rank (written by an older or foreign client) are ranked first, in the
 * order shown, so the task lands exactly where the user put it.
 */

/** The row's effective parent ('' at the top level, whatever a broken parent field says). */
function parentOf(row: OutlineRow): string {
  return row.parentId;
}

function siblingIds(rows: readonly OutlineRow[], parent: string): string[] {
  return rows.filter((r) => parentOf(r) === parent).map((r) => r.task.id);
}

/** The task's rank as stored now (after ensureRanked), or null. */
function rankOf(doc: Y.Doc, id: string | undefined): string | null {
  if (!id) return null;
  const rank = entityMap(boardMaps(doc).tasks, id)?.get('rank');
  return isValidZ(rank) ? rank : null;
}

function inOneStep<T>(session: BoardSession, fn: () => T): T {
  let out!: T;
  session.doc.transact(() => {
    out = fn();
  }, session.localOrigin);
  return out;
}

export function indentTask(session: BoardSession, rows: readonly OutlineRow[], id: string): boolean {
  const row = rows.find((r) => r.task.id === id);
  if (!row) return false;
  const siblings = siblingIds(rows, parentOf(row));
  const newParent = siblings[siblings.indexOf(id) - 1];
  if (!newParent) return false;
  return inOneStep(session, () => {
    const children = siblingIds(rows, newParent);
    ensureRanked(session.doc, children, session.localOrigin);
    const rank = keyBetween(rankOf(session.doc, children[children.length - 1]), null);
    return 'ok' in setParent(session.doc, id, newParent, { rank }, session.localOrigin);
  });
}

export function outdentTask(session: BoardSession, rows: readonly OutlineRow[], id: string): boolean {
  const row = rows.find((r) => r.task.id === id);
  if (!row || row.depth === 0) return false;
  const oldParent = rows.find((r) => r.task.id === parentOf(row));
  if (!oldParent) return false;
  return inOneStep(session, () => {
    const aunts = siblingIds(rows, parentOf(oldParent));
    ensureRanked(session.doc, aunts, session.localOrigin);
    const next = aunts[aunts.indexOf(oldParent.task.id) + 1];
    const rank = keyBetween(rankOf(session.doc, oldParent.task.id), rankOf(session.doc, next));
    return 'ok' in setParent(session.doc, id, parentOf(oldParent), { rank }, session.localOrigin);
  });
}

export function moveAmongSiblings(session: BoardSession, rows: readonly OutlineRow[], id: string, direction: -1 | 1): boolean {
  const row = rows.find((r) => r.task.id === id);
  if (!row) return false;
  const siblings = siblingIds(rows, parentOf(row));
  const target = siblings.indexOf(id) + direction;
  if (target < 0 || target >= siblings.length) return false;
  inOneStep(session, () => {
    ensureRanked(session.doc, siblings, session.localOrigin);
    const [before, after] = direction < 0 ? [siblings[target - 1], siblings[target]] : [siblings[target], siblings[target + 1]];
    placeTask(session.doc, id, 'rank', rankOf(session.doc, before), rankOf(session.doc, after), session.localOrigin);
  });
  return true;
}

/** A new task right below `afterId` (same parent), or at the end of the plan. Returns its id. */
export function addTaskBelow(session: BoardSession, rows: readonly OutlineRow[], afterId: string | null, canvasSpot: { x: number; y: number }): string {
  const row = afterId ? rows.find((r) => r.task.id === afterId) : undefined;
  if (!row) return createTask(session.doc, { title: '', ...canvasSpot }, session.localOrigin);
  return inOneStep(session, () => {
    const siblings = siblingIds(rows, parentOf(row));
    ensureRanked(session.doc, siblings, session.localOrigin);
    const rank = keyBetween(rankOf(session.doc, row.task.id), rankOf(session.doc, siblings[siblings.indexOf(row.task.id) + 1]));
    return createTask(session.doc, { title: '', parent: parentOf(row), rank, ...canvasSpot }, session.localOrigin);
  });
}

export function deleteTask(session: BoardSession, id: string): void {
  deleteEntities(session.doc, [id], session.localOrigin);
}
