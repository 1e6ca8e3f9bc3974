import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDependency, createNote, createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { DEFAULT_TASK_SIZE } from '../../shared/schema/entities.ts';
import { BoardModel } from '../canvas/boardModel.ts';
import { createCanvasStore } from '../canvas/store.ts';
import { copyText, pasteText } from './clipboard.ts';
import { ACTIONS, actionForKey, getAction, recolor, runAction } from './registry.ts';
import { formatShortcut, matchesShortcut } from './shortcuts.ts';
import type { ActionContext } from './types.ts';

function setup(readOnly = false) {
  const doc = new Y.Doc();
  const origin = {};
  const undoManager = new Y.UndoManager([doc.getMap('tasks'), doc.getMap('notes'), doc.getMap('deps')], {
    trackedOrigins: new Set([origin]),
  });
  const store = createCanvasStore();
  const model = new BoardModel(doc);
  model.start();
  const ctx: ActionContext = {
    doc,
    origin,
    undoManager,
    readOnly,
    store,
    model,
    stageSize: () => ({ width: 1000, height: 800 }),
    pastePoint: () => ({ x: 1000, y: 1000 }),
  };
  return { doc, origin, undoManager, store, model, ctx };
}

const key = (k: string, code: string, mods: Partial<{ ctrl: boolean; shift: boolean; meta: boolean; alt: boolean }> = {}) => ({
  key: k,
  code,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  shiftKey: !!mods.shift,
  altKey: !!mods.alt,
});

describe('action registry', () => {
  it('has unique ids and every toolbar tool has a shortcut', () => {
    expect(new Set(ACTIONS.map((a) => a.id)).size).toBe(ACTIONS.length);
    for (const tool of ['select', 'hand', 'task', 'note', 'dependency']) expect(getAction(`tool.${tool}`).shortcuts.length).toBe(1);
  });

  it('maps the usual whiteboard keys to actions', () => {
    expect(actionForKey(key('v', 'KeyV'))?.id).toBe('tool.select');
    expect(actionForKey(key('t', 'KeyT'))?.id).toBe('tool.task');
    expect(actionForKey(key('z', 'KeyZ', { ctrl: true }))?.id).toBe('history.undo');
    expect(actionForKey(key('z', 'KeyZ', { meta: true }))?.id).toBe('history.undo');
    expect(actionForKey(key('Z', 'KeyZ', { ctrl: true, shift: true }))?.id).toBe('history.redo');
    expect(actionForKey(key('y', 'KeyY', { ctrl: true }))?.id).toBe('history.redo');
    expect(actionForKey(key('!', 'Digit1', { shift: true }))?.id).toBe('view.zoomToFit');
    expect(actionForKey(key('@', 'Digit2', { shift: true }))?.id).toBe('view.zoomToSelection');
    expect(actionForKey(key('Backspace', 'Backspace'))?.id).toBe('edit.delete');
    expect(actionForKey(key(']', 'BracketRight'))?.id).toBe('arrange.front');
    expect(actionForKey(key('ArrowLeft', 'ArrowLeft', { shift: true }))?.id).toBe('nudge.left.big');
    expect(actionForKey(key('+', 'Equal', { shift: true }))?.id).toBe('view.zoomIn');
    // Clipboard keys are left to the browser's copy/cut/paste events.
    expect(actionForKey(key('c', 'KeyC', { ctrl: true }))).toBeUndefined();
    expect(actionForKey(key('v', 'KeyV', { ctrl: true }))).toBeUndefined();
  });

  it('formats shortcuts for tooltips', () => {
    expect(formatShortcut('mod+shift+z', false)).toBe('Ctrl+Shift+Z');
    expect(formatShortcut('mod+shift+z', true)).toBe('⌘⇧Z');
    expect(matchesShortcut('shift+1', key('1', 'Digit1'))).toBe(false);
  });

  it('delete removes the selection and the arrows of deleted tasks; undo restores them', () => {
    const { doc, origin, store, ctx } = setup();
    const a = createTask(doc, {}, origin);
    const b = createTask(doc, { x: 400 }, origin);
    createDependency(doc, a, b, {}, origin);
    ctx.undoManager.stopCapturing();
    store.getState().select([a]);
    expect(runAction('edit.delete', ctx)).toBe(true);
    let board = readBoard(doc);
    expect(board.tasks.size).toBe(1);
    expect(board.deps.size).toBe(0);
    expect(store.getState().selection.size).toBe(0);
    runAction('history.undo', ctx);
    board = readBoard(doc);
    expect(board.tasks.size).toBe(2);
    expect(board.deps.size).toBe(1);
  });

  it('undo touches only local edits, never a remote peer', () => {
    const { doc, origin, ctx } = setup();
    createTask(doc, { title: 'mine' }, origin);
    createTask(doc, { title: 'theirs' }, 'remote');
    runAction('history.undo', ctx);
    expect([...readBoard(doc).tasks.values()].map((t) => t.title)).toEqual(['theirs']);
  });

  it('duplicate selects the copies; select all; escape clears', () => {
    const { doc, origin, store, ctx } = setup();
    const a = createTask(doc, { x: 10, y: 10 }, origin);
    store.getState().select([a]);
    runAction('edit.duplicate', ctx);
    const [copy] = [...store.getState().selection];
    expect(copy).not.toBe(a);
    expect(readBoard(doc).tasks.get(copy!)?.x).toBe(34);
    runAction('edit.selectAll', ctx);
    expect(store.getState().selection.size).toBe(2);
    runAction('edit.clearSelection', ctx);
    expect(store.getState().selection.size).toBe(0);
  });

  it('nudges by 1 and by 10 with Shift, as one step each', () => {
    const { doc, origin, store, ctx } = setup();
    const n = createNote(doc, { x: 0, y: 0 }, origin);
    store.getState().select([n]);
    runAction('nudge.right', ctx);
    runAction('nudge.down.big', ctx);
    expect(readBoard(doc).notes.get(n)).toMatchObject({ x: 1, y: 10 });
    runAction('history.undo', ctx);
    expect(readBoard(doc).notes.get(n)).toMatchObject({ x: 1, y: 0 });
  });

  it('copy + paste lands centred on the paste point (also into another document) and selects the copies', () => {
    const src = setup();
    const a = createTask(src.doc, { title: 'A', x: 0, y: 0, w: 200, h: 100 }, src.origin);
    const b = createTask(src.doc, { title: 'B', x: 300, y: 0, w: 200, h: 100 }, src.origin);
    createDependency(src.doc, a, b, {}, src.origin);
    src.store.getState().select([a, b]);
    const text = copyText(src.ctx)!;
    const dst = setup();
    const ids = pasteText(dst.ctx, text)!;
    expect(ids).toHaveLength(2);
    const board = readBoard(dst.doc);
    expect(board.deps.size).toBe(1);
    expect([...board.tasks.values()].map((t) => t.x).sort((p, q) => p - q)).toEqual([750, 1050]);
    expect([...dst.store.getState().selection].sort()).toEqual([...ids].sort());
    expect(pasteText(dst.ctx, 'just some text')).toBeNull();
  });

  it('bring to front / send to back reorder z', () => {
    const { doc, origin, store, ctx } = setup();
    const a = createTask(doc, {}, origin);
    const b = createTask(doc, {}, origin);
    store.getState().select([a]);
    runAction('arrange.front', ctx);
    let board = readBoard(doc);
    expect(board.tasks.get(a)!.z > board.tasks.get(b)!.z).toBe(true);
    runAction('arrange.back', ctx);
    board = readBoard(doc);
    expect(board.tasks.get(a)!.z < board.tasks.get(b)!.z).toBe(true);
  });

  it('recolours only shapes of the palette kind', () => {
    const { doc, origin, store, ctx } = setup();
    const t = createTask(doc, {}, origin);
    const n = createNote(doc, {}, origin);
    store.getState().select([t, n]);
    recolor(ctx, '#e8f5e9', 'task');
    const board = readBoard(doc);
    expect(board.tasks.get(t)!.color).toBe('#e8f5e9');
    expect(board.notes.get(n)!.color).toBe('#fff59d');
  });

  it('zoom actions: in/out around the centre, reset, fit, selection', () => {
    const { doc, origin, store, ctx } = setup();
    runAction('view.zoomIn', ctx);
    expect(store.getState().viewport.zoom).toBeCloseTo(1.25);
    runAction('view.zoomReset', ctx);
    expect(store.getState().viewport.zoom).toBeCloseTo(1);
    const a = createTask(doc, { x: 5000, y: 5000 }, origin);
    runAction('view.zoomToFit', ctx);
    const vp = store.getState().viewport;
    // the task's centre is at the centre of the 1000x800 stage
    const centre = { x: 5000 + DEFAULT_TASK_SIZE.w / 2, y: 5000 + DEFAULT_TASK_SIZE.h / 2 };
    expect(centre.x * vp.zoom + vp.x).toBeCloseTo(500);
    expect(centre.y * vp.zoom + vp.y).toBeCloseTo(400);
    expect(runAction('view.zoomToSelection', ctx)).toBe(false);
    store.getState().select([a]);
    expect(runAction('view.zoomToSelection', ctx)).toBe(true);
  });

  it('a view-only link runs no editing action but can still look around', () => {
    const { doc, store, ctx } = setup(true);
    const a = createTask(doc, {}, 'remote');
    store.getState().select([a]);
    expect(runAction('edit.delete', ctx)).toBe(false);
    expect(runAction('edit.duplicate', ctx)).toBe(false);
    expect(runAction('tool.task', ctx)).toBe(false);
    expect(pasteText(ctx, '{}')).toBeNull();
    expect(readBoard(doc).tasks.size).toBe(1);
    expect(runAction('tool.hand', ctx)).toBe(true);
    expect(runAction('view.zoomIn', ctx)).toBe(true);
    expect(runAction('edit.selectAll', ctx)).toBe(true);
  });
});
