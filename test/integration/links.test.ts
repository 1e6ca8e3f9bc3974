import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newId } from '../../shared/ids.ts';
import type { BoardInfoResponse, CreateBoardResponse } from '../../shared/protocol/api.ts';
import type { MintLinkResponse, ResetLinkResponse } from '../../shared/protocol/links.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import { connectClient, upgradeStatus, waitFor, type TestClient } from '../helpers/clients.ts';
import { upgradeRefusal } from '../helpers/links.ts';
import { boardApiUrl, createBoard, startTestServer, TEST_SECRET, type TestServer } from '../helpers/server.ts';

/** A v1 token, as boards created before link reset handed out (still valid as generation 0). */
function signV1(boardId: string, role: 'edit' | 'view'): string {
  return `${role === 'edit' ? 'e' : 'v'}1.${createHmac('sha256', TEST_SECRET).update(`planvas/token/v1\0${boardId}\0${role}`).digest('base64url')}`;
}

describe('links: expiry and reset', () => {
  let server: TestServer;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.close();
  });

  const ws = (id: string, token: string) => `${server.wsUrl}/${id}?token=${encodeURIComponent(token)}`;
  const info = (id: string, token: string) => fetch(boardApiUrl(server.url, id, '', token));
  const post = (id: string, route: string, token: string, body: unknown) =>
    fetch(boardApiUrl(server.url, id, route), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const connect = async (id: string, token: string) => {
    const client = connectClient(server.wsUrl, id, token);
    clients.push(client);
    await client.synced;
    return client;
  };
  const addTask = (client: TestClient, title: string) => client.doc.getMap('tasks').set(newId(), new Y.Map([['title', title]]));
  const hasTask = (client: TestClient, title: string) => [...client.doc.getMap<Y.Map<unknown>>('tasks').values()].some((t) => t.get('title') === title);

  it('new boards hand out v2 links of generation 0 without expiry', async () => {
    const board = await createBoard(server.url);
    expect(board.editToken).toMatch(/^e2\.0\.\./);
    expect(board.viewToken).toMatch(/^v2\.0\.\./);
  });

  it('an expiring link opens the board until it expires, then is refused with reason "expired" for REST and WebSocket', async () => {
    const board = await createBoard(server.url);
    const res = await post(board.id, 'links', board.editToken, { role: 'view', expiresInSeconds: 1 });
    expect(res.status).toBe(201);
    const link = (await res.json()) as MintLinkResponse;
    expect(link.role).toBe('view');
    expect(link.url).toBe(`${server.url}/b/${board.id}?token=${encodeURIComponent(link.token)}`);
    const expiresAt = Date.parse(link.expiresAt ?? '');
    expect(expiresAt).toBeGreaterThan(Date.now());
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 2000);

    // Works while valid: REST, the calendar feed and a live connection (closed at expiry).
    expect(((await (await info(board.id, link.token)).json()) as BoardInfoResponse).role).toBe('view');
    expect((await fetch(boardApiUrl(server.url, board.id, 'calendar.ics', link.token))).status).toBe(200);
    const live = await connect(board.id, link.token);

    await waitFor(async () => (await info(board.id, link.token)).status === 403, 'the link to expire', 10_000, 100);
    expect(await (await info(board.id, link.token)).json()).toEqual({ error: 'link expired', reason: 'expired' });
    const ics = await fetch(boardApiUrl(server.url, board.id, 'calendar.ics', link.token));
    expect(ics.status).toBe(403);
    expect(await ics.json()).toEqual({ error: 'link expired', reason: 'expired' });
    expect(await upgradeRefusal(ws(board.id, link.token))).toEqual({ status: 403, body: { error: 'link expired', reason: 'expired' } });
    await waitFor(() => live.closeCodes.includes(CloseCode.linkRevoked), 'the open connection to be closed at expiry', 10_000);

    // The board's own links are unaffected.
    expect((await info(board.id, board.viewToken)).status).toBe(200);
    expect(await upgradeStatus(ws(board.id, board.editToken))).toBe(101);
  });

  it('resetting the edit link: old token refused for new connections and REST, open ones closed 4401, view link unaffected, new token works', async () => {
    const board = await createBoard(server.url);
    const legacyEdit = signV1(board.id, 'edit');
    expect((await info(board.id, legacyEdit)).status).toBe(200); // v1 links keep working until a reset

    const oldEditor = await connect(board.id, board.editToken);
    const legacyEditor = await connect(board.id, legacyEdit);
    const viewer = await connect(board.id, board.viewToken);

    const res = await post(board.id, 'links/reset', board.editToken, { role: 'edit' });
    expect(res.status).toBe(200);
    const reset = (await res.json()) as ResetLinkResponse;
    expect(reset).toMatchObject({ role: 'edit', generation: 1 });
    expect(reset.token).toMatch(/^e2\.1\.\./);
    expect(reset.url).toBe(`${server.url}/b/${board.id}?token=${encodeURIComponent(reset.token)}`);

    await waitFor(() => oldEditor.closeCodes.includes(CloseCode.linkRevoked), 'the old edit connection to close with 4401', 10_000);
    await waitFor(() => legacyEditor.closeCodes.includes(CloseCode.linkRevoked), 'the v1 edit connection to close with 4401', 10_000);

    for (const old of [board.editToken, legacyEdit]) {
      expect(await upgradeRefusal(ws(board.id, old))).toEqual({ status: 403, body: { error: 'link revoked', reason: 'revoked' } });
      const rest = await info(board.id, old);
      expect(rest.status).toBe(403);
      expect(await rest.json()).toEqual({ error: 'link revoked', reason: 'revoked' });
      expect((await fetch(boardApiUrl(server.url, board.id, 'schedule', old))).status).toBe(403);
      expect((await post(board.id, 'links/reset', old, { role: 'edit' })).status).toBe(403);
    }

    // The new edit link works, and its edits reach the viewer, whose connection stayed open.
    expect(((await (await info(board.id, reset.token)).json()) as BoardInfoResponse).role).toBe('edit');
    const newEditor = await connect(board.id, reset.token);
    addTask(newEditor, 'after the reset');
    await waitFor(() => hasTask(viewer, 'after the reset'), 'the new editor\'s edit to reach the viewer', 10_000);
    expect(viewer.closeCodes).toEqual([]);
    expect(viewer.provider.wsconnected).toBe(true);
    expect((await info(board.id, board.viewToken)).status).toBe(200);
  });

  it('resetting the view link revokes the old view link only; the edit token learns the new one', async () => {
    const board = await createBoard(server.url);
    const viewer = await connect(board.id, board.viewToken);
    const editor = await connect(board.id, board.editToken);
    const res = await post(board.id, 'links/reset', board.editToken, { role: 'view' });
    expect(res.status).toBe(200);
    const reset = (await res.json()) as ResetLinkResponse;
    expect(reset).toMatchObject({ role: 'view', generation: 1 });
    await waitFor(() => viewer.closeCodes.includes(CloseCode.linkRevoked), 'the old view connection to close with 4401', 10_000);
    expect(await upgradeRefusal(ws(board.id, board.viewToken))).toEqual({ status: 403, body: { error: 'link revoked', reason: 'revoked' } });
    expect(await upgradeStatus(ws(board.id, reset.token))).toBe(101);
    expect(((await (await info(board.id, board.editToken)).json()) as BoardInfoResponse).viewToken).toBe(reset.token);
    expect(editor.closeCodes).toEqual([]);
    // Links minted after the reset are of the new generation.
    const minted = (await (await post(board.id, 'links', board.editToken, { role: 'view', expiresInSeconds: 3600 })).json()) as MintLinkResponse;
    expect(minted.token).toMatch(/^v2\.1\./);
    expect((await info(board.id, minted.token)).status).toBe(200);
  });

  it('a viewer can neither mint nor reset links', async () => {
    const board = await createBoard(server.url);
    for (const [route, body] of [['links', { role: 'view' }], ['links', { role: 'edit' }], ['links/reset', { role: 'view' }], ['links/reset', { role: 'edit' }]] as const) {
      const res = await post(board.id, route, board.viewToken, body);
      expect(res.status, `${route} ${body.role}`).toBe(403);
      expect(((await res.json()) as { error: string }).error).toMatch(/view-only/);
    }
    expect((await info(board.id, board.viewToken)).status).toBe(200); // nothing was reset
    expect((await info(board.id, board.editToken)).status).toBe(200);
  });

  it('an expiring edit link mints links no longer-lived than itself and cannot reset', async () => {
    const board = await createBoard(server.url);
    const shortEdit = (await (await post(board.id, 'links', board.editToken, { role: 'edit', expiresInSeconds: 600 })).json()) as MintLinkResponse;
    const minted = (await (await post(board.id, 'links', shortEdit.token, { role: 'view' })).json()) as MintLinkResponse;
    expect(minted.expiresAt).toBe(shortEdit.expiresAt);
    const longer = (await (await post(board.id, 'links', shortEdit.token, { role: 'edit', expiresInSeconds: 86_400 })).json()) as MintLinkResponse;
    expect(longer.expiresAt).toBe(shortEdit.expiresAt);
    const reset = await post(board.id, 'links/reset', shortEdit.token, { role: 'edit' });
    expect(reset.status).toBe(403);
    expect((await info(board.id, board.editToken)).status).toBe(200);
  });

  it.each([
    ['not JSON', 'links', '{role: edit'],
    ['empty', 'links', ''],
    ['an array', 'links', []],
    ['no role', 'links', {}],
    ['an unknown role', 'links', { role: 'admin' }],
    ['an expiry of 0', 'links', { role: 'view', expiresInSeconds: 0 }],
    ['a negative expiry', 'links', { role: 'view', expiresInSeconds: -5 }],
    ['a fractional expiry', 'links', { role: 'view', expiresInSeconds: 1.5 }],
    ['an expiry over a year', 'links', { role: 'view', expiresInSeconds: 366 * 86_400 }],
    ['an expiry as a string', 'links', { role: 'view', expiresInSeconds: '3600' }],
    ['an unknown field', 'links', { role: 'view', generation: 7 }],
    ['reset: no role', 'links/reset', {}],
    ['reset: an unknown field', 'links/reset', { role: 'edit', expiresInSeconds: 60 }],
    ['reset: not JSON', 'links/reset', 'edit'],
  ])('a bad body is 400 with a message: %s', async (_name, route, body) => {
    const board = await createBoard(server.url);
    const res = await post(board.id, route, board.editToken, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/body/);
    expect((await info(board.id, board.editToken)).status).toBe(200); // nothing was reset
  });

  it('a wrong token is 403 "invalid token" before any lookup, and links of an unknown board are 404 with a signed token', async () => {
    const board: CreateBoardResponse = await createBoard(server.url);
    const unknown = newId();
    for (const id of [board.id, unknown]) {
      const res = await post(id, 'links/reset', `e2.0..${'A'.repeat(43)}`, { role: 'edit' });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: 'invalid token' });
    }
    expect((await post(unknown, 'links', board.editToken, { role: 'view' })).status).toBe(403); // another board's token
    expect((await post(board.id, 'links', '', { role: 'view' })).status).toBe(401);
  });
});
