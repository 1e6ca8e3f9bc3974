import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, moveShapes } from '../../../shared/doc/ops.ts';
import { readBoard } from '../../../shared/doc/read.ts';
import { LiveEdit, type FrameScheduler } from './liveEdit.ts';

/** Animation frames run by hand: `frame(t)` runs what was requested, at timestamp t. */
function manualFrames(): FrameScheduler & { frame(now: number): void; pending(): number } {
  let queue = new Map<number, (now: number) => void>();
  let next = 1;
  return {
    request: (cb) => {
      queue.set(next, cb);
      return next++;
    },
    cancel: (handle) => void queue.delete(handle),
    frame: (now) => {
      const run = queue;
      queue = new Map();
      for (const cb of run.values()) cb(now);
    },
    pending: () => queue.size,
  };
}

function setup() {
  const doc = new Y.Doc();
  const origin = { name: 'local' };
  const undo = new Y.UndoManager([doc.getMap('tasks'), doc.getMap('notes'), doc.getMap('deps')], {
    trackedOrigins: new Set([origin]),
    captureTimeout: 400,
  });
  const id = createTask(doc, { x: 0, y: 0 }, origin);
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const frames = manualFrames();
  const live = new LiveEdit<{ x: number; y: number }>((p) => moveShapes(doc, [{ id, ...p }], origin), undo, frames);
  const at = () => readBoard(doc).tasks.get(id)!;
  return { doc, undo, id, updates, frames, live, at };
}

describe('LiveEdit (a drag that peers watch live)', () => {
  it('coalesces pointer moves into one write per frame, about 30 a second', () => {
    const { live, frames, updates, at } = setup();
    live.update({ x: 1, y: 1 });
    live.update({ x: 2, y: 2 });
    expect(updates).toHaveLength(0); // nothing before a frame
    frames.frame(1000);
    expect(updates).toHaveLength(1);
    expect(at()).toMatchObject({ x: 2, y: 2 }); // the latest state wins
    live.update({ x: 3, y: 3 });
    frames.frame(1016.7); // the next 60 Hz frame: too soon, waits
    expect(updates).toHaveLength(1);
    frames.frame(1033.4); // two frames after the last write: written
    expect(updates).toHaveLength(2);
    expect(at()).toMatchObject({ x: 3, y: 3 });
    frames.frame(1050);
    expect(frames.pending()).toBe(0); // idle when nothing changed
    expect(updates).toHaveLength(2);
  });

  it('writes the exact final state on finish, even between frames, and stops', () => {
    const { live, frames, updates, at } = setup();
    live.update({ x: 5, y: 5 });
    frames.frame(0);
    live.update({ x: 9, y: 9 });
    live.finish({ x: 10, y: 12 });
    expect(at()).toMatchObject({ x: 10, y: 12 });
    expect(frames.pending()).toBe(0);
    live.update({ x: 50, y: 50 });
    frames.frame(500);
    expect(at()).toMatchObject({ x: 10, y: 12 });
    expect(updates).toHaveLength(2);
  });

  it('is one undo step however long the gesture lasts and however long the pointer rests', () => {
    const { live, frames, undo, at } = setup();
    const before = undo.undoStack.length;
    let t = 0;
    for (let i = 1; i <= 40; i++) {
      live.update({ x: i * 10, y: i * 5 });
      t += 34;
      frames.frame(t);
      // The user holds still mid-drag, well past captureTimeout. (lib0 reads the real clock,
      // so the rest is simulated by ageing the manager's last change.)
      if (i === 20) undo.lastChange -= 2000;
    }
    live.finish({ x: 400, y: 200 });
    expect(undo.undoStack.length).toBe(before + 1);
    expect(undo.captureTimeout).toBe(400); // restored
    undo.undo();
    expect(at()).toMatchObject({ x: 0, y: 0 });
  });

  it('does not merge the next edit into the gesture', () => {
    const { live, frames, undo, doc, id, at } = setup();
    live.update({ x: 100, y: 0 });
    frames.frame(0);
    live.finish();
    const origin = (undo.trackedOrigins.values().next().value as object);
    moveShapes(doc, [{ id, x: 100, y: 300 }], origin);
    undo.undo();
    expect(at()).toMatchObject({ x: 100, y: 0 });
    undo.undo();
    expect(at()).toMatchObject({ x: 0, y: 0 });
  });

  it('gives the undo manager its own capture window back, even after overlapping gestures', () => {
    const { live, undo, frames, doc, id } = setup();
    const origin = undo.trackedOrigins.values().next().value as object;
    const second = new LiveEdit<number>((x) => moveShapes(doc, [{ id, x, y: 0 }], origin), undo, frames);
    live.finish({ x: 1, y: 1 });
    expect(undo.captureTimeout).toBe(Number.POSITIVE_INFINITY);
    second.finish(5);
    second.finish(6); // finishing twice changes nothing
    expect(undo.captureTimeout).toBe(400);
  });
});
