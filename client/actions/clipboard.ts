import { copySelection, parseClipboard, pasteClipboard } from '../../shared/doc/clipboard.ts';
import { deleteEntities } from '../../shared/doc/ops.ts';
import { DEFAULT_NOTE_SIZE, DEFAULT_TASK_SIZE } from '../../shared/schema/entities.ts';
import { snap } from '../canvas/viewport.ts';
import { GRID_SIZE } from '../canvas/store.ts';
import type { ActionContext } from './types.ts';

/**
 * Copy, cut and paste as JSON text (shared/doc/clipboard.ts), so a selection travels
 * through the system clipboard into another board, tab or browser.
 */

/** JSON for the selected shapes, or null when nothing is selected. */
export function copyText(ctx: ActionContext): string | null {
  const ids = selectedShapeIds(ctx);
  if (ids.length === 0) return null;
  return JSON.stringify(copySelection(ctx.doc, ids));
}

/** Copies then deletes the selection (one undo step for the delete). */
export function cutText(ctx: ActionContext): string | null {
  const text = copyText(ctx);
  if (text === null || ctx.readOnly) return text;
  deleteEntities(ctx.doc, ctx.store.getState().selection, ctx.origin);
  ctx.store.getState().select([]);
  return text;
}

/**
 * Pastes Planvas clipboard text centred on `ctx.pastePoint()` and selects the copies.
 * Returns the new ids, or null when the text is not a Planvas payload.
 */
export function pasteText(ctx: ActionContext, text: string): string[] | null {
  if (ctx.readOnly) return null;
  const payload = parseClipboard(text);
  if (!payload) return null;
  const shapes = [
    ...payload.tasks.map((t) => ({ x: t.x, y: t.y, w: num(t.w, DEFAULT_TASK_SIZE.w), h: num(t.h, DEFAULT_TASK_SIZE.h) })),
    ...payload.notes.map((n) => ({ x: n.x, y: n.y, w: num(n.w, DEFAULT_NOTE_SIZE.w), h: num(n.h, DEFAULT_NOTE_SIZE.h) })),
  ];
  if (shapes.length === 0) return [];
  const minX = Math.min(...shapes.map((s) => s.x));
  const minY = Math.min(...shapes.map((s) => s.y));
  const maxX = Math.max(...shapes.map((s) => s.x + s.w));
  const maxY = Math.max(...shapes.map((s) => s.y + s.h));
  const target = ctx.pastePoint();
  let dx = target.x - (minX + maxX) / 2;
  let dy = target.y - (minY + maxY) / 2;
  if (ctx.store.getState().snapToGrid) {
    dx = snap(minX + dx, GRID_SIZE) - minX;
    dy = snap(minY + dy, GRID_SIZE) - minY;
  }
  const ids = pasteClipboard(ctx.doc, payload, dx, dy, ctx.origin);
  ctx.store.getState().select(ids);
  return ids;
}

/** Selected ids that are shapes (not dependencies). */
export function selectedShapeIds(ctx: ActionContext): string[] {
  return [...ctx.store.getState().selection].filter((id) => ctx.model.shape(id) !== undefined);
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
