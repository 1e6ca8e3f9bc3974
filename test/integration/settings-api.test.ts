import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readBoard } from '../../shared/doc/read.ts';
import { createTask } from '../../shared/doc/ops.ts';
import type { BoardSettings } from '../../shared/protocol/settings.ts';
import { DEFAULT_STATUSES } from '../../shared/schema/entities.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import { connectClient, sleep, upgradeStatus, waitFor, type TestClient } from '../helpers/clients.ts';
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts';
import { serverSuite } from '../helpers/suite.ts';

describe('board settings and deleting a board over REST', () => {
  let server: TestServer;
  const { dataDir, clients, url: api, client } = serverSuite(() => server);
  beforeAll(async () => {
    server = await startTestServer({ dataDir });
  });

  const getSettings = (id: string, token: string) => fetch(api(id, '/settings', token));
  const patch = (id: string, token: string, body: unknown, contentType = 'application/json') =>
    fetch(api(id, '/settings', token), { method: 'PATCH', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const del = (id: string, token: string, confirm?: string) =>
    fetch(api(id, '', token), { method: 'DELETE', headers: confirm === undefined ? {} : { 'X-Confirm-Delete': confirm } });

  it('GET with either token answers the defaults of a new board', async () => {
    const board = await createBoard(server.url, 'Q3 plan');
    for (const token of [board.viewToken, board.editToken]) {
      const res = await getSettings(board.id, token);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        title: 'Q3 plan',
        // A new board starts today (its creation date).
        projectStart: new Date().toISOString().slice(0, 10),
        workingDays: [1, 2, 3, 4, 5],
        holidays: [],
        statuses: DEFAULT_STATUSES.map((s) => ({ ...s })),
        wipLimits: {},
        viewersMayComment: false,
      } satisfies BoardSettings);
    }
    expect((await fetch(api(board.id, '/settings'))).status).toBe(401);
    expect((await getSettings(board.id, 'e1.forged')).status).toBe(403);
  });

  it('PATCH with the edit token: 200 with the new settings, seen live by a connected client, kept in the registry title', async () => {
    const board = await createBoard(server.url, 'Before');
    const watcher = await client(board.id, board.viewToken);
    const res = await patch(board.id, board.editToken, {
      title: '  Launch plan ',
      projectStart: '2026-03-02',
      workingDays: [5, 1, 2, 3, 4, 6],
      holidays: ['2026-12-25', '2026-01-01'],
      statuses: [
        { key: 'todo', label: 'Backlog' },
        { key: 'doing', label: 'Doing' },
        { key: 'review', label: 'Review' },
        { key: 'done', label: 'Done' },
      ],
      wipLimits: { doing: 3, review: 2 },
      viewersMayComment: true,
    });
    expect(res.status).toBe(200);
    const expected: BoardSettings = {
      title: 'Launch plan',
      projectStart: '2026-03-02',
      workingDays: [1, 2, 3, 4, 5, 6],
      holidays: ['2026-01-01', '2026-12-25'],
      statuses: [
        { key: 'todo', label: 'Backlog' },
        { key: 'doing', label: 'Doing' },
        { key: 'review', label: 'Review' },
        { key: 'done', label: 'Done' },
      ],
      wipLimits: { doing: 3, review: 2 },
      viewersMayComment: true,
    };
    expect(await res.json()).toEqual(expected);
    await waitFor(() => readBoard(watcher.doc).meta.title === 'Launch plan', 'the client to see the new title');
    const { meta } = readBoard(watcher.doc);
    expect({ ...meta, schemaVersion: undefined, createdAt: undefined }).toEqual({ ...expected, schemaVersion: undefined, createdAt: undefined });
    expect(await (await getSettings(board.id, board.viewToken)).json()).toEqual(expected);
    // The registry copy of the title (GET /api/boards/:id, board lists) follows.
    expect(((await (await fetch(api(board.id, '', board.viewToken))).json()) as { title: string }).title).toBe('Launch plan');

    // A subset: only that field changes; removing a status drops its WIP limit with it, and
    // its tasks move to the first status.
    const editor = await client(board.id, board.editToken);
    const inReview = createTask(editor.doc, { title: 'Check copy', status: 'review' });
    const inDoing = createTask(editor.doc, { title: 'Build', status: 'doing' });
    await waitFor(() => readBoard(watcher.doc).tasks.has(inDoing), 'the tasks to reach the server');
    const partial = await patch(board.id, board.editToken, { statuses: expected.statuses.filter((s) => s.key !== 'review') });
    expect(partial.status).toBe(200);
    expect(await partial.json()).toMatchObject({ title: 'Launch plan', wipLimits: { doing: 3 }, workingDays: [1, 2, 3, 4, 5, 6] });
    await waitFor(() => readBoard(watcher.doc).tasks.get(inReview)?.status === 'todo', 'the review task to move to the first status');
    expect(readBoard(watcher.doc).tasks.get(inDoing)?.status).toBe('doing');
    const unset = await patch(board.id, board.editToken, { projectStart: '' });
    expect(((await unset.json()) as BoardSettings).projectStart).toBe('');
  });

  it('an invalid PATCH is 400 with every problem, and nothing is written', async () => {
    const board = await createBoard(server.url, 'Strict');
    const watcher = await client(board.id, board.editToken);
    const before = Y.encodeStateVector(watcher.doc);
    const res = await patch(board.id, board.editToken, {
      title: 'Would be fine',
      projectStart: '2026-02-30',
      workingDays: [],
      holidays: ['tomorrow'],
      statuses: [
        { key: 'a', label: 'A' },
        { key: 'a', label: 'Again' },
      ],
      wipLimits: { nope: 0 },
      viewersMayComment: 'yes',
      colour: 'blue',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; problems: { field: string; message: string }[] };
    expect(body.error).toMatch(/nothing was changed/);
    const fields = body.problems.map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining(['projectStart', 'workingDays', 'holidays[0]', 'statuses[1].key', 'wipLimits.nope', 'viewersMayComment', 'colour']),
    );
    // WIP limits must name a status the board has (after the patch).
    const unknown = await patch(board.id, board.editToken, { wipLimits: { review: 2 } });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { problems: { field: string }[] }).problems).toEqual([expect.objectContaining({ field: 'wipLimits.review' })]);
    expect((await patch(board.id, board.editToken, { title: '   ' })).status).toBe(400);
    expect((await patch(board.id, board.editToken, 'not json')).status).toBe(400);
    expect((await patch(board.id, board.editToken, '[1]')).status).toBe(400);
    expect((await patch(board.id, board.editToken, 'title=x', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await patch(board.id, board.editToken, '{"title":"x"}', 'text/plain')).status).toBe(415);
    await sleep(100);
    // Nothing reached the document (no new update at all) or the registry.
    expect(Buffer.from(Y.encodeStateVector(watcher.doc)).equals(Buffer.from(before))).toBe(true);
    expect(await (await getSettings(board.id, board.viewToken)).json()).toMatchObject({ title: 'Strict', workingDays: [1, 2, 3, 4, 5], holidays: [] });
  });

  it('a view token gets 403 on PATCH and DELETE, and the board is unchanged', async () => {
    const board = await createBoard(server.url, 'Read only');
    const res = await patch(board.id, board.viewToken, { title: 'Hijacked' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/view-only/);
    expect((await del(board.id, board.viewToken, board.id)).status).toBe(403);
    expect(await (await getSettings(board.id, board.viewToken)).json()).toMatchObject({ title: 'Read only' });
    expect((await fetch(api(board.id, '', board.viewToken))).status).toBe(200);
  });

  it('DELETE needs the confirmation header naming the board', async () => {
    const board = await createBoard(server.url, 'Keep me');
    for (const confirm of [undefined, '', 'Keep me', board.id.toUpperCase()]) {
      const res = await del(board.id, board.editToken, confirm);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/X-Confirm-Delete/);
    }
    expect((await fetch(api(board.id, '', board.editToken))).status).toBe(200);
  });

  it('DELETE closes every connection with 4404, then the board is gone from every path, and stays gone after a restart', async () => {
    const board = await createBoard(server.url, 'Doomed');
    const editor = await client(board.id, board.editToken);
    const viewer = await client(board.id, board.viewToken);
    createTask(editor.doc, { title: 'work in progress' });
    await waitFor(() => readBoard(viewer.doc).tasks.size === 1, 'the viewer to see the task');
    const closed = (c: TestClient) => new Promise<{ code: number; reason: string }>((resolve) => c.provider.once('closed', resolve));
    const editorClosed = closed(editor);
    const viewerClosed = closed(viewer);

    const res = await del(board.id, board.editToken, board.id);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(await editorClosed).toEqual({ code: CloseCode.boardDeleted, reason: 'board deleted' });
    expect(await viewerClosed).toEqual({ code: CloseCode.boardDeleted, reason: 'board deleted' });
    // The stock provider treats 44xx as final: it does not reconnect (and so cannot recreate the board).
    await sleep(700);
    expect(editor.closeCodes).toEqual([CloseCode.boardDeleted]);
    expect(editor.provider.shouldConnect).toBe(false);

    const gone = async () => {
      for (const route of ['', '/settings', '/schedule', '/export?format=csv']) {
        const sep = route.includes('?') ? '&' : '?';
        const r = await fetch(`${server.url}/api/boards/${board.id}${route}${sep}token=${encodeURIComponent(board.editToken)}`);
        expect(r.status, route).toBe(404);
      }
      expect((await patch(board.id, board.editToken, { title: 'Back?' })).status).toBe(404);
      expect((await del(board.id, board.editToken, board.id)).status).toBe(404);
      expect(await upgradeStatus(`${server.wsUrl}/${board.id}?token=${encodeURIComponent(board.editToken)}`)).toBe(404);
    };
    await gone();

    // A client that reconnects on its own (e.g. it was offline) with its copy is refused too.
    const late = connectClient(server.wsUrl, board.id, board.editToken, { doc: editor.doc });
    clients.push(late);
    await sleep(500);
    expect(late.provider.synced).toBe(false);

    await server.close();
    server = await startTestServer({ dataDir });
    await gone();
  });

  it('a PATCH racing a DELETE never recreates the board', async () => {
    const board = await createBoard(server.url, 'Race');
    const watcher = await client(board.id, board.editToken);
    const [patched, deleted] = await Promise.all([patch(board.id, board.editToken, { title: 'Renamed' }), del(board.id, board.editToken, board.id)]);
    expect([200, 404, 503]).toContain(patched.status);
    expect(deleted.status).toBe(204);
    await waitFor(() => watcher.closeCodes.includes(CloseCode.boardDeleted), 'the 4404 close');
    expect((await getSettings(board.id, board.editToken)).status).toBe(404);
  });
});
