import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  commentsMap,
  createThread,
  deleteMessage,
  editMessage,
  openThreadCounts,
  readComments,
  reopenThread,
  reply,
  resolveThread,
  setViewersMayComment,
  type CommentProblem,
} from '../../shared/doc/comments.ts';
import { createTask, deleteEntities } from '../../shared/doc/ops.ts';
import { readMeta } from '../../shared/doc/read.ts';
import { mentionQueryAt, parseMentions, splitMentions } from '../../shared/comments/mentions.ts';
import { MAX_COMMENT_TEXT_LENGTH, MAX_MESSAGES_PER_THREAD, MAX_THREADS_PER_BOARD } from '../../shared/comments/types.ts';
import { newId } from '../../shared/ids.ts';

const ada = { name: 'Ada', color: '#FF0000' };
const point = { kind: 'point' as const, x: 100, y: -50 };

function must<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('comment ops', () => {
  it('creates a point thread and a task thread, replies, resolves and reopens', () => {
    const doc = new Y.Doc();
    const taskId = createTask(doc, { title: 'Design' });
    const { threadId } = must(createThread(doc, { anchor: point, text: 'Why here?', author: ada, now: '2026-01-01T00:00:00Z' }));
    const onTask = must(createThread(doc, { anchor: { kind: 'task', taskId }, text: 'Ask @bob lee', author: ada, knownNames: ['Bob Lee'], now: '2026-01-02T00:00:00Z' }));
    must(reply(doc, threadId, { text: 'Because.', author: { name: 'Bob Lee', color: '#00ff00' } }));
    must(resolveThread(doc, threadId, 'Bob Lee'));

    let threads = readComments(doc);
    expect(threads.map((t) => t.id)).toEqual([threadId, onTask.threadId]);
    expect(threads[0]).toMatchObject({ anchor: point, resolved: true, resolvedBy: 'Bob Lee', createdBy: { name: 'Ada', color: '#ff0000' } });
    expect(threads[0]!.messages.map((m) => m.text)).toEqual(['Why here?', 'Because.']);
    expect(threads[1]).toMatchObject({ anchor: { kind: 'task', taskId }, taskDeleted: false });
    expect(threads[1]!.messages[0]!.mentions).toEqual(['Bob Lee']);
    expect(openThreadCounts(threads).get(taskId)).toBe(1);

    must(reopenThread(doc, threadId));
    threads = readComments(doc);
    expect(threads[0]).toMatchObject({ resolved: false, resolvedBy: '' });
  });

  it('refuses empty or oversized text, bad anchors and unknown tasks or threads, writing nothing', () => {
    const doc = new Y.Doc();
    expect(createThread(doc, { anchor: point, text: '  \n ', author: ada })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(createThread(doc, { anchor: point, text: 'x'.repeat(MAX_COMMENT_TEXT_LENGTH + 1), author: ada })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(createThread(doc, { anchor: { kind: 'point', x: Number.NaN, y: 0 }, text: 'a', author: ada })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(createThread(doc, { anchor: { kind: 'task', taskId: '../etc' }, text: 'a', author: ada })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(createThread(doc, { anchor: { kind: 'task', taskId: newId() }, text: 'a', author: ada })).toMatchObject({ ok: false, reason: 'not-found' });
    expect(reply(doc, newId(), { text: 'a', author: ada })).toMatchObject({ ok: false, reason: 'not-found' });
    expect(resolveThread(doc, newId(), 'Ada')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(commentsMap(doc).size).toBe(0);
    // Exactly the limit is fine.
    expect(createThread(doc, { anchor: point, text: 'x'.repeat(MAX_COMMENT_TEXT_LENGTH), author: ada }).ok).toBe(true);
  });

  it('enforces the per-thread message limit and the per-board thread limit', () => {
    const doc = new Y.Doc();
    const { threadId } = must(createThread(doc, { anchor: point, text: 'first', author: ada }));
    for (let i = 1; i < MAX_MESSAGES_PER_THREAD; i++) must(reply(doc, threadId, { text: `r${i}`, author: ada }));
    expect(reply(doc, threadId, { text: 'one too many', author: ada })).toMatchObject({ ok: false, reason: 'limit' });

    // Fill the board with cheap placeholder entries to reach the thread limit quickly.
    doc.transact(() => {
      for (let i = commentsMap(doc).size; i < MAX_THREADS_PER_BOARD; i++) commentsMap(doc).set(`filler${i}`, 0);
    });
    expect(createThread(doc, { anchor: point, text: 'over', author: ada })).toMatchObject({ ok: false, reason: 'limit' });
  });

  it('deletes and edits messages; deleting the last message removes the thread', () => {
    const doc = new Y.Doc();
    const { threadId, messageId } = must(createThread(doc, { anchor: point, text: 'one', author: ada }));
    const second = must(reply(doc, threadId, { text: 'two', author: ada }));
    must(editMessage(doc, threadId, second.messageId, { text: 'two, @Ada', knownNames: ['Ada'], now: '2026-02-02T00:00:00Z' }));
    expect(readComments(doc)[0]!.messages[1]).toMatchObject({ text: 'two, @Ada', mentions: ['Ada'], editedAt: '2026-02-02T00:00:00Z' });
    must(deleteMessage(doc, threadId, messageId));
    expect(readComments(doc)[0]!.messages.map((m) => m.text)).toEqual(['two, @Ada']);
    expect(deleteMessage(doc, threadId, 'nope')).toMatchObject({ ok: false, reason: 'not-found' });
    must(deleteMessage(doc, threadId, second.messageId));
    expect(readComments(doc)).toEqual([]);
  });

  it('keeps a thread whose task was deleted, marked as such, and stops counting it on cards', () => {
    const doc = new Y.Doc();
    const taskId = createTask(doc, {});
    must(createThread(doc, { anchor: { kind: 'task', taskId }, text: 'hm', author: ada }));
    deleteEntities(doc, [taskId]);
    const [thread] = readComments(doc);
    expect(thread).toMatchObject({ taskDeleted: true, anchor: { kind: 'task', taskId } });
  });

  it('merges a concurrent reply and resolve from two peers', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const { threadId } = must(createThread(a, { anchor: point, text: 'q', author: ada }));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    must(reply(a, threadId, { text: 'from a', author: ada }));
    must(reply(b, threadId, { text: 'from b', author: ada }));
    must(resolveThread(b, threadId, 'B'));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readComments(a)).toEqual(readComments(b));
    expect(readComments(a)[0]!.messages).toHaveLength(3);
    expect(readComments(a)[0]!.resolved).toBe(true);
  });

  it('the viewersMayComment setting defaults to off and is set through its op', () => {
    const doc = new Y.Doc();
    expect(readMeta(doc).viewersMayComment).toBe(false);
    expect(setViewersMayComment(doc, true)).toBe(true);
    expect(readMeta(doc).viewersMayComment).toBe(true);
    doc.getMap('meta').set('viewersMayComment', 'yes');
    const problems: unknown[] = [];
    expect(readMeta(doc, (p) => problems.push(p)).viewersMayComment).toBe(false);
    expect(problems).toHaveLength(1);
  });
});

describe('readComments on hostile data', () => {
  it('skips and reports what cannot be shown, and keeps the rest', () => {
    const doc = new Y.Doc();
    const good = must(createThread(doc, { anchor: point, text: 'fine', author: ada })).threadId;
    const comments = commentsMap(doc);
    const problems: CommentProblem[] = [];
    doc.transact(() => {
      comments.set(newId(), 'not a map');
      comments.set('../bad key', new Y.Map());
      const noAnchor = new Y.Map<unknown>();
      noAnchor.set('messages', new Y.Array());
      comments.set(newId(), noAnchor);
      const farAway = new Y.Map<unknown>();
      farAway.set('anchorKind', 'point');
      farAway.set('x', 1e300);
      farAway.set('y', 0);
      comments.set(newId(), farAway);
      const noMessages = new Y.Map<unknown>();
      noMessages.set('anchorKind', 'point');
      noMessages.set('x', 0);
      noMessages.set('y', 0);
      noMessages.set('messages', 'lots');
      comments.set(newId(), noMessages);
      // A thread with one bad message, one huge message and a wrong createdBy still shows.
      const mixed = new Y.Map<unknown>();
      mixed.set('anchorKind', 'point');
      mixed.set('x', 5);
      mixed.set('y', 5);
      mixed.set('resolved', 'yes');
      mixed.set('createdBy', 42);
      const messages = new Y.Array<unknown>();
      const bad = new Y.Map<unknown>();
      bad.set('text', 12);
      const huge = new Y.Map<unknown>();
      huge.set('id', 'm1');
      huge.set('text', 'y'.repeat(MAX_COMMENT_TEXT_LENGTH * 3));
      huge.set('author', 7);
      huge.set('mentions', 'everyone');
      messages.push([bad, 'junk', huge]);
      mixed.set('messages', messages);
      comments.set('mixedmixedmixedmixedm', mixed);
    });
    const threads = readComments(doc, (p) => problems.push(p));
    expect(threads.map((t) => t.id).sort()).toEqual([good, 'mixedmixedmixedmixedm'].sort());
    const mixed = threads.find((t) => t.id === 'mixedmixedmixedmixedm')!;
    expect(mixed.resolved).toBe(false);
    expect(mixed.messages).toHaveLength(1);
    expect(mixed.messages[0]).toMatchObject({ id: 'm1', author: 'Anonymous', mentions: [], color: '#607d8b' });
    expect(mixed.messages[0]!.text).toHaveLength(MAX_COMMENT_TEXT_LENGTH);
    expect(mixed.createdBy.name).toBe('Anonymous');
    expect(problems.length).toBeGreaterThanOrEqual(7);
  });
});

describe('mentions', () => {
  const people = ['Ada Lovelace', 'Ada', 'Bob', 'Zoë Ng'];
  it.each([
    ['hi @Ada Lovelace, see this', ['Ada Lovelace']],
    ['hi @ada lovelace!', ['Ada Lovelace']],
    ['@Ada and @Adam', ['Ada']],
    ['mail ada@example.com or @Bob.', ['Bob']],
    ['@Bob @bob @BOB', ['Bob']],
    ['@Zoë Ng: ok', ['Zoë Ng']],
    ['nobody @Carol here', []],
    ['@', []],
  ])('%s -> %j', (text, expected) => {
    expect(parseMentions(text, people)).toEqual(expected);
  });

  it('splits text into plain and mention segments that join back to the text', () => {
    const text = 'ping @ada lovelace and @Bob!';
    const segments = splitMentions(text, people);
    expect(segments).toEqual([{ text: 'ping ' }, { text: '@ada lovelace', mention: 'Ada Lovelace' }, { text: ' and ' }, { text: '@Bob', mention: 'Bob' }, { text: '!' }]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });

  it('finds the partial mention at the caret for autocomplete', () => {
    expect(mentionQueryAt('ping @Ad', 8)).toEqual({ start: 5, query: 'Ad' });
    expect(mentionQueryAt('ping @', 6)).toEqual({ start: 5, query: '' });
    expect(mentionQueryAt('a@b', 3)).toBeNull();
    expect(mentionQueryAt('@Ada\nmore', 9)).toBeNull();
    expect(mentionQueryAt('no mention', 10)).toBeNull();
  });
});

describe('undo', () => {
  it("an editor's comment actions undo and redo through an UndoManager that tracks the comments map", () => {
    const doc = new Y.Doc();
    const origin = { local: true };
    const undo = new Y.UndoManager([commentsMap(doc)], { trackedOrigins: new Set([origin]), captureTimeout: 0 });
    const { threadId } = must(createThread(doc, { anchor: point, text: 'first', author: ada }, origin));
    must(reply(doc, threadId, { text: 'second', author: ada }, origin));
    must(resolveThread(doc, threadId, 'Ada', origin));
    undo.undo();
    expect(readComments(doc)[0]!.resolved).toBe(false);
    undo.undo();
    expect(readComments(doc)[0]!.messages).toHaveLength(1);
    undo.undo();
    expect(readComments(doc)).toEqual([]);
    undo.redo();
    expect(readComments(doc)[0]!.messages.map((m) => m.text)).toEqual(['first']);
  });
});
