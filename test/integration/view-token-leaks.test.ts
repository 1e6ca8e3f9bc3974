import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../../shared/doc/ops.ts';
import { connectClient, waitFor, type TestClient } from '../helpers/clients.ts';
import { createBoard, makeTempDir, removeTempDir, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * A view-only link must never lead to the edit link: every GET a view token may make is read
 * whole (bodies and headers) and must not contain the edit token, in any encoding a client
 * could turn back into a link.
 */
describe('no route hands the edit token to a view token', () => {
  const dataDir = makeTempDir();
  let server: TestServer;
  let board: Awaited<ReturnType<typeof createBoard>>;
  let editor: TestClient;

  beforeAll(async () => {
    server = await startTestServer({ dataDir });
    board = await createBoard(server.url, 'Leaks');
    editor = connectClient(server.wsUrl, board.id, board.editToken);
    editor.provider.awareness.setLocalStateField('user', { name: 'Ed', color: '#112233', role: 'edit' });
    await editor.synced;
    createTask(editor.doc, { title: 'Visible to viewers', x: 0, y: 0, duration: 2, milestone: false });
    const auth = { authorization: `Bearer ${board.editToken}`, 'content-type': 'application/json' };
    expect((await fetch(`${server.url}/api/boards/${board.id}/versions`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Review' }) })).status).toBe(201);
    expect((await fetch(`${server.url}/api/boards/${board.id}/comments`, { method: 'POST', headers: auth, body: JSON.stringify({ anchor: { kind: 'point', x: 1, y: 1 }, text: 'hi', author: { name: 'Ed', color: '#112233' } }) })).status).toBe(201);
  });
  afterAll(async () => {
    editor?.destroy();
    await server?.close();
    removeTempDir(dataDir);
  });

  it('every GET with the view token, bodies and headers, is free of the edit token', async () => {
    const versionsUrl = `${server.url}/api/boards/${board.id}/versions?token=${encodeURIComponent(board.viewToken)}`;
    await waitFor(async () => ((await (await fetch(versionsUrl)).json()) as unknown[]).length > 0, 'a version');
    const [version] = (await (await fetch(versionsUrl)).json()) as Array<{ id: string }>;
    const routes = [
      '',
      '/comments',
      '/schedule',
      '/export?format=json',
      '/export?format=csv',
      '/export?format=mspdi',
      '/calendar.ics',
      '/settings',
      '/versions',
      `/versions/${version!.id}/state`,
    ];
    const secrets = [board.editToken, encodeURIComponent(board.editToken), Buffer.from(board.editToken).toString('base64')];
    for (const route of routes) {
      const sep = route.includes('?') ? '&' : '?';
      const res = await fetch(`${server.url}/api/boards/${board.id}${route}${sep}token=${encodeURIComponent(board.viewToken)}`);
      expect(res.status, route).toBe(200);
      const body = Buffer.from(await res.arrayBuffer()).toString('latin1');
      const headers = JSON.stringify([...res.headers.entries()]);
      for (const secret of secrets) {
        expect(body.includes(secret), `${route} body`).toBe(false);
        expect(headers.includes(secret), `${route} headers`).toBe(false);
      }
    }
  });
});
