import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { encodeSyncUpdate } from '../../server/sync/frames.ts';
import { connectClient, openRawSocket, waitFor } from '../helpers/clients.ts';
import { createBoard } from '../helpers/server.ts';
import { trackResources } from '../helpers/resources.ts';

/** Listener count of a lib0 Observable (Y.Doc, Awareness): its private `_observers` map. */
function observerCount(target: object, event: string): number {
  return (target as { _observers: Map<string, Set<unknown>> })._observers.get(event)?.size ?? 0;
}

describe('connection and memory hygiene', () => {
  const opened = trackResources();
  const { sockets, client } = opened;
  afterAll(opened.cleanup);
  const start = (tuning = {}) => opened.start({ tuning });

  it('a peer that stops answering pings is terminated by the heartbeat; live peers stay', async () => {
    const s = await start({ heartbeatMs: 100 });
    const board = await createBoard(s.url);
    const live = client(s, board.id, board.editToken);
    await live.synced;
    const dead = await openRawSocket(`${s.wsUrl}/${board.id}?token=${board.editToken}`, { autoPong: false });
    sockets.push(dead);
    const closed = await dead.closed;
    expect(closed.code).toBe(1006);
    await waitFor(() => s.server.metrics.get('planvas_open_connections') === 1, 'only the live peer left');
    expect(live.provider.wsconnected).toBe(true);
    expect(live.closeCodes).toEqual([]);
  });

  it('a slow consumer is cut off once its send buffer passes the bound; the others keep syncing', async () => {
    const s = await start({ maxBufferedBytes: 256 * 1024 });
    const board = await createBoard(s.url);
    const writer = client(s, board.id, board.editToken);
    const reader = client(s, board.id, board.viewToken);
    await Promise.all([writer.synced, reader.synced]);
    const slow = await openRawSocket(`${s.wsUrl}/${board.id}?token=${board.viewToken}`);
    sockets.push(slow);
    await waitFor(() => slow.frames.length > 0, 'joined');
    // Stop reading: the kernel buffers fill, then ws buffers in our process.
    (slow.ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
    // 100 kB edits, one at a time, until the server gives up on the slow peer (kernel buffers
    // on loopback hold a few MB first).
    for (let i = 0; i < 200 && s.server.metrics.get('planvas_slow_consumers_total') === 0; i++) {
      writer.doc.getMap('notes').set(`blob-${i}`, 'y'.repeat(100_000));
      await waitFor(() => reader.doc.getMap('notes').has(`blob-${i}`), 'relayed', 10_000);
    }
    expect(s.server.metrics.get('planvas_slow_consumers_total')).toBe(1);
    await waitFor(() => s.server.metrics.get('planvas_open_connections') === 2, 'slow peer gone');
    const last = createTask(writer.doc, { title: 'after the cut' });
    await waitFor(() => readBoard(reader.doc).tasks.has(last), 'others keep syncing');
  });

  it('connections come and go without leaking listeners; the room unloads after the last one', async () => {
    const s = await start();
    const board = await createBoard(s.url);
    const anchor = client(s, board.id, board.editToken);
    await anchor.synced;
    const room = s.server.rooms.peek(board.id)!;
    const counts = () => [observerCount(room.doc, 'update'), observerCount(room.awareness, 'update'), observerCount(room.awareness, 'change')];
    const before = counts();
    for (let i = 0; i < 20; i++) {
      const c = connectClient(s.wsUrl, board.id, i % 2 ? board.viewToken : board.editToken);
      await c.synced;
      c.provider.awareness.setLocalStateField('user', { name: `guest ${i}` });
      await waitFor(() => anchor.provider.awareness.getStates().has(c.doc.clientID), 'presence relayed');
      c.destroy();
      await waitFor(() => !anchor.provider.awareness.getStates().has(c.doc.clientID), 'presence removed');
    }
    expect(counts()).toEqual(before);
    expect(room.memberCount).toBe(1);
    expect(s.server.metrics.get('planvas_open_connections')).toBe(1);
    anchor.destroy();
    await waitFor(() => s.server.rooms.size === 0, 'room unloaded');
    expect(s.server.metrics.get('planvas_open_rooms')).toBe(0);
    expect(s.server.metrics.get('planvas_open_connections')).toBe(0);
    expect(room.doc.isDestroyed).toBe(true);
  });

  it('updates that reached the server before their socket reset are stored and relayed, and the room moves on', async () => {
    const s = await start();
    const board = await createBoard(s.url);
    const reader = client(s, board.id, board.viewToken);
    await reader.synced;
    const raw = await openRawSocket(`${s.wsUrl}/${board.id}?token=${board.editToken}`);
    await waitFor(() => raw.frames.length > 0, 'joined');
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 50; i++) doc.getMap('notes').set(`n${i}`, i);
    for (const u of updates) raw.ws.send(encodeSyncUpdate(u));
    raw.ws.terminate();
    await waitFor(() => s.server.rooms.peek(board.id)?.memberCount === 1, 'raw socket left');
    const stored = s.server.metrics.get('planvas_updates_stored_total');
    expect(stored).toBeGreaterThan(0);
    // Every update that was stored reached the other peer (in order, so as one prefix of the 50).
    await waitFor(() => reader.doc.getMap('notes').size === stored, 'stored updates relayed');
    expect([...reader.doc.getMap('notes').keys()].sort()).toEqual(Array.from({ length: stored }, (_, i) => `n${i}`).sort());
  });
});
