import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.ts';
import type { CreateBoardResponse } from '../../shared/protocol/api.ts';
import { signToken } from '../../server/auth/tokens.ts';
import { upgradeStatus } from '../helpers/clients.ts';
import { createBoard, startTestServer, TEST_SECRET, type TestServer } from '../helpers/server.ts';

/** Sends a raw upgrade request (paths a WebSocket client library would normalise) and returns the status line. */
function rawUpgrade(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      );
    });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('end', () => resolve(data.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

describe('WebSocket upgrades are refused with a proper HTTP status', () => {
  let server: TestServer;
  let board: CreateBoardResponse;
  let other: CreateBoardResponse;
  const ws = (path: string) => `ws://127.0.0.1:${server.port}${path}`;

  beforeAll(async () => {
    server = await startTestServer();
    board = await createBoard(server.url);
    other = await createBoard(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('accepts the edit and the view token of the board', async () => {
    expect(await upgradeStatus(ws(`/ws/${board.id}?token=${board.editToken}`))).toBe(101);
    expect(await upgradeStatus(ws(`/ws/${board.id}?token=${board.viewToken}`))).toBe(101);
  });

  it.each([
    ['no token', () => `/ws/${board.id}`, 401],
    ['an empty token', () => `/ws/${board.id}?token=`, 401],
    ['a wrong token', () => `/ws/${board.id}?token=e1.${'A'.repeat(43)}`, 403],
    ['a tampered token (role letter flipped)', () => `/ws/${board.id}?token=${board.viewToken.replace(/^v/, 'e')}`, 403],
    ['the view token of another board', () => `/ws/${board.id}?token=${other.viewToken}`, 403],
    ['the edit token of another board', () => `/ws/${board.id}?token=${other.editToken}`, 403],
    ['a malformed id', () => `/ws/not-an-id?token=${board.editToken}`, 404],
    ['an unknown id (validly signed token)', () => { const id = newId(); return `/ws/${id}?token=${signToken(TEST_SECRET, id, 'edit')}`; }, 404],
    ['an unknown id with another board\'s token (same answer as for an existing board)', () => `/ws/${newId()}?token=${board.editToken}`, 403],
    ['an overlong id', () => `/ws/${board.id}x?token=${board.editToken}`, 404],
    ['an id with a non-ASCII letter', () => `/ws/${board.id.slice(0, 20)}%C3%A9?token=${board.editToken}`, 404],
    ['a token far too long', () => `/ws/${board.id}?token=e1.${'A'.repeat(5000)}`, 403],
    ['a path outside /ws/', () => `/api/boards?token=${board.editToken}`, 404],
    ['a trailing slash', () => `/ws/${board.id}/?token=${board.editToken}`, 404],
  ] as const)('%s -> %i', async (_name, path, status) => {
    expect(await upgradeStatus(ws(path()))).toBe(status);
  });

  it.each([
    ['dot segments', () => `/ws/../ws/${board.id}?token=${board.editToken}`],
    ['an encoded slash', () => `/ws/${board.id.slice(0, 10)}%2F${board.id.slice(11)}?token=${board.editToken}`],
    ['an encoded dot segment', () => `/ws/%2e%2e/${board.id}?token=${board.editToken}`],
    ['a NUL byte', () => `/ws/${board.id}%00?token=${board.editToken}`],
    ['an absolute-form target', () => `http://evil/ws/${board.id}?token=${board.editToken}`],
    ['a backslash', () => `/ws/..\\${board.id}?token=${board.editToken}`],
    ['a doubled slash', () => `/ws//${board.id}?token=${board.editToken}`],
  ] as const)('path tricks are 404: %s', async (_name, target) => {
    expect(await rawUpgrade(server.port, target())).toMatch(/^HTTP\/1\.1 404 /);
  });

  it('raw UTF-8 in the request target is refused by the HTTP parser (400) before any routing', async () => {
    expect(await rawUpgrade(server.port, `/ws/${board.id.slice(0, 19)}é?token=${board.editToken}`)).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('counts refusals and keeps serving', async () => {
    expect(server.server.metrics.get('planvas_upgrades_refused_total')).toBeGreaterThan(0);
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  });
});
