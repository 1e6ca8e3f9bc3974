import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import type { CreateBoardResponse } from '../../shared/protocol/api.ts';
import { connectClient, openRawSocket, sleep, waitFor, type TestClient } from '../helpers/clients.ts';
import { createBoard, startTestServer } from '../helpers/server.ts';
import { trackResources } from '../helpers/resources.ts';

/** An awareness frame (message type 1) with the given entries. */
function awarenessFrame(...entries: Array<{ id: number; clock: number; state: object | null }>): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(inner, e.id);
    encoding.writeVarUint(inner, e.clock);
    encoding.writeVarString(inner, JSON.stringify(e.state));
  }
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, 1);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

type Presence = { user?: { name?: string } } | undefined;
const nameOf = (c: TestClient, id: number) => (c.provider.awareness.getStates().get(id) as Presence)?.user?.name;

describe('awareness: a connection may only set or remove the client ids it announced', () => {
  const { servers, clients, sockets, cleanup } = trackResources();
  afterAll(cleanup);
  const setup = async (tuning = {}) => {
    const server = await startTestServer({ tuning });
    servers.push(server);
    const board = await createBoard(server.url);
    const client = (token: string) => {
      const c = connectClient(server.wsUrl, board.id, token);
      clients.push(c);
      return c;
    };
    const raw = async (token: string, opts?: WebSocket.ClientOptions) => {
      const r = await openRawSocket(`${server.wsUrl}/${board.id}?token=${token}`, opts);
      sockets.push(r);
      await waitFor(() => r.frames.length > 0, 'joined');
      return r;
    };
    return { server, board, client, raw };
  };

  it.each(['view', 'edit'] as const)('a %s connection cannot impersonate, freeze or remove another client\'s presence', async (role) => {
    const { server, board, client, raw } = await setup();
    const ann = client(board.editToken);
    const bob = client(board.viewToken);
    await Promise.all([ann.synced, bob.synced]);
    ann.provider.awareness.setLocalStateField('user', { name: 'Ann' });
    await waitFor(() => nameOf(bob, ann.doc.clientID) === 'Ann', 'bob sees Ann');

    const token = role === 'view' ? board.viewToken : (board as CreateBoardResponse).editToken;
    const mallory = await raw(token);
    const serverId = server.server.rooms.peek(board.id)!.awareness.clientID;
    const big = Number.MAX_SAFE_INTEGER - 10;
    mallory.ws.send(awarenessFrame({ id: ann.doc.clientID, clock: big, state: { user: { name: 'Mallory as Ann' } } }));
    mallory.ws.send(awarenessFrame({ id: ann.doc.clientID, clock: big + 1, state: null }));
    mallory.ws.send(awarenessFrame({ id: serverId, clock: 5, state: { user: { name: 'ghost of the server' } } }));
    // Its own id is fine, and arrives after the frames above (one connection's frames are handled in order).
    mallory.ws.send(awarenessFrame({ id: 31337, clock: 1, state: { user: { name: 'Mallory' } } }));
    await waitFor(() => nameOf(bob, 31337) === 'Mallory', 'bob sees Mallory as herself');

    expect(nameOf(bob, ann.doc.clientID)).toBe('Ann');
    expect(nameOf(ann, ann.doc.clientID)).toBe('Ann');
    expect(bob.provider.awareness.getStates().has(serverId)).toBe(false);
    expect(server.server.metrics.get('planvas_awareness_entries_dropped_total')).toBeGreaterThanOrEqual(3);
    // Ann is not frozen: her next change still reaches Bob.
    ann.provider.awareness.setLocalStateField('user', { name: 'Ann 2' });
    await waitFor(() => nameOf(bob, ann.doc.clientID) === 'Ann 2', 'Ann still updates');
    // Ann answers the liveness probe her claimed id triggered, so she stays connected.
    await sleep(50);
    expect(ann.provider.wsconnected).toBe(true);
    // Mallory stays connected (a claim can be an honest reconnect race) and can remove her own state.
    mallory.ws.send(awarenessFrame({ id: 31337, clock: 2, state: null }));
    await waitFor(() => !bob.provider.awareness.getStates().has(31337), 'Mallory removed herself');
  });

  it('a reconnect while the old socket is half-open: the stale owner is probed, cut off, and the new connection takes the id', async () => {
    const { board, client, raw } = await setup({ probeTimeoutMs: 200 });
    const bob = client(board.viewToken);
    await bob.synced;
    // The old connection stopped answering (a laptop that lost Wi-Fi): it never sends a pong.
    const stale = await raw(board.editToken, { autoPong: false });
    stale.ws.send(awarenessFrame({ id: 4242, clock: 1, state: { user: { name: 'old socket' } } }));
    await waitFor(() => nameOf(bob, 4242) === 'old socket', 'bob sees the old socket');

    const fresh = await raw(board.editToken);
    fresh.ws.send(awarenessFrame({ id: 4242, clock: 2, state: { user: { name: 'new socket' } } }));
    const closed = await stale.closed;
    expect(closed.code).toBe(1006); // terminated
    await waitFor(() => !bob.provider.awareness.getStates().has(4242), 'the old state is removed');
    // The client's next awareness update (it renews every 15 s, or on any change) is accepted.
    fresh.ws.send(awarenessFrame({ id: 4242, clock: 10, state: { user: { name: 'new socket' } } }));
    await waitFor(() => nameOf(bob, 4242) === 'new socket', 'the new connection owns the id');
  });
});
