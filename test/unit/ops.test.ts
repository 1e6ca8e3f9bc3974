import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  bringToFront,
  createDependency,
  createNote,
  createTask,
  deleteEntities,
  moveShapes,
  sendToBack,
  setNoteText,
  shapeKind,
  updateShape,
} from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import { compareZ } from '../../shared/schema/zorder.ts';

function drawOrder(doc: Y.Doc): string[] {
  const board = readBoard(doc);
  return [...board.tasks.values(), ...board.notes.values()].sort(compareZ).map((s) => s.id);
}

describe('creating shapes', () => {
  it('creates a task with every field set and on top of the stack', () => {
    const doc = new Y.Doc();
    const a = createTask(doc, { title: 'Kickoff', x: 10, y: 20 });
    const b = createNote(doc, { text: 'idea', x: 5 });
    const board = readBoard(doc);
    expect(board.tasks.get(a)).toMatchObject({ title: 'Kickoff', x: 10, y: 20, w: 240, h: 130 });
    expect(board.notes.get(b)).toMatchObject({ text: 'idea', w: 180 });
    expect(drawOrder(doc)).toEqual([a, b]);
    expect([...boardMaps(doc).tasks.get(a) instanceof Y.Map ? (boardMaps(doc).tasks.get(a) as Y.Map<unknown>).keys() : []].sort()).toEqual(
      ['actualCost', 'assignees', 'boardRank', 'budget', 'color', 'description', 'duration', 'estimate', 'h', 'milestone', 'mode',
        'parent', 'priority', 'progress', 'rank', 'start', 'status', 'title', 'w', 'x', 'y', 'z'],
    );
    expect(boardMaps(doc).notes.get(b)).toBeInstanceOf(Y.Map);
    expect((boardMaps(doc).notes.get(b) as Y.Map<unknown>).get('text')).toBeInstanceOf(Y.Text);
  });

  it('never writes a value the read layer would reject', () => {
    const doc = new Y.Doc();
    const id = createTask(doc, { x: Number.NaN, color: 'blue', start: '2024-99-99', w: 3 });
    const raw = (boardMaps(doc).tasks.get(id) as Y.Map<unknown>).toJSON();
    expect(raw).toMatchObject({ x: 0, color: '#ffffff', start: '', w: 40 });
    expect(readBoard(doc).problems).toEqual([]);
  });
});

describe('editing shapes', () => {
  it('updates only valid known fields and leaves the rest', () => {
    const doc = new Y.Doc();
    const id = createTask(doc, { title: 'A' });
    updateShape(doc, id, { title: 'B', status: 'done', start: 'bad', color: '#FF0000', bogus: 1 } as never);
    expect(readBoard(doc).tasks.get(id)).toMatchObject({ title: 'B', status: 'done', start: '', color: '#ff0000' });
    expect((boardMaps(doc).tasks.get(id) as Y.Map<unknown>).has('bogus')).toBe(false);
  });

  it('moves several shapes in one transaction', () => {
    const doc = new Y.Doc();
    const a = createTask(doc);
    const b = createNote(doc);
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    moveShapes(doc, [{ id: a, x: 100, y: 50 }, { id: b, x: -20, y: 7 }]);
    expect(transactions).toBe(1);
    expect(readBoard(doc).tasks.get(a)).toMatchObject({ x: 100, y: 50 });
    expect(readBoard(doc).notes.get(b)).toMatchObject({ x: -20, y: 7 });
  });

  it('co-edits note text by diff: concurrent typing at both ends survives', () => {
    const a = new Y.Doc();
    const id = createNote(a, { text: 'middle' });
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    setNoteText(a, id, 'start middle');
    setNoteText(b, id, 'middle end');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readBoard(a).notes.get(id)?.text).toBe('start middle end');
    expect(readBoard(b).notes.get(id)?.text).toBe('start middle end');
  });

  it('knows which collection a shape is in', () => {
    const doc = new Y.Doc();
    expect(shapeKind(doc, createTask(doc))).toBe('task');
    expect(shapeKind(doc, createNote(doc))).toBe('note');
    expect(shapeKind(doc, 'nope')).toBeNull();
  });
});

describe('dependencies', () => {
  it('links two tasks and refuses self-links, duplicates and missing tasks', () => {
    const doc = new Y.Doc();
    const a = createTask(doc);
    const b = createTask(doc);
    const note = createNote(doc);
    expect(createDependency(doc, a, b)).toHaveProperty('id');
    expect(createDependency(doc, a, b)).toEqual({ refused: 'duplicate' });
    expect(createDependency(doc, a, a)).toEqual({ refused: 'same-task' });
    expect(createDependency(doc, a, note)).toEqual({ refused: 'missing-task' });
    expect(createDependency(doc, b, a, { type: 'SS' })).toEqual({ refused: 'cycle' });
    expect(readBoard(doc).deps.size).toBe(1);
  });

  it('refuses a link that would close a longer cycle, and one between a summary task and its subtask', () => {
    const doc = new Y.Doc();
    const [a, b, c, summary] = [createTask(doc), createTask(doc), createTask(doc), createTask(doc)];
    updateShape(doc, c, { parent: summary });
    expect(createDependency(doc, a, b)).toHaveProperty('id');
    expect(createDependency(doc, b, summary)).toHaveProperty('id');
    // summary's subtask c follows b, which follows a: c -> a closes a cycle.
    expect(createDependency(doc, c, a)).toEqual({ refused: 'cycle' });
    expect(createDependency(doc, summary, c)).toEqual({ refused: 'summary-and-subtask' });
    expect(createDependency(doc, c, summary)).toEqual({ refused: 'summary-and-subtask' });
  });

  it('deletes a task together with every arrow touching it, in one undoable step', () => {
    const doc = new Y.Doc();
    const origin = {};
    const undo = new Y.UndoManager([boardMaps(doc).tasks, boardMaps(doc).deps, boardMaps(doc).notes], { trackedOrigins: new Set([origin]) });
    const [a, b, c] = [createTask(doc), createTask(doc), createTask(doc)];
    createDependency(doc, a, b);
    createDependency(doc, b, c);
    createDependency(doc, a, c);
    undo.clear();
    deleteEntities(doc, [b], origin);
    expect(readBoard(doc).tasks.size).toBe(2);
    expect(boardMaps(doc).deps.size).toBe(1);
    undo.undo();
    expect(readBoard(doc).tasks.size).toBe(3);
    expect(readBoard(doc).deps.size).toBe(3);
  });

  it('sanitises type and lag', () => {
    const doc = new Y.Doc();
    const [a, b] = [createTask(doc), createTask(doc)];
    createDependency(doc, a, b, { type: 'XY' as never, lag: Number.POSITIVE_INFINITY });
    expect([...readBoard(doc).deps.values()][0]).toMatchObject({ type: 'FS', lag: 0 });
  });
});

describe('stacking order', () => {
  it('brings a group to front and sends it to back keeping its inner order', () => {
    const doc = new Y.Doc();
    const [a, b, c, d] = [createTask(doc), createNote(doc), createTask(doc), createNote(doc)];
    bringToFront(doc, [b, a]);
    expect(drawOrder(doc)).toEqual([c, d, a, b]);
    sendToBack(doc, [d, b]);
    expect(drawOrder(doc)).toEqual([d, b, c, a]);
  });
});

describe('concurrent edits through the CRDT', () => {
  function pair(): [Y.Doc, Y.Doc, () => void] {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const sync = () => {
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
      Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
    };
    return [a, b, sync];
  }

  it('one renames while the other drags: both survive', () => {
    const [a, b, sync] = pair();
    const id = createTask(a, { title: 'Old' });
    sync();
    updateShape(a, id, { title: 'New' });
    moveShapes(b, [{ id, x: 300, y: 400 }]);
    sync();
    expect(readBoard(a).tasks.get(id)).toMatchObject({ title: 'New', x: 300, y: 400 });
    expect(readBoard(b).tasks.get(id)).toEqual(readBoard(a).tasks.get(id));
  });

  it('one deletes a task while the other links to it: the arrow is ignored, nothing throws', () => {
    const [a, b, sync] = pair();
    const x = createTask(a);
    const y = createTask(a);
    sync();
    deleteEntities(a, [x]);
    createDependency(b, x, y);
    sync();
    expect(readBoard(a).deps.size).toBe(0);
    expect(readBoard(b).deps.size).toBe(0);
    expect(readBoard(a).problems.some((p) => p.collection === 'deps')).toBe(true);
  });

  it('concurrent reorders converge to one order', () => {
    const [a, b, sync] = pair();
    const ids = [createTask(a), createTask(a), createTask(a)];
    sync();
    bringToFront(a, [ids[0]!]);
    bringToFront(b, [ids[1]!]);
    sync();
    expect(drawOrder(a)).toEqual(drawOrder(b));
  });
});
