import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { copySelection, duplicateShapes, parseClipboard, pasteClipboard } from '../../shared/doc/clipboard.ts';
import { createDependency, createNote, createTask, sendToBack } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';

describe('copy and paste', () => {
  it('pastes into another board with fresh ids, offset, and the links between copied tasks', () => {
    const source = new Y.Doc();
    const a = createTask(source, { title: 'A', x: 0, y: 0, status: 'done' });
    const b = createTask(source, { title: 'B', x: 300, y: 0 });
    const c = createTask(source, { title: 'C (not copied)', x: 600 });
    createNote(source, { text: 'left behind' });
    const n = createNote(source, { text: 'copied', x: 50, y: 200 });
    createDependency(source, a, b);
    createDependency(source, b, c);

    const text = JSON.stringify(copySelection(source, [a, b, n]));
    const payload = parseClipboard(text);
    expect(payload).not.toBeNull();

    const target = new Y.Doc();
    const created = pasteClipboard(target, payload!, 10, 20);
    const board = readBoard(target);
    expect(created).toHaveLength(3);
    expect([...board.tasks.values()].map((t) => [t.title, t.x, t.y, t.status])).toEqual([
      ['A', 10, 20, 'done'],
      ['B', 310, 20, ''],
    ]);
    expect([...board.notes.values()].map((x) => x.text)).toEqual(['copied']);
    expect(board.deps.size).toBe(1);
    expect(created.some((id) => id === a || id === b)).toBe(false);
  });

  it('duplicates in place with an offset', () => {
    const doc = new Y.Doc();
    const a = createTask(doc, { title: 'A', x: 100, y: 100 });
    const [copy] = duplicateShapes(doc, [a]);
    expect(readBoard(doc).tasks.get(copy!)).toMatchObject({ title: 'A', x: 124, y: 124 });
  });

  it('copies planner fields, keeps subtasks under their (copied or original) summary, and ranks copies last', () => {
    const doc = new Y.Doc();
    const summary = createTask(doc, { title: 'Phase' });
    const child = createTask(doc, { title: 'Step', parent: summary, duration: 4, assignees: ['Ada'], description: 'how', budget: 10 });
    const other = createTask(doc, { title: 'Other' });
    const [childCopy] = duplicateShapes(doc, [child]);
    const board = readBoard(doc);
    expect(board.tasks.get(childCopy!)).toMatchObject({ title: 'Step', parent: summary, duration: 4, assignees: ['Ada'], description: 'how', budget: 10 });
    expect(board.tasks.get(childCopy!)!.rank > board.tasks.get(other)!.rank).toBe(true);

    const copies = duplicateShapes(doc, [summary, child]);
    const after = readBoard(doc);
    const [summaryCopy, stepCopy] = copies.map((id) => after.tasks.get(id)!);
    expect(stepCopy!.parent).toBe(summaryCopy!.id);

    const elsewhere = new Y.Doc();
    const [pasted] = pasteClipboard(elsewhere, copySelection(doc, [child]), 0, 0);
    expect(readBoard(elsewhere).tasks.get(pasted!)!.parent).toBe('');
  });

  it.each([
    ['plain text', 'hello'],
    ['broken JSON', '{"format":"planvas/clipboard",'],
    ['wrong shape', JSON.stringify({ format: 'planvas/clipboard', version: 1, tasks: 'x', notes: [], deps: [] })],
    ['other format', JSON.stringify({ format: 'other', version: 1, tasks: [], notes: [], deps: [] })],
  ])('ignores %s', (_name, text) => {
    expect(parseClipboard(text)).toBeNull();
  });

  it('sanitises hostile values in a pasted payload', () => {
    const payload = parseClipboard(
      JSON.stringify({
        format: 'planvas/clipboard',
        version: 1,
        tasks: [{ id: 'x', x: 1, y: 2, title: 5, color: 'javascript:alert(1)', w: -5 }],
        notes: [{ id: 'n', x: 0, y: 0, text: { evil: true } }],
        deps: [{ from: 'x', to: 'x', type: 'FS', lag: 0 }],
      }),
    );
    const doc = new Y.Doc();
    pasteClipboard(doc, payload!, 0, 0);
    const board = readBoard(doc);
    expect([...board.tasks.values()][0]).toMatchObject({ title: '', color: '#ffffff', w: 40 });
    expect([...board.notes.values()][0]?.text).toBe('');
    expect(board.deps.size).toBe(0);
    expect(board.problems).toEqual([]);
  });
});

describe('pasting keeps the stacking order', () => {
  it('a note sent behind a task is still behind it in the other board', () => {
    const source = new Y.Doc();
    const task = createTask(source, { title: 'front' });
    const note = createNote(source, { text: 'back' });
    sendToBack(source, [note]);
    const target = new Y.Doc();
    pasteClipboard(target, parseClipboard(JSON.stringify(copySelection(source, [task, note])))!, 0, 0);
    const board = readBoard(target);
    const pastedTask = [...board.tasks.values()][0]!;
    const pastedNote = [...board.notes.values()][0]!;
    expect(pastedNote.z < pastedTask.z).toBe(true);
  });
});
