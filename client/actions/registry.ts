import {
  bringToFront,
  deleteEntities,
  moveShapes,
  sendToBack,
  updateShape,
} from '../../shared/doc/ops.ts';
import { duplicateShapes } from '../../shared/doc/clipboard.ts';
import type { Tool } from '../canvas/store.ts';
import { fitBounds, unionRects, zoomAround, zoomToFitView } from '../canvas/viewport.ts';
import { copyText, cutText, pasteText, selectedShapeIds } from './clipboard.ts';
import { matchesShortcut, type KeyLike } from './shortcuts.ts';
import type { Action, ActionContext } from './types.ts';

/**
 * Every user action on the canvas, as data. The toolbar, the zoom widget, the keyboard and
 * the tests all go through these, so a shortcut and its button can never disagree.
 */
const always = () => true;
const canEdit = (ctx: ActionContext) => !ctx.readOnly;
const hasSelection = (ctx: ActionContext) => ctx.store.getState().selection.size > 0;
const hasShapeSelection = (ctx: ActionContext) => selectedShapeIds(ctx).length > 0;
const ZOOM_STEP = 1.25;

function toolAction(tool: Tool, label: string, key: string, edits: boolean): Action {
  return {
    id: `tool.${tool}`,
    label,
    group: 'tool',
    shortcuts: [key],
    edits,
    enabled: (ctx) => !edits || !ctx.readOnly,
    perform: (ctx) => {
      ctx.store.getState().setTool(tool);
      ctx.store.getState().setEditing(null);
    },
  };
}

function zoomBy(ctx: ActionContext, factor: number): void {
  const { viewport } = ctx.store.getState();
  const size = ctx.stageSize();
  ctx.store.getState().setViewport(zoomAround(viewport, viewport.zoom * factor, { x: size.width / 2, y: size.height / 2 }));
}

function nudge(dir: 'left' | 'right' | 'up' | 'down', big: boolean): Action {
  const step = big ? 10 : 1;
  const { dx, dy } = { left: { dx: -step, dy: 0 }, right: { dx: step, dy: 0 }, up: { dx: 0, dy: -step }, down: { dx: 0, dy: step } }[dir];
  const key = `arrow${dir}`;
  return {
    id: `nudge.${dir}${big ? '.big' : ''}`,
    label: `Nudge ${dir}${big ? ' ×10' : ''}`,
    group: 'nudge',
    shortcuts: [big ? `shift+${key}` : key],
    edits: true,
    enabled: (ctx) => canEdit(ctx) && hasShapeSelection(ctx),
    perform: (ctx) => {
      const moves = selectedShapeIds(ctx).map((id) => {
        const s = ctx.model.shape(id)!;
        return { id, x: s.x + dx, y: s.y + dy };
      });
      moveShapes(ctx.doc, moves, ctx.origin);
    },
  };
}

export const ACTIONS: readonly Action[] = [
  toolAction('select', 'Select', 'v', false),
  toolAction('hand', 'Hand', 'h', false),
  toolAction('task', 'Task', 't', true),
  toolAction('note', 'Sticky note', 'n', true),
  toolAction('dependency', 'Dependency', 'd', true),
  // The laser writes only awareness, never the document: viewers may point too.
  toolAction('laser', 'Laser pointer', 'k', false),
  // Not a document edit as such: viewers may comment when the board allows it (client/comments).
  toolAction('comment', 'Comment', 'c', false),
  {
    id: 'history.undo',
    label: 'Undo',
    group: 'history',
    shortcuts: ['mod+z'],
    edits: true,
    enabled: (ctx) => canEdit(ctx) && ctx.undoManager.canUndo(),
    perform: (ctx) => {
      ctx.undoManager.undo();
    },
  },
  {
    id: 'history.redo',
    label: 'Redo',
    group: 'history',
    shortcuts: ['mod+shift+z', 'mod+y'],
    edits: true,
    enabled: (ctx) => canEdit(ctx) && ctx.undoManager.canRedo(),
    perform: (ctx) => {
      ctx.undoManager.redo();
    },
  },
  {
    id: 'edit.delete',
    label: 'Delete',
    group: 'edit',
    shortcuts: ['delete', 'backspace'],
    edits: true,
    enabled: (ctx) => canEdit(ctx) && hasSelection(ctx),
    perform: (ctx) => {
      deleteEntities(ctx.doc, ctx.store.getState().selection, ctx.origin);
      ctx.store.getState().select([]);
    },
  },
  {
    id: 'edit.duplicate',
    label: 'Duplicate',
    group: 'edit',
    shortcuts: ['mod+d'],
    edits: true,
    enabled: (ctx) => canEdit(ctx) && hasShapeSelection(ctx),
    perform: (ctx) => {
      const ids = duplicateShapes(ctx.doc, selectedShapeIds(ctx), 24, ctx.origin);
      ctx.store.getState().select(ids);
    },
  },
  {
    id: 'edit.copy',
    label: 'Copy',
    group: 'edit',
    shortcuts: ['mod+c'],
    viaClipboardEvent: true,
    edits: false,
    enabled: hasShapeSelection,
    perform: (ctx) => {
      const text = copyText(ctx);
      if (text !== null) void ctx.writeClipboard?.(text);
    },
  },
  {
    id: 'edit.cut',
    label: 'Cut',
    group: 'edit',
    shortcuts: ['mod+x'],
    viaClipboardEvent: true,
    edits: true,
    enabled: (ctx) => canEdit(ctx) && hasShapeSelection(ctx),
    perform: (ctx) => {
      const text = cutText(ctx);
      if (text !== null) void ctx.writeClipboard?.(text);
    },
  },
  {
    id: 'edit.paste',
    label: 'Paste',
    group: 'edit',
    shortcuts: ['mod+v'],
    viaClipboardEvent: true,
    edits: true,
    enabled: canEdit,
    perform: (ctx) => {
      void ctx.readClipboard?.().then((text) => pasteText(ctx, text)).catch(() => undefined);
    },
  },
  {
    id: 'edit.selectAll',
    label: 'Select all',
    group: 'edit',
    shortcuts: ['mod+a'],
    edits: false,
    enabled: always,
    perform: (ctx) => ctx.store.getState().select(ctx.model.allShapeIds()),
  },
  {
    id: 'edit.clearSelection',
    label: 'Clear selection',
    group: 'edit',
    shortcuts: ['escape'],
    edits: false,
    enabled: always,
    perform: (ctx) => {
      ctx.store.getState().select([]);
      ctx.store.getState().setTool('select');
    },
  },
  {
    id: 'edit.text',
    label: 'Edit text',
    group: 'edit',
    shortcuts: ['enter'],
    edits: true,
    enabled: (ctx) => canEdit(ctx) && selectedShapeIds(ctx).length === 1,
    perform: (ctx) => ctx.store.getState().setEditing(selectedShapeIds(ctx)[0] ?? null),
  },
  {
    id: 'arrange.front',
    label: 'Bring to front',
    group: 'arrange',
    shortcuts: [']'],
    edits: true,
    enabled: (ctx) => canEdit(ctx) && hasShapeSelection(ctx),
    perform: (ctx) => bringToFront(ctx.doc, selectedShapeIds(ctx), ctx.origin),
  },
  {
    id: 'arrange.back',
    label: 'Send to back',
    group: 'arrange',
    shortcuts: ['['],
    edits: true,
    enabled: (ctx) => canEdit(ctx) && hasShapeSelection(ctx),
    perform: (ctx) => sendToBack(ctx.doc, selectedShapeIds(ctx), ctx.origin),
  },
  {
    id: 'arrange.snap',
    label: 'Snap to grid',
    group: 'arrange',
    shortcuts: ["mod+'"],
    edits: false,
    enabled: always,
    perform: (ctx) => ctx.store.getState().toggleSnap(),
  },
  {
    id: 'view.zoomIn',
    label: 'Zoom in',
    group: 'view',
    shortcuts: ['=', '+', 'mod+='],
    edits: false,
    enabled: always,
    perform: (ctx) => zoomBy(ctx, ZOOM_STEP),
  },
  {
    id: 'view.zoomOut',
    label: 'Zoom out',
    group: 'view',
    shortcuts: ['-', 'mod+-'],
    edits: false,
    enabled: always,
    perform: (ctx) => zoomBy(ctx, 1 / ZOOM_STEP),
  },
  {
    id: 'view.zoomReset',
    label: 'Zoom to 100%',
    group: 'view',
    shortcuts: ['shift+0'],
    edits: false,
    enabled: always,
    perform: (ctx) => zoomBy(ctx, 1 / ctx.store.getState().viewport.zoom),
  },
  {
    id: 'view.zoomToFit',
    label: 'Zoom to fit',
    group: 'view',
    shortcuts: ['shift+1'],
    edits: false,
    enabled: always,
    perform: (ctx) => {
      const fit = zoomToFitView(ctx.model.bounds(), ctx.stageSize());
      if (fit) ctx.store.getState().setViewport(fit);
      else ctx.store.getState().setViewport({ x: ctx.stageSize().width / 2, y: ctx.stageSize().height / 2, zoom: 1 });
    },
  },
  {
    id: 'view.zoomToSelection',
    label: 'Zoom to selection',
    group: 'view',
    shortcuts: ['shift+2'],
    edits: false,
    enabled: hasShapeSelection,
    perform: (ctx) => {
      const bounds = unionRects(selectedShapeIds(ctx).map((id) => ctx.model.shape(id)!));
      if (bounds) ctx.store.getState().setViewport(fitBounds(bounds, ctx.stageSize(), 64, 2));
    },
  },
  nudge('left', false),
  nudge('right', false),
  nudge('up', false),
  nudge('down', false),
  nudge('left', true),
  nudge('right', true),
  nudge('up', true),
  nudge('down', true),
];

const BY_ID = new Map(ACTIONS.map((a) => [a.id, a]));

export function getAction(id: string): Action {
  const action = BY_ID.get(id);
  if (!action) throw new Error(`unknown action ${id}`);
  return action;
}

/** Runs an action if it is enabled (and allowed on this link); returns whether it ran. */
export function runAction(id: string, ctx: ActionContext): boolean {
  const action = getAction(id);
  if ((action.edits && ctx.readOnly) || !action.enabled(ctx)) return false;
  action.perform(ctx);
  // Each action is its own undo step, however quickly the next one follows.
  if (action.edits) ctx.undoManager.stopCapturing();
  return true;
}

/** The action a keydown triggers, if any (clipboard shortcuts are left to the browser). */
export function actionForKey(e: KeyLike): Action | undefined {
  return ACTIONS.find((a) => !a.viaClipboardEvent && a.shortcuts.some((s) => matchesShortcut(s, e)));
}

/** Recolours the selected shapes in one step (the toolbar's swatches). */
export function recolor(ctx: ActionContext, color: string, kind: 'task' | 'note'): void {
  if (ctx.readOnly) return;
  ctx.doc.transact(() => {
    for (const id of selectedShapeIds(ctx)) if (ctx.model.shape(id)?.kind === kind) updateShape(ctx.doc, id, { color }, ctx.origin);
  }, ctx.origin);
  ctx.undoManager.stopCapturing();
}
