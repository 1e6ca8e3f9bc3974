import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateBoardResponse } from '../../shared/protocol/api.ts';
import { CloseCode, MessageType } from '../../shared/protocol/wire.ts';
import { connectClient, openRawSocket, sleep, waitFor, type TestClient } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** The room's own limits: the board size limit (4413) and coalesced presence. */
describe('room limits', () => {
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  const start = async (config: Parameters<typeof startTestServer>[0] = {}) => {
    const server = await startTestServer(config);
    servers.push(server);
    const res = await fetch(`${server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Limits' }) });
    const board = (await res.json()) as CreateBoardResponse;
    return { server, board };
  };
  const client = (server: TestServer, board: CreateBoardResponse) => {
    const c = connectClient(server.wsUrl, board.id, board.editToken);
    clients.push(c);
    return c;
  };

  it('an edit that would grow the board past maxDocBytes is refused with 4413 and not stored or relayed; smaller boards are untouched', async () => {
    const { server, board } = await start({ config: { maxDocBytes: 64 * 1024 } });
    const writer = client(server, board);
    const reader = client(server, board);
    await Promise.all([writer.synced, reader.synced]);
    writer.doc.getMap('notes').set('small', 'fits');
    await waitFor(() => reader.doc.getMap('notes').get('small') === 'fits', 'small edit relayed');
    writer.doc.getMap('notes').set('huge', 'x'.repeat(100 * 1024));
    await waitFor(() => writer.closeCodes.includes(CloseCode.boardTooLarge), 'writer closed with 4413');
    await sleep(200);
    expect(reader.doc.getMap('notes').get('huge')).toBeUndefined();
    expect(reader.closeCodes).toEqual([]);
    // Stored state: the huge edit is not in it (a fresh client does not get it).
    const fresh = client(server, board);
    await fresh.synced;
    expect(fresh.doc.getMap('notes').get('small')).toBe('fits');
    expect(fresh.doc.getMap('notes').get('huge')).toBeUndefined();
  });

  it('presence is coalesced: 200 cursor moves in a burst reach a watcher as a few frames ending in the last position', async () => {
    const { server, board } = await start({ config: { awarenessFlushMs: 50 } });
    const mover = client(server, board);
    await mover.synced;
    const watcher = await openRawSocket(`${server.wsUrl}/${board.id}?token=${board.editToken}`);
    await sleep(300);
    const awarenessFrames = () => watcher.frames.filter((f) => decoding.readVarUint(decoding.createDecoder(f)) === MessageType.awareness).length;
    const before = awarenessFrames();
    for (let i = 1; i <= 200; i++) mover.provider.awareness.setLocalStateField('cursor', { x: i, y: i });
    await sleep(400);
    const received = awarenessFrames() - before;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(3);
    // And the position that arrived is the last one (checked through a second stock client).
    const viewer = client(server, board);
    await waitFor(() => [...viewer.provider.awareness.getStates().values()].some((s) => (s as { cursor?: { x: number } }).cursor?.x === 200), 'last position seen');
    watcher.ws.close();
  });
});
