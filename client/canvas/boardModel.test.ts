import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDependency, createNote, createTask, deleteEntities, setNoteText, updateShape } from '../../shared/doc/ops.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import { BoardModel } from './boardModel.ts';

describe('BoardModel (incremental read of the document)', () => {
  it('reads the board, then follows changes entity by entity', () => {
    const doc = new Y.Doc();
    const a = createTask(doc, { title: 'A', x: 0, y: 0 });
    const b = createTask(doc, { title: 'B', x: 400, y: 0 });
    const model = new BoardModel(doc);
    model.start();
    expect(model.tasks.get(a)?.title).toBe('A');
    const before = model.tasks.get(b);

    updateShape(doc, a, { x: 1000 });
    expect(model.tasks.get(a)?.x).toBe(1000);
    expect(model.tasks.get(b)).toBe(before); // untouched entity keeps its identity
    expect(model.index.at(1010, 10)).toEqual([a]);
    expect(model.index.at(10, 10)).toEqual([]);
    model.stop();
  });

  it('follows note text (Y.Text) edits, deletions and arrows', () => {
    const doc = new Y.Doc();
    const model = new BoardModel(doc);
    model.start();
    const n = createNote(doc, { text: 'hello' });
    setNoteText(doc, n, 'hello world');
    expect(model.notes.get(n)?.text).toBe('hello world');
    const a = createTask(doc, {});
    const b = createTask(doc, { x: 500 });
    const link = createDependency(doc, a, b);
    expect('id' in link).toBe(true);
    expect(model.liveDeps()).toHaveLength(1);
    expect(model.depsOf(a)).toHaveLength(1);
    deleteEntities(doc, [a]);
    expect(model.tasks.has(a)).toBe(false);
    expect(model.liveDeps()).toHaveLength(0);
    expect(model.index.size).toBe(2);
    model.stop();
  });

  it('never draws a dependency whose task is gone or a foreign garbage entry', () => {
    const doc = new Y.Doc();
    const model = new BoardModel(doc);
    model.start();
    const a = createTask(doc, {});
    doc.transact(() => {
      const dep = new Y.Map<unknown>();
      dep.set('from', a);
      dep.set('to', 'missing');
      boardMaps(doc).deps.set('dangling', dep);
      boardMaps(doc).tasks.set('garbage', 42 as unknown as Y.Map<unknown>);
    });
    expect(model.liveDeps()).toEqual([]);
    expect(model.tasks.has('garbage')).toBe(false);
    model.stop();
  });

  it('notifies subscribers once per transaction', () => {
    const doc = new Y.Doc();
    const model = new BoardModel(doc);
    model.start();
    let calls = 0;
    model.subscribe(() => calls++);
    doc.transact(() => {
      createTask(doc, {});
      createTask(doc, {});
    });
    expect(calls).toBe(1);
    model.stop();
  });
});
