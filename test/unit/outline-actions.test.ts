import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardSession } from '../../client/board/session.ts';
import { outlineRows } from '../../client/plan/planModel.ts';
import { addTaskBelow, deleteTask, indentTask, moveAmongSiblings, outdentTask } from '../../client/views/timeline/outlineActions.ts';
import { createDependency, createTask } from '../../shared/doc/ops.ts';
import { setParent } from '../../shared/doc/planOps.ts';
import { readBoard } from '../../shared/doc/read.ts';

function setup(titles: string[]) {
  const doc = new Y.Doc();
  const session = { doc, localOrigin: {}, readOnly: false } as unknown as BoardSession;
  const ids: Record<string, string> = {};
  const names = new Map<string, string>();
  for (const title of titles) {
    const id = createTask(doc, { title, x: 10, y: 20, h: 100 });
    ids[title] = id;
    names.set(id, title);
  }
  const rows = () => outlineRows(readBoard(doc).tasks);
  /** The outline as 'title:depth', new (untitled) tasks as '*'. */
  const outline = () => rows().map((r) => `${names.get(r.task.id) ?? '*'}:${r.depth}`);
  let transactions = 0;
  doc.on('afterTransaction', () => transactions++);
  return { doc, session, ids, rows, outline, transactions: () => transactions };
}

describe('indentTask', () => {
  it('makes a task the last child of the sibling above, in one transaction', () => {
    const t = setup(['A', 'B', 'C', 'D']);
    const before = t.transactions();
    expect(indentTask(t.session, t.rows(), t.ids.B!)).toBe(true);
    expect(t.transactions() - before).toBe(1);
    expect(t.outline()).toEqual(['A:0', 'B:1', 'C:0', 'D:0']);
    // C's sibling above is now A (B is nested): C goes after B, A's last child.
    expect(indentTask(t.session, t.rows(), t.ids.C!)).toBe(true);
    expect(t.outline()).toEqual(['A:0', 'B:1', 'C:1', 'D:0']);
    const board = readBoard(t.doc);
    expect(board.tasks.get(t.ids.C!)!.parent).toBe(t.ids.A);
    expect(board.tasks.get(t.ids.C!)!.rank > board.tasks.get(t.ids.B!)!.rank).toBe(true);
  });

  it('indents under a sibling that already has children, below its last child', () => {
    const t = setup(['A', 'A1', 'A2', 'B']);
    setParent(t.doc, t.ids.A1!, t.ids.A!);
    setParent(t.doc, t.ids.A2!, t.ids.A!);
    expect(t.outline()).toEqual(['A:0', 'A1:1', 'A2:1', 'B:0']);
    expect(indentTask(t.session, t.rows(), t.ids.B!)).toBe(true);
    expect(t.outline()).toEqual(['A:0', 'A1:1', 'A2:1', 'B:1']);
  });

  it('indents a nested task under its own sibling above (two levels deep)', () => {
    const t = setup(['A', 'A1', 'A2']);
    setParent(t.doc, t.ids.A1!, t.ids.A!);
    setParent(t.doc, t.ids.A2!, t.ids.A!);
    expect(indentTask(t.session, t.rows(), t.ids.A2!)).toBe(true);
    expect(t.outline()).toEqual(['A:0', 'A1:1', 'A2:2']);
    expect(t.rows()[2]!.parentId).toBe(t.ids.A1);
  });

  it('refuses the first sibling (nothing above to indent under) and unknown tasks, writing nothing', () => {
    const t = setup(['A', 'A1', 'B']);
    setParent(t.doc, t.ids.A1!, t.ids.A!);
    const before = t.transactions();
    expect(indentTask(t.session, t.rows(), t.ids.A!)).toBe(false);
    expect(indentTask(t.session, t.rows(), t.ids.A1!)).toBe(false);
    expect(indentTask(t.session, t.rows(), 'nope')).toBe(false);
    expect(t.transactions()).toBe(before);
    expect(t.outline()).toEqual(['A:0', 'A1:1', 'B:0']);
  });

  it('is one undo step for an UndoManager tracking the local origin', () => {
    const t = setup(['A', 'B']);
    const undo = new Y.UndoManager([t.doc.getMap('tasks')], { trackedOrigins: new Set([t.session.localOrigin]) });
    expect(indentTask(t.session, t.rows(), t.ids.B!)).toBe(true);
    expect(t.outline()).toEqual(['A:0', 'B:1']);
    expect(undo.undoStack).toHaveLength(1);
    undo.undo();
    expect(t.outline()).toEqual(['A:0', 'B:0']);
  });
});

describe('outdentTask', () => {
  it('puts the task right after its old parent, one level up', () => {
    const t = setup(['A', 'A1', 'A2', 'B']);
    setParent(t.doc, t.ids.A1!, t.ids.A!);
    setParent(t.doc, t.ids.A2!, t.ids.A!);
    const before = t.transactions();
    expect(outdentTask(t.session, t.rows(), t.ids.A1!)).toBe(true);
    expect(t.transactions() - before).toBe(1);
    expect(t.outline()).toEqual(['A:0', 'A2:1', 'A1:0', 'B:0']);
    const board = readBoard(t.doc);
    const rank = (name: string) => board.tasks.get(t.ids[name]!)!.rank;
    expect(board.tasks.get(t.ids.A1!)!.parent).toBe('');
    expect(rank('A') < rank('A1') && rank('A1') < rank('B')).toBe(true);
  });

  it('outdents the last task of the plan to the end', () => {
    const t = setup(['A', 'A1']);
    setParent(t.doc, t.ids.A1!, t.ids.A!);
    expect(outdentTask(t.session, t.rows(), t.ids.A1!)).toBe(true);
    expect(t.outline()).toEqual(['A:0', 'A1:0']);
  });

  it('outdents from two levels deep to the middle level, after the old parent', () => {
    const t = setup(['A', 'A1', 'A1a', 'A2']);
    setParent(t.doc, t.ids.A1!, t.ids.A!);
    setParent(t.doc, t.ids.A1a!, t.ids.A1!);
    setParent(t.doc, t.ids.A2!, t.ids.A!);
    expect(t.outline()).toEqual(['A:0', 'A1:1', 'A1a:2', 'A2:1']);
    expect(outdentTask(t.session, t.rows(), t.ids.A1a!)).toBe(true);
    expect(t.outline()).toEqual(['A:0', 'A1:1', 'A1a:1', 'A2:1']);
    expect(readBoard(t.doc).tasks.get(t.ids.A1a!)!.parent).toBe(t.ids.A);
  });

  it('refuses a top-level task and unknown tasks', () => {
    const t = setup(['A', 'B']);
    const before = t.transactions();
    expect(outdentTask(t.session, t.rows(), t.ids.A!)).toBe(false);
    expect(outdentTask(t.session, t.rows(), 'nope')).toBe(false);
    expect(t.transactions()).toBe(before);
  });
});

describe('moveAmongSiblings', () => {
  it('moves a task up and down among its siblings, one transaction each', () => {
    const t = setup(['A', 'B', 'C']);
    let before = t.transactions();
    expect(moveAmongSiblings(t.session, t.rows(), t.ids.C!, -1)).toBe(true);
    expect(t.transactions() - before).toBe(1);
    expect(t.outline()).toEqual(['A:0', 'C:0', 'B:0']);
    expect(moveAmongSiblings(t.session, t.rows(), t.ids.C!, -1)).toBe(true);
    expect(t.outline()).toEqual(['C:0', 'A:0', 'B:0']);
    before = t.transactions();
    expect(moveAmongSiblings(t.session, t.rows(), t.ids.C!, 1)).toBe(true);
    expect(t.transactions() - before).toBe(1);
    expect(t.outline()).toEqual(['A:0', 'C:0', 'B:0']);
    expect(moveAmongSiblings(t.session, t.rows(), t.ids.C!, 1)).toBe(true);
    expect(t.outline()).toEqual(['A:0', 'B:0', 'C:0']);
  });

  it('refuses to move past either end, writing nothing', () => {
    const t = setup(['A', 'B', 'C']);
    const before = t.transactions();
    expect(moveAmongSiblings(t.session, t.rows(), t.ids.A!, -1)).toBe(false);
    expect(moveAmongSiblings(t.session, t.rows(), t.ids.C!, 1)).toBe(false);
    expect(moveAmongSiblings(t.session, t.rows(), 'nope', 1)).toBe(false);
    expect(t.transactions()).toBe(before);
    expect(t.outline()).toEqual(['A:0', 'B:0', 'C:0']);
  });

  it('moves only among siblings: a subtask stays under its parent, a summary moves with its subtasks', () => {
    const t = setup(['A', 'A1', 'A2', 'B']);
    setParent(t.doc, t.ids.A1!, t.ids.A!);
    setParent(t.doc, t.ids.A2!, t.ids.A!);
    expect(moveAmongSiblings(t.session, t.rows(), t.ids.A2!, 1)).toBe(false);
    expect(moveAmongSiblings(t.session, t.rows(), t.ids.A2!, -1)).toBe(true);
    expect(t.outline()).toEqual(['A:0', 'A2:1', 'A1:1', 'B:0']);
    expect(moveAmongSiblings(t.session, t.rows(), t.ids.B!, -1)).toBe(true);
    expect(t.outline()).toEqual(['B:0', 'A:0', 'A2:1', 'A1:1']);
  });
});

describe('addTaskBelow', () => {
  it('adds a task directly after the given one, under the same parent, at the canvas spot it is given', () => {
    const t = setup(['A', 'A1', 'A2', 'B']);
    setParent(t.doc, t.ids.A1!, t.ids.A!);
    setParent(t.doc, t.ids.A2!, t.ids.A!);
    const before = t.transactions();
    const id = addTaskBelow(t.session, t.rows(), t.ids.A1!, { x: 999, y: 999 });
    expect(t.transactions() - before).toBe(1);
    expect(t.outline()).toEqual(['A:0', 'A1:1', '*:1', 'A2:1', 'B:0']);
    expect(readBoard(t.doc).tasks.get(id)).toMatchObject({ parent: t.ids.A, title: '', x: 999, y: 999 });
  });

  it('adds after the last sibling (before the next top-level task)', () => {
    const t = setup(['A', 'A1', 'B']);
    setParent(t.doc, t.ids.A1!, t.ids.A!);
    addTaskBelow(t.session, t.rows(), t.ids.A1!, { x: 0, y: 0 });
    expect(t.outline()).toEqual(['A:0', 'A1:1', '*:1', 'B:0']);
    addTaskBelow(t.session, t.rows(), t.ids.A!, { x: 0, y: 0 });
    expect(t.outline()).toEqual(['A:0', 'A1:1', '*:1', '*:0', 'B:0']);
  });

  it('adds at the end of the plan at the canvas spot when there is no row', () => {
    const t = setup(['A', 'B']);
    const id = addTaskBelow(t.session, t.rows(), null, { x: 300, y: 400 });
    expect(t.outline()).toEqual(['A:0', 'B:0', '*:0']);
    expect(readBoard(t.doc).tasks.get(id)).toMatchObject({ parent: '', x: 300, y: 400 });
    addTaskBelow(t.session, t.rows(), 'nope', { x: 1, y: 2 });
    expect(t.outline()).toEqual(['A:0', 'B:0', '*:0', '*:0']);
  });
});

describe('deleteTask', () => {
  it('deletes the task and its links in one transaction', () => {
    const t = setup(['A', 'B', 'C']);
    const ab = createDependency(t.doc, t.ids.A!, t.ids.B!);
    const bc = createDependency(t.doc, t.ids.B!, t.ids.C!);
    if (!('id' in ab) || !('id' in bc)) throw new Error('link refused');
    const before = t.transactions();
    deleteTask(t.session, t.ids.B!);
    expect(t.transactions() - before).toBe(1);
    expect(t.outline()).toEqual(['A:0', 'C:0']);
    expect(readBoard(t.doc).deps.size).toBe(0);
    expect(t.doc.getMap('deps').size).toBe(0);
  });

  it('lifts the subtasks of a deleted top-level summary to the top level', () => {
    const t = setup(['A', 'A1', 'B']);
    setParent(t.doc, t.ids.A1!, t.ids.A!);
    deleteTask(t.session, t.ids.A!);
    expect(t.outline()).toEqual(['A1:0', 'B:0']);
  });
});

describe('outline edits among siblings that have no rank (written by an older client)', () => {
  it('adds below and moves up exactly where shown, ranking the siblings first', async () => {
    const { Doc } = await import('yjs');
    const { createTask } = await import('../../shared/doc/ops.ts');
    const { readBoard } = await import('../../shared/doc/read.ts');
    const { outlineRows } = await import('../../client/plan/planModel.ts');
    const actions = await import('../../client/views/timeline/outlineActions.ts');
    const doc = new Doc();
    const session = { doc, localOrigin: {}, readOnly: false } as unknown as Parameters<typeof actions.addTaskBelow>[0];
    const ids = ['B', 'A', 'C'].map((title) => createTask(doc, { title }));
    for (const id of ids) (doc.getMap('tasks').get(id) as import('yjs').Map<unknown>).set('rank', '');
    const order = () => outlineRows(readBoard(doc).tasks).map((r) => r.task.title || '*');
    const shown = order();
    const middle = outlineRows(readBoard(doc).tasks)[1]!.task.id;
    actions.addTaskBelow(session, outlineRows(readBoard(doc).tasks), middle, { x: 0, y: 0 });
    expect(order()).toEqual([shown[0], shown[1], '*', shown[2]]);
    const last = outlineRows(readBoard(doc).tasks)[3]!.task.id;
    actions.moveAmongSiblings(session, outlineRows(readBoard(doc).tasks), last, -1);
    expect(order()).toEqual([shown[0], shown[1], shown[2], '*']);
  });
});
