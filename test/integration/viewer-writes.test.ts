import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { exportBoardJson } from '../../shared/formats/json/index.ts';
import { exportMspdi } from '../../shared/formats/mspdi/index.ts';
import { connectClient, waitFor, type TestClient } from '../helpers/clients.ts';
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts';
import { serverSuite } from '../helpers/suite.ts';

/**
 * The promise, tried path by path: a view-only link cannot change a board through
 * any door the server has — WebSocket, REST import (every format), versions (save and
 * restore), comments (while the board does not allow viewers to comment), board settings
 * and delete. Each REST write is also made with the edit token, so a route that does not
 * exist (404) can never pass as "refused".
 */
describe('a view-only link cannot write through any path', () => {
  let server: TestServer;
  const { dataDir, clients, client } = serverSuite(() => server);
  let board: Awaited<ReturnType<typeof createBoard>>;
  let editor: TestClient;
  let taskId: string;

  const api = (route: string) => `${server.url}/api/boards/${board.id}${route}`;
  const call = (method: string, route: string, token: string, body?: string, headers: Record<string, string> = {}) =>
    fetch(api(route), { method, headers: { authorization: `Bearer ${token}`, ...headers }, body });
  const json = { 'content-type': 'application/json' };

  /** Everything a viewer might change: the document as every reader sees it, and the version list. */
  const fingerprint = async () => {
    const versions = await (await call('GET', '/versions', board.viewToken)).json();
    const state = readBoard(editor.doc);
    return JSON.stringify({
      tasks: [...state.tasks.values()],
      deps: [...state.deps.values()],
      notes: [...state.notes.values()],
      meta: state.meta,
      comments: editor.doc.getMap('comments').toJSON(),
      versions,
    });
  };

  beforeAll(async () => {
    server = await startTestServer({ dataDir });
    board = await createBoard(server.url, 'Review');
    editor = await client(board.id, board.editToken);
    taskId = createTask(editor.doc, { title: 'Kickoff', x: 0, y: 0 }, 'test');
    await waitFor(async () => (await (await call('GET', '/export?format=json', board.viewToken)).text()).includes('Kickoff'), 'the task stored');
  });

  it('WebSocket: a viewer’s document update is never applied, relayed or stored', async () => {
    const viewer = connectClient(server.wsUrl, board.id, board.viewToken);
    clients.push(viewer);
    await viewer.synced;
    const before = await fingerprint();
    createTask(viewer.doc, { title: 'Sneaky viewer task', x: 10, y: 10 }, 'viewer');
    viewer.doc.getMap('comments').set('x', new Y.Map());
    // A later edit from the editor proves the relay is flowing when we look.
    createTask(editor.doc, { title: 'Marker', x: 20, y: 20 }, 'test');
    const observer = connectClient(server.wsUrl, board.id, board.editToken);
    clients.push(observer);
    await observer.synced;
    await waitFor(() => [...readBoard(observer.doc).tasks.values()].some((t) => t.title === 'Marker'), 'the marker relayed');
    const titles = [...readBoard(observer.doc).tasks.values()].map((t) => t.title);
    expect(titles).not.toContain('Sneaky viewer task');
    expect(observer.doc.getMap('comments').has('x')).toBe(false);
    expect(before).not.toContain('Sneaky');
  });

  it('REST: every write answers 403 to the view token and changes nothing; the edit token is accepted', async () => {
    const csv = 'ID,Name,Duration\n1,From CSV,2d\n';
    const boardJson = exportBoardJson(editor.doc, new Date().toISOString());
    const mspdi = exportMspdi({ board: readBoard(editor.doc), today: new Date().toISOString().slice(0, 10) });
    const author = { name: 'Val', color: '#336699' };
    const versionRes = await call('POST', '/versions', board.editToken, JSON.stringify({ name: 'Before review' }), json);
    expect(versionRes.status).toBe(201);
    const versionId = ((await versionRes.json()) as { id: string }).id;
    const threadRes = await call('POST', '/comments', board.editToken, JSON.stringify({ anchor: { kind: 'task', taskId }, text: 'Looks good', author }), json);
    expect(threadRes.status).toBe(201);
    const threadId = ((await threadRes.json()) as { id: string }).id;

    const writes: Array<{ what: string; method: string; route: string; body?: string; headers?: Record<string, string>; ok: number[] }> = [
      // Comments before the imports: the JSON import replaces the board's threads with the file's.
      { what: 'save a version', method: 'POST', route: '/versions', body: JSON.stringify({ name: 'Viewer version' }), headers: json, ok: [201] },
      { what: 'restore a version', method: 'POST', route: `/versions/${versionId}/restore`, ok: [200] },
      { what: 'start a comment thread', method: 'POST', route: '/comments', body: JSON.stringify({ anchor: { kind: 'point', x: 1, y: 2 }, text: 'hi', author }), headers: json, ok: [201] },
      { what: 'reply to a thread', method: 'POST', route: `/comments/${threadId}/replies`, body: JSON.stringify({ text: 'me too', author }), headers: json, ok: [201] },
      { what: 'resolve a thread', method: 'POST', route: `/comments/${threadId}/resolve`, body: JSON.stringify({ author }), headers: json, ok: [200] },
      { what: 'reopen a thread', method: 'POST', route: `/comments/${threadId}/reopen`, body: JSON.stringify({ author }), headers: json, ok: [200] },
      { what: 'CSV import', method: 'POST', route: '/import?format=csv', body: csv, headers: { 'content-type': 'text/csv' }, ok: [200] },
      { what: 'JSON import', method: 'POST', route: '/import?format=json', body: boardJson, headers: json, ok: [200] },
      { what: 'MS Project import', method: 'POST', route: '/import?format=mspdi', body: mspdi, headers: { 'content-type': 'application/xml' }, ok: [200] },
      { what: 'change settings', method: 'PATCH', route: '/settings', body: JSON.stringify({ title: 'Hijacked' }), headers: json, ok: [200] },
    ];

    for (const write of writes) {
      const before = await fingerprint();
      const refused = await call(write.method, write.route, board.viewToken, write.body, write.headers);
      expect(refused.status, `${write.what} with the view token`).toBe(403);
      expect(((await refused.json()) as { error: string }).error, write.what).toMatch(/\S/);
      expect(await fingerprint(), `${write.what}: nothing changed`).toBe(before);
      const accepted = await call(write.method, write.route, board.editToken, write.body, write.headers);
      expect(write.ok, `${write.what} with the edit token: ${accepted.status} ${await accepted.clone().text()}`).toContain(accepted.status);
    }

    const deleteHeaders = { 'X-Confirm-Delete': board.id };
    const refusedDelete = await call('DELETE', '', board.viewToken, undefined, deleteHeaders);
    expect(refusedDelete.status).toBe(403);
    expect((await call('GET', '/settings', board.viewToken)).status).toBe(200);
    expect((await call('DELETE', '', board.editToken, undefined, deleteHeaders)).status).toBe(204);
    expect((await call('GET', '/settings', board.viewToken)).status).toBe(404);
  });
});
