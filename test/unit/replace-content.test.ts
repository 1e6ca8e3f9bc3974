import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initBoardDocument } from '../../shared/doc/init.ts';
import { createDependency, createNote, createTask, deleteEntities, setTaskDescription, updateShape } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { replaceBoardContent } from '../../shared/doc/replace.ts';

/** The whole document as JSON, every top-level type included (comments too). */
function contentOf(doc: Y.Doc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of ['tasks', 'deps', 'notes', 'meta', 'baselines', 'comments']) out[name] = doc.getMap(name).toJSON();
  return out;
}

function planOf(doc: Y.Doc): Record<string, unknown> {
  const { comments: _comments, meta, ...rest } = contentOf(doc);
  const { schemaVersion: _v, createdAt: _c, ...settings } = meta as Record<string, unknown>;
  return { ...rest, meta: settings };
}

function clone(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** A board with two tasks, a link, a note, a comment and some settings. */
function sampleBoard(): { doc: Y.Doc; a: string; b: string; note: string } {
  const doc = new Y.Doc();
  initBoardDocument(doc, 'Launch', '2026-01-05T09:00:00.000Z');
  const a = createTask(doc, { title: 'Design', x: 10, y: 20, start: '2026-01-05', duration: 3, assignees: ['Ann'], description: 'first draft' });
  const b = createTask(doc, { title: 'Build', x: 300, y: 20, duration: 5 });
  createDependency(doc, a, b);
  const note = createNote(doc, { text: 'remember the demo', x: 0, y: 400 });
  doc.getMap('meta').set('holidays', ['2026-01-06']);
  doc.getMap('comments').set('c1', 'a comment that must survive');
  return { doc, a, b, note };
}

describe('replaceBoardContent', () => {
  it('brings back a version after adds, deletes and field edits, and leaves comments alone', () => {
    const { doc, a, b, note } = sampleBoard();
    const version = clone(doc);
    const expected = planOf(version);

    // Edit everything: delete a task (and its link), add one, move, rename, retitle the board.
    deleteEntities(doc, [b]);
    createTask(doc, { title: 'New one' });
    updateShape(doc, a, { x: 999, title: 'Design v2', duration: 8, assignees: ['Bob'] });
    setTaskDescription(doc, a, 'rewritten');
    deleteEntities(doc, [note]);
    doc.getMap('meta').set('title', 'Renamed');
    doc.getMap('meta').set('wipLimits', { todo: 3 });
    doc.getMap('comments').set('c2', 'written after the version');

    const counts = replaceBoardContent(doc, version);
    expect(planOf(doc)).toEqual(expected);
    expect(counts).toEqual({ tasks: 2, dependencies: 1, notes: 1 });
    // Discussion is not rolled back.
    expect(doc.getMap('comments').toJSON()).toEqual({ c1: 'a comment that must survive', c2: 'written after the version' });
    // The restored board reads cleanly (nested types, not JSON blobs).
    const board = readBoard(doc);
    expect(board.problems).toEqual([]);
    expect(board.tasks.get(a)?.description).toBe('first draft');
    expect(board.deps.size).toBe(1);
  });

  it('keeps schemaVersion and createdAt of the target', () => {
    const { doc } = sampleBoard();
    const source = new Y.Doc();
    source.getMap('meta').set('schemaVersion', 1);
    source.getMap('meta').set('createdAt', '1999-01-01T00:00:00.000Z');
    source.getMap('meta').set('title', 'From elsewhere');
    replaceBoardContent(doc, source);
    const meta = doc.getMap('meta').toJSON();
    expect(meta).toEqual({ title: 'From elsewhere', schemaVersion: 2, createdAt: '2026-01-05T09:00:00.000Z' });
    expect(doc.getMap('tasks').size).toBe(0);
  });

  it('never rolls back a permission: viewersMayComment stays as the target has it, set or unset', () => {
    // Granted after the version: a restore must not take it back.
    const { doc } = sampleBoard();
    const before = clone(doc);
    doc.getMap('meta').set('viewersMayComment', true);
    doc.getMap('meta').set('title', 'Renamed');
    replaceBoardContent(doc, before);
    expect(doc.getMap('meta').get('viewersMayComment')).toBe(true);
    expect(doc.getMap('meta').get('title')).toBe('Launch');

    // Granted in the version but revoked since: the restore must not grant it again either.
    const granted = clone(doc);
    doc.getMap('meta').set('viewersMayComment', false);
    replaceBoardContent(doc, granted);
    expect(doc.getMap('meta').get('viewersMayComment')).toBe(false);

    // Never set on the target: it is not created from the version.
    const fresh = sampleBoard().doc;
    replaceBoardContent(fresh, granted);
    expect(fresh.getMap('meta').has('viewersMayComment')).toBe(false);
  });

  it('writes only what differs: an unchanged board produces no update at all', () => {
    const { doc } = sampleBoard();
    const same = clone(doc);
    let updates = 0;
    doc.on('update', () => updates++);
    replaceBoardContent(doc, same);
    expect(updates).toBe(0);
  });

  it('is one transaction with the given origin, undone in one step back to exactly the pre-restore state', () => {
    const { doc, a, b } = sampleBoard();
    const version = clone(doc);
    const origin = { user: 'restorer' };
    const undo = new Y.UndoManager([doc.getMap('tasks'), doc.getMap('deps'), doc.getMap('notes'), doc.getMap('meta'), doc.getMap('baselines')], {
      trackedOrigins: new Set([origin]),
    });
    // Edits made before the restore by this user (tracked) — undo must stop at the restore.
    updateShape(doc, a, { title: 'Changed' }, origin);
    deleteEntities(doc, [b], origin);
    createTask(doc, { title: 'Extra', description: 'text' }, origin);
    undo.stopCapturing();
    const beforeRestore = contentOf(doc);

    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    replaceBoardContent(doc, version, origin);
    expect(origins).toEqual([origin]);
    expect(planOf(doc)).toEqual(planOf(version));

    undo.undo();
    expect(contentOf(doc)).toEqual(beforeRestore);
    undo.redo();
    expect(planOf(doc)).toEqual(planOf(version));
  });

  it('converges when a peer edits during the restore, keeping the peer typing in an unchanged text', () => {
    const { doc, a } = sampleBoard();
    const version = clone(doc);
    updateShape(doc, a, { x: 500 });
    const peer = clone(doc);

    // Concurrently: the peer types into the description and renames the other task while we restore.
    setTaskDescription(peer, a, 'first draft, reviewed');
    const bId = Array.from(peer.getMap('tasks').keys()).find((id) => id !== a) as string;
    updateShape(peer, bId, { title: 'Build (peer)' });
    replaceBoardContent(doc, version);
    sync(doc, peer);

    expect(contentOf(doc)).toEqual(contentOf(peer));
    const board = readBoard(doc);
    expect(board.tasks.get(a)?.x).toBe(10);
    // The description did not differ from the version, so it was never rewritten: the peer's typing survives.
    expect(board.tasks.get(a)?.description).toBe('first draft, reviewed');
    expect(board.tasks.get(bId)?.title).toBe('Build (peer)');
  });

  it('copies unknown fields and nested types deeply, and skips values that are not JSON or Yjs', () => {
    const target = new Y.Doc();
    const source = new Y.Doc();
    const task = new Y.Map<unknown>();
    source.getMap('tasks').set('t1', task);
    task.set('title', 'Odd');
    task.set('custom', { deep: [1, { two: 2 }] });
    const list = new Y.Array<unknown>();
    list.push(['x', 'y']);
    task.set('list', list);
    const inner = new Y.Map<unknown>();
    inner.set('k', 'v');
    task.set('inner', inner);
    task.set('blob', new Uint8Array([1, 2, 3]));
    const text = new Y.Text('hello');
    task.set('description', text);

    replaceBoardContent(target, source);
    const copied = target.getMap('tasks').get('t1') as Y.Map<unknown>;
    expect(copied).toBeInstanceOf(Y.Map);
    expect(copied.get('list')).toBeInstanceOf(Y.Array);
    expect(copied.get('inner')).toBeInstanceOf(Y.Map);
    expect(copied.get('description')).toBeInstanceOf(Y.Text);
    expect(copied.has('blob')).toBe(false);
    expect(copied.toJSON()).toEqual({ title: 'Odd', custom: { deep: [1, { two: 2 }] }, list: ['x', 'y'], inner: { k: 'v' }, description: 'hello' });

    // The copy is independent of the source document.
    text.insert(5, '!');
    expect((copied.get('description') as Y.Text).toString()).toBe('hello');
  });

  it('replaces an entity a foreign client wrote as plain JSON with the version’s nested map', () => {
    const { doc, a } = sampleBoard();
    const version = clone(doc);
    doc.getMap('tasks').set(a, { title: 'json blob' });
    replaceBoardContent(doc, version);
    expect(doc.getMap('tasks').get(a)).toBeInstanceOf(Y.Map);
    expect(readBoard(doc).tasks.get(a)?.title).toBe('Design');
  });
});
