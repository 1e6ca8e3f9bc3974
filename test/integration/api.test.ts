import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.ts';
import { boardPagePath, type BoardInfoResponse, type CreateBoardResponse } from '../../shared/protocol/api.ts';
import { signToken } from '../../server/auth/tokens.ts';
import { TEST_SECRET, createBoard, makeTempDir, removeTempDir, startTestServer, type TestServer } from '../helpers/server.ts';

describe('REST API', () => {
  let server: TestServer;
  const clientDir = makeTempDir('planvas-client-');

  beforeAll(async () => {
    // A stand-in build, so the static rules are tested without depending on the real client.
    fs.mkdirSync(path.join(clientDir, 'assets'));
    fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Planvas</title>');
    fs.writeFileSync(path.join(clientDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    fs.writeFileSync(path.join(clientDir, 'assets', 'app-abc123.js'), 'console.log(1)');
    server = await startTestServer({ clientDir });
  });
  afterAll(async () => {
    await server?.close();
    removeTempDir(clientDir);
  });

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${server.url}/api/boards`, { method: 'POST', headers, body });

  it('GET /healthz -> 200 JSON', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ ok: true });
  });

  it('POST /api/boards -> 201 with tokens and absolute links', async () => {
    const res = await post(JSON.stringify({ title: '  Q3 plan  ' }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as CreateBoardResponse;
    expect(body.title).toBe('Q3 plan');
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(body.editToken).not.toBe(body.viewToken);
    expect(body.editUrl).toBe(`${server.url}${boardPagePath(body.id, body.editToken)}`);
    expect(body.viewUrl).toBe(`${server.url}${boardPagePath(body.id, body.viewToken)}`);
  });

  it('POST /api/boards without a body or title uses the default title', async () => {
    expect(((await (await post('')).json()) as CreateBoardResponse).title).toBe('Untitled board');
    expect(((await (await post('{}')).json()) as CreateBoardResponse).title).toBe('Untitled board');
  });

  it.each([
    ['bad JSON', '{"title":'],
    ['a non-string title', '{"title":42}'],
    ['a title that is too long', JSON.stringify({ title: 'x'.repeat(501) })],
    ['an array body', '[]'],
  ])('POST /api/boards with %s -> 400 {error}', async (_name, body) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(typeof ((await res.json()) as { error: unknown }).error).toBe('string');
  });

  it('POST /api/boards with a huge body -> 413', async () => {
    const res = await post(JSON.stringify({ title: 'x'.repeat(100_000) }));
    expect(res.status).toBe(413);
  });

  it('GET /api/boards/:id with a token (Bearer or ?token=) -> info with the role', async () => {
    const board = await createBoard(server.url, 'Info');
    const byBearer = await fetch(`${server.url}/api/boards/${board.id}`, { headers: { authorization: `Bearer ${board.viewToken}` } });
    expect(byBearer.status).toBe(200);
    const info = (await byBearer.json()) as BoardInfoResponse;
    expect(info).toMatchObject({ id: board.id, title: 'Info', role: 'view' });
    expect(Number.isNaN(Date.parse(info.createdAt))).toBe(false);
    // A view token never learns another token.
    expect(JSON.stringify(info)).not.toContain(board.editToken);
    expect(info.viewToken).toBeUndefined();
    const byQuery = await fetch(`${server.url}/api/boards/${board.id}?token=${encodeURIComponent(board.editToken)}`);
    const editInfo = (await byQuery.json()) as BoardInfoResponse;
    expect(editInfo.role).toBe('edit');
    // An editor who did not create the board can still hand out the view-only link.
    expect(editInfo.viewToken).toBe(board.viewToken);
  });

  it('GET /api/boards/:id errors: 404 malformed id, 401 no token, 403 wrong token (existing board or not), 404 unknown id with its own valid token', async () => {
    const board = await createBoard(server.url);
    const other = await createBoard(server.url);
    const get = (p: string, token?: string) => fetch(`${server.url}${p}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    expect((await get(`/api/boards/${board.id}`)).status).toBe(401);
    expect((await get(`/api/boards/${board.id}`, other.editToken)).status).toBe(403);
    expect((await get(`/api/boards/${board.id}`, 'garbage')).status).toBe(403);
    // A wrong token cannot tell an unknown board from an existing one.
    expect((await get(`/api/boards/${newId()}`, board.editToken)).status).toBe(403);
    const unknown = newId();
    expect((await get(`/api/boards/${unknown}`, signToken(TEST_SECRET, unknown, 'view'))).status).toBe(404);
    expect((await get(`/api/boards/short`, board.editToken)).status).toBe(404);
    const res = await get(`/api/boards/..%2F..%2Fetc`, board.editToken);
    expect(res.status).toBe(404);
    expect(await res.json()).toHaveProperty('error');
  });

  it('unknown /api routes -> 404 JSON', async () => {
    const res = await fetch(`${server.url}/api/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found' });
  });

  it('serves the client: SPA fallback, cache headers, no traversal', async () => {
    for (const p of ['/', `/b/${newId()}?token=x`]) {
      const res = await fetch(`${server.url}${p}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
    const asset = await fetch(`${server.url}/assets/app-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect((await fetch(`${server.url}/sw.js`)).headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/%2e%2e/package.json`)).status).toBe(404);
  });

  it('GET /metrics -> Prometheus text', async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^planvas_connections_total \d+$/m);
  });
});

describe('REST API behind a proxy', () => {
  it('builds editUrl/viewUrl from PLANVAS_PUBLIC_URL when set', async () => {
    const server = await startTestServer({ publicUrl: 'https://plan.example.com' });
    try {
      const board = await createBoard(server.url);
      expect(board.editUrl).toBe(`https://plan.example.com${boardPagePath(board.id, board.editToken)}`);
      expect(board.viewUrl).toBe(`https://plan.example.com${boardPagePath(board.id, board.viewToken)}`);
    } finally {
      await server.close();
    }
  });
});
