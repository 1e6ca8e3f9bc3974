import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDependency, createNote, createTask, deleteEntities, setNoteText, updateShape } from '../../shared/doc/ops.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import { compareZ } from '../../shared/schema/zorder.ts';
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

  it('returns many shapes in the same draw order as sorting them, across moves, z changes and deletions', () => {
    const doc = new Y.Doc();
    const ids: string[] = [];
    // Created in an order unrelated to their places, z keys shuffled: a sort is needed.
    const setZ = (id: string, z: string) => (boardMaps(doc).tasks.get(id) as Y.Map<unknown>).set('z', z);
    for (let i = 0; i < 400; i++) ids.push(createTask(doc, { x: (i * 37) % 2000, y: (i * 53) % 1500 }));
    ids.forEach((id, i) => setZ(id, `a${(i * 7919) % 1000}1`)); // valid keys: no trailing 0
    const model = new BoardModel(doc);
    model.start();
    const all = { x: -1000, y: -1000, w: 5000, h: 5000 };
    const sorted = () => [...model.tasks.values()].sort(compareZ).map((s) => s.id);
    expect(model.shapesIn(all).map((s) => s.id)).toEqual(sorted());
    updateShape(doc, ids[3]!, { x: 1234 });
    expect(model.shapesIn(all).map((s) => s.id)).toEqual(sorted());
    setZ(ids[5]!, 'a0');
    setZ(ids[9]!, 'b00');
    expect(model.shapesIn(all).map((s) => s.id)).toEqual(sorted());
    expect(model.shapesIn(all).at(-1)?.id).toBe(ids[9]);
    deleteEntities(doc, [ids[9]!]);
    const n = createNote(doc, { x: 10, y: 10 });
    const got = model.shapesIn(all).map((s) => s.id);
    expect(got).toEqual([...model.tasks.values(), ...model.notes.values()].sort(compareZ).map((s) => s.id));
    expect(got).toContain(n);
    model.stop();
  });
});
