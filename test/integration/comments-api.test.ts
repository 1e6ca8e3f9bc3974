import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.ts';
import { createTask } from '../../shared/doc/ops.ts';
import { createThread, readComments, setViewersMayComment } from '../../shared/doc/comments.ts';
import { readMeta } from '../../shared/doc/read.ts';
import type { CommentThread } from '../../shared/comments/types.ts';
import { sleep, waitFor } from '../helpers/clients.ts';
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts';
import { serverSuite } from '../helpers/suite.ts';

const ada = { name: 'Ada', color: '#ff0000' };
const vic = { name: 'Vic Viewer', color: '#00aa00' };

describe('comments REST API', () => {
  let server: TestServer;
  const { dataDir, url, client } = serverSuite(() => server);
  beforeAll(async () => {
    server = await startTestServer({ dataDir });
  });

  const post = (id: string, route: string, token: string | undefined, body: unknown, type = 'application/json') =>
    fetch(url(id, route, token), { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('an editor creates a thread on a task and replies over REST; a connected client sees both live', async () => {
    const board = await createBoard(server.url);
    const editor = await client(board.id, board.editToken);
    const taskId = createTask(editor.doc, { title: 'Design', assignees: ['Bo Chen'] });
    const watcher = await client(board.id, board.viewToken);
    await waitFor(() => watcher.doc.getMap('tasks').has(taskId), 'the task to reach the server');

    const created = await post(board.id, 'comments', board.editToken, { anchor: { kind: 'task', taskId }, text: 'Can @bo chen own this?', author: ada });
    expect(created.status).toBe(201);
    const thread = (await created.json()) as CommentThread;
    expect(thread).toMatchObject({ anchor: { kind: 'task', taskId }, resolved: false, createdBy: ada, taskDeleted: false });
    expect(thread.messages[0]).toMatchObject({ author: 'Ada', text: 'Can @bo chen own this?', mentions: ['Bo Chen'] });
    await waitFor(() => readComments(watcher.doc).length === 1, 'the viewer to see the thread live');

    const replied = await post(board.id, `comments/${thread.id}/replies`, board.editToken, { text: 'Yes', author: { name: 'Bo Chen', color: '#0000ff' } });
    expect(replied.status).toBe(201);
    expect(((await replied.json()) as CommentThread).messages.map((m) => m.text)).toEqual(['Can @bo chen own this?', 'Yes']);
    await waitFor(() => readComments(editor.doc)[0]?.messages.length === 2, 'the editor to see the reply');

    const resolved = await post(board.id, `comments/${thread.id}/resolve`, board.editToken, { author: ada });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ resolved: true, resolvedBy: 'Ada' });
    await waitFor(() => readComments(watcher.doc)[0]?.resolved === true, 'resolve to reach the viewer');
    const reopened = await fetch(url(board.id, `comments/${thread.id}/reopen`, board.editToken), { method: 'POST' });
    expect(reopened.status).toBe(200);
    expect(await reopened.json()).toMatchObject({ resolved: false, resolvedBy: '' });

    const listed = await fetch(url(board.id, 'comments', board.viewToken));
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as { threads: CommentThread[]; viewersMayComment: boolean };
    expect(body.viewersMayComment).toBe(false);
    expect(body.threads).toEqual(readComments(editor.doc));
  });

  it('version history credits a REST comment to its author, not to "API"', async () => {
    const board = await createBoard(server.url);
    await client(board.id, board.viewToken); // keeps the board loaded between the two requests
    const created = await post(board.id, 'comments', board.editToken, { anchor: { kind: 'point', x: 10, y: 20 }, text: 'First look', author: ada });
    expect(created.status).toBe(201);
    const version = await post(board.id, 'versions', board.editToken, { name: 'After the first comment' });
    expect(version.status).toBe(201);
    const { authors } = (await version.json()) as { authors: string[] };
    expect(authors).toContain('Ada');
    expect(authors).not.toContain('API');
  });

  it('a view token gets 403 on every write while the setting is off, 201 once an editor turns it on', async () => {
    const board = await createBoard(server.url);
    const editor = await client(board.id, board.editToken);
    const existing = createThread(editor.doc, { anchor: { kind: 'point', x: 1, y: 2 }, text: 'editor note', author: ada });
    if (!existing.ok) throw new Error(existing.error);
    const threadId = existing.value.threadId;
    await waitFor(async () => ((await (await fetch(url(board.id, 'comments', board.viewToken))).json()) as { threads: unknown[] }).threads.length === 1, 'the editor thread to be stored');

    const attempts = [
      () => post(board.id, 'comments', board.viewToken, { anchor: { kind: 'point', x: 0, y: 0 }, text: 'hello', author: vic }),
      () => post(board.id, `comments/${threadId}/replies`, board.viewToken, { text: 'me too', author: vic }),
    ];
    for (const attempt of attempts) {
      const res = await attempt();
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: 'viewers may not comment on this board' });
    }
    const editorsOnly = { error: 'this link is view-only; resolving or reopening a thread needs the edit link' };
    for (const action of ['resolve', 'reopen']) {
      const res = await post(board.id, `comments/${threadId}/${action}`, board.viewToken, {});
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual(editorsOnly);
    }
    expect(readComments(editor.doc)).toHaveLength(1);
    expect(readComments(editor.doc)[0]!.messages).toHaveLength(1);

    setViewersMayComment(editor.doc, true);
    const viewer = await client(board.id, board.viewToken);
    await waitFor(() => readMeta(viewer.doc).viewersMayComment, 'the setting to reach the server');
    const created = await post(board.id, 'comments', board.viewToken, { anchor: { kind: 'point', x: 0, y: 0 }, text: 'hello', author: vic });
    expect(created.status).toBe(201);
    const replied = await post(board.id, `comments/${threadId}/replies`, board.viewToken, { text: 'me too', author: vic });
    expect(replied.status).toBe(201);
    await waitFor(() => readComments(editor.doc).length === 2 && readComments(editor.doc)[0]!.messages.length === 2, 'the editor to see the viewer comments');
    // Viewers add and reply; resolving and reopening stay with the editors even now.
    for (const action of ['resolve', 'reopen']) {
      const res = await post(board.id, `comments/${threadId}/${action}`, board.viewToken, { author: vic });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual(editorsOnly);
    }
    expect(readComments(editor.doc)[0]!.resolved).toBe(false);

    // Turned off again: refused again.
    setViewersMayComment(editor.doc, false);
    await waitFor(() => !readMeta(viewer.doc).viewersMayComment, 'the setting to reach the server');
    expect((await post(board.id, `comments/${threadId}/replies`, board.viewToken, { text: 'again', author: vic })).status).toBe(403);
  });

  it("drops a viewer's comment written over the WebSocket, even when viewers may comment", async () => {
    const board = await createBoard(server.url);
    const editor = await client(board.id, board.editToken);
    setViewersMayComment(editor.doc, true);
    const viewer = await client(board.id, board.viewToken);
    await waitFor(() => readMeta(viewer.doc).viewersMayComment, 'setting');
    const sneaky = createThread(viewer.doc, { anchor: { kind: 'point', x: 5, y: 5 }, text: 'through the socket', author: vic });
    expect(sneaky.ok).toBe(true);
    await sleep(300);
    expect(readComments(editor.doc)).toEqual([]);
    const listed = (await (await fetch(url(board.id, 'comments', board.editToken))).json()) as { threads: unknown[] };
    expect(listed.threads).toEqual([]);
  });

  it('serves and extends threads after a peer wrote junk into the comments map', async () => {
    const board = await createBoard(server.url);
    const editor = await client(board.id, board.editToken);
    const { Map: YMap, Array: YArray } = await import('yjs');
    editor.doc.transact(() => {
      const comments = editor.doc.getMap('comments');
      comments.set(newId(), 'junk');
      const broken = new YMap<unknown>();
      broken.set('anchorKind', 'point');
      broken.set('x', 'far');
      broken.set('messages', new YArray());
      comments.set(newId(), broken);
    });
    const watcher = await client(board.id, board.viewToken);
    await waitFor(() => watcher.doc.getMap('comments').size === 2, 'the junk to reach the server');
    expect((await fetch(url(board.id, 'comments', board.viewToken))).status).toBe(200);
    const created = await post(board.id, 'comments', board.editToken, { anchor: { kind: 'point', x: 1, y: 1 }, text: 'still works', author: ada });
    expect(created.status).toBe(201);
    const body = (await (await fetch(url(board.id, 'comments', board.viewToken))).json()) as { threads: CommentThread[] };
    expect(body.threads.map((t) => t.messages[0]!.text)).toEqual(['still works']);
  });

  it('answers 401, 403, 404, 400, 413 and 415 with clear errors', async () => {
    const board = await createBoard(server.url);
    const other = await createBoard(server.url);
    const good = { anchor: { kind: 'point', x: 0, y: 0 }, text: 'hi', author: ada };

    expect((await post(board.id, 'comments', undefined, good)).status).toBe(401);
    expect((await fetch(url(board.id, 'comments'))).status).toBe(401);
    expect((await post(board.id, 'comments', other.editToken, good)).status).toBe(403);
    expect((await post('not-an-id', 'comments', board.editToken, good)).status).toBe(404);
    expect((await post(newId(), 'comments', board.editToken, good)).status).toBe(403);

    const bad = async (body: unknown, status: number, message: RegExp) => {
      const res = await post(board.id, 'comments', board.editToken, body);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    };
    await bad('{nope', 400, /not valid JSON/);
    await bad({ ...good, text: '   ' }, 400, /text is required/);
    await bad({ ...good, text: 'x'.repeat(4001) }, 400, /at most 4000/);
    await bad({ ...good, author: { name: 'A', color: 'red' } }, 400, /author.color/);
    await bad({ ...good, anchor: { kind: 'point', x: 'a', y: 0 } }, 400, /anchor/);
    await bad({ ...good, anchor: { kind: 'elsewhere' } }, 400, /anchor/);
    await bad({ ...good, anchor: { kind: 'task', taskId: newId() } }, 404, /unknown task/);
    await bad({ ...good, text: 'y'.repeat(40_000) }, 413, /larger than/);

    const wrongType = await post(board.id, 'comments', board.editToken, JSON.stringify(good), 'text/plain');
    expect(wrongType.status).toBe(415);
    expect((await post(board.id, `comments/${newId()}/replies`, board.editToken, { text: 'x', author: ada })).status).toBe(404);
    expect((await post(board.id, `comments/${newId()}/resolve`, board.editToken, {})).status).toBe(404);
    expect((await post(board.id, 'comments', board.editToken, good)).status).toBe(201);
  });
});
