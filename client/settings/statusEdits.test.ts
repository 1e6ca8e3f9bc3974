import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initBoardDocument } from '../../shared/doc/init.ts';
import { createTask } from '../../shared/doc/ops.ts';
import { setBoardSetting } from '../../shared/doc/planOps.ts';
import { readBoard, readMeta } from '../../shared/doc/read.ts';
import { addStatus, moveStatus, removeStatus, renameStatus, tasksPerStatus } from './statusEdits.ts';

const origin = { name: 'test' };

function board(): Y.Doc {
  const doc = new Y.Doc();
  initBoardDocument(doc, 'Plan', '2026-01-05T00:00:00.000Z');
  return doc;
}
const keys = (doc: Y.Doc) => readMeta(doc).statuses.map((s) => s.key);

describe('status edits from the Settings dialog', () => {
  it('renames keep the key; moves reorder; adds make a unique key that no task already uses', () => {
    const doc = board();
    renameStatus(doc, 'todo', '  Backlog ', origin);
    expect(readMeta(doc).statuses[0]).toEqual({ key: 'todo', label: 'Backlog' });
    moveStatus(doc, 'done', -1, origin);
    expect(keys(doc).slice(-2)).toEqual(['done', 'blocked']);
    moveStatus(doc, keys(doc)[0]!, -1, origin); // already first: no change
    expect(keys(doc)[0]).toBe('todo');
    // A task still carries "review" (a status removed by an older client): the new "Review" gets another key.
    createTask(doc, { title: 'stray', status: 'review' });
    const key = addStatus(doc, 'Review', origin);
    expect(key).toBe('review-2');
    expect(readMeta(doc).statuses.at(-1)).toEqual({ key: 'review-2', label: 'Review' });
    expect(addStatus(doc, '   ', origin)).toBeNull();
  });

  it('removing a status moves its tasks to the first remaining status and drops its WIP limit, as one undo step', () => {
    const doc = board();
    const undo = new Y.UndoManager([doc.getMap('tasks'), doc.getMap('meta')], { trackedOrigins: new Set([origin]) });
    const blocked = createTask(doc, { title: 'Waiting', status: 'blocked' });
    const doing = createTask(doc, { title: 'Building', status: 'in-progress' });
    setBoardSetting(doc, 'wipLimits', { blocked: 2, 'in-progress': 3 });
    expect(tasksPerStatus(doc).get('blocked')).toBe(1);

    expect(removeStatus(doc, 'blocked', origin)).toBe('todo');
    const after = readBoard(doc);
    expect(after.meta.statuses.map((s) => s.key)).not.toContain('blocked');
    expect(after.tasks.get(blocked)?.status).toBe('todo');
    expect(after.tasks.get(doing)?.status).toBe('in-progress');
    expect(after.meta.wipLimits).toEqual({ 'in-progress': 3 });

    // Removing the first status sends its tasks to the next one.
    expect(removeStatus(doc, 'todo', origin)).toBe('in-progress');
    expect(readBoard(doc).tasks.get(blocked)?.status).toBe('in-progress');

    undo.undo();
    undo.undo();
    expect(readBoard(doc).tasks.get(blocked)?.status).toBe('blocked');
    expect(keys(doc)).toContain('blocked');
    expect(readMeta(doc).wipLimits).toEqual({ blocked: 2, 'in-progress': 3 });
  });

  it('the last status cannot be removed', () => {
    const doc = board();
    for (const key of keys(doc).slice(1)) removeStatus(doc, key, origin);
    expect(keys(doc)).toEqual(['todo']);
    expect(removeStatus(doc, 'todo', origin)).toBeNull();
    expect(keys(doc)).toEqual(['todo']);
  });
});
