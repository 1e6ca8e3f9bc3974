import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { createTask, moveShapes } from '../../shared/doc/ops.ts';
import { MessageType, SyncMessageType } from '../../shared/protocol/wire.ts';
import { encodeSyncStep1, encodeSyncUpdate } from '../../server/sync/frames.ts';
import { openRawSocket, sameState, sleep, waitFor, type RawSocket } from '../helpers/clients.ts';
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts';
import { serverSuite } from '../helpers/suite.ts';

/**
 * Edits that reach a board in the same turn are relayed as one merged update to every peer
 * that sent none of them (server/sync/batchRelay.ts): fewer frames, the same document. A
 * sender still gets the others' edits and never its own.
 */

/** A raw y-websocket client with its own Y.Doc: it applies every update frame it gets and records them. */
interface RawPeer {
  socket: RawSocket;
  doc: Y.Doc;
  /** Updates received in sync-update frames (not the step 2 of the handshake), in order. */
  updates: Uint8Array[];
  send(update: Uint8Array): void;
}

async function rawPeer(server: TestServer, boardId: string, token: string): Promise<RawPeer> {
  const socket = await openRawSocket(`${server.wsUrl}/${boardId}?token=${encodeURIComponent(token)}`);
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  let synced = false;
  socket.ws.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(d) !== MessageType.sync) return;
    const syncType = decoding.readVarUint(d);
    const payload = decoding.readVarUint8Array(d);
    if (syncType === SyncMessageType.step1) return;
    Y.applyUpdate(doc, payload, 'server');
    if (syncType === SyncMessageType.step2) synced = true;
    else updates.push(payload);
  });
  socket.ws.send(encodeSyncStep1(Y.encodeStateVector(doc)));
  await waitFor(() => synced, 'the handshake');
  return {
    socket,
    doc,
    updates,
    send: (update) => socket.ws.send(encodeSyncUpdate(update)),
  };
}

/** Makes an edit on the peer's doc and returns its update (not sent). */
function editOf(peer: RawPeer, edit: (doc: Y.Doc) => void): Uint8Array {
  let update: Uint8Array | null = null;
  const grab = (u: Uint8Array, origin: unknown) => {
    if (origin !== 'server') update = u;
  };
  peer.doc.on('update', grab);
  edit(peer.doc);
  peer.doc.off('update', grab);
  if (!update) throw new Error('the edit changed nothing');
  return update;
}

/** Client ids whose structs or deletions an update carries. */
function clientsIn(update: Uint8Array): Set<number> {
  const { structs, ds } = Y.decodeUpdate(update);
  return new Set([...structs.map((s) => s.id.client), ...ds.clients.keys()]);
}

describe('a board relays edits that arrive together as one merged update', () => {
  let server: TestServer;
  const { dataDir, connect } = serverSuite(() => server);

  beforeAll(async () => {
    server = await startTestServer({ dataDir });
  });

  it('bystanders (an editor that sends nothing, a viewer, a stock client) get fewer frames than edits and the same document; senders never get their own', async () => {
    const board = await createBoard(server.url, 'Coalescing');
    const editors = await Promise.all(Array.from({ length: 5 }, () => rawPeer(server, board.id, board.editToken)));
    // Enough bystanders that merging pays (batchRelay.ts: MERGE_COST_IN_FRAMES).
    const [quietEditor, ...moreQuiet] = await Promise.all(Array.from({ length: 4 }, () => rawPeer(server, board.id, board.editToken)));
    const viewer = await rawPeer(server, board.id, board.viewToken);
    const stockViewer = connect(board.id, board.viewToken);
    await stockViewer.synced;
    const sockets = [...editors, quietEditor!, ...moreQuiet, viewer];

    // Each editor creates its task; everyone has all five before the measured rounds.
    const taskIds = editors.map((peer) => {
      let id = '';
      peer.send(editOf(peer, (doc) => (id = createTask(doc, { title: `task ${peer.doc.clientID}`, x: 0, y: 0 }))));
      return id;
    });
    await waitFor(() => sockets.every((p) => p.doc.getMap('tasks').size === 5), 'every task everywhere');
    for (const p of sockets) p.updates.length = 0;

    // Rounds of edits sent in one synchronous loop: they reach the server in the same turn.
    const rounds = 20;
    for (let r = 1; r <= rounds; r++) {
      const round = editors.map((peer, i) => editOf(peer, (doc) => moveShapes(doc, [{ id: taskIds[i]!, x: r, y: i }])));
      editors.forEach((peer, i) => peer.send(round[i]!));
      await sleep(15);
    }
    const edits = rounds * editors.length;

    const truth = new Y.Doc();
    for (const peer of editors) Y.applyUpdate(truth, Y.encodeStateAsUpdate(peer.doc));
    await waitFor(() => [...sockets.map((p) => p.doc), stockViewer.doc].every((doc) => sameState(doc, truth)), 'every client converged');
    for (const doc of [...sockets.map((p) => p.doc), stockViewer.doc]) {
      expect((doc.getMap('tasks').get(taskIds[4]!) as Y.Map<unknown>).get('x')).toBe(rounds);
    }

    // Merged: the bystanders got fewer frames than there were edits (each frame carries several).
    expect(quietEditor!.updates.length).toBeLessThan(edits);
    expect(viewer.updates.length).toBeLessThan(edits);
    expect(quietEditor!.updates.some((u) => clientsIn(u).size > 1)).toBe(true);
    expect(viewer.updates.some((u) => clientsIn(u).size > 1)).toBe(true);

    // Senders: every other editor's edits arrived, none of their own ever came back.
    for (const peer of editors) {
      for (const update of peer.updates) expect(clientsIn(update).has(peer.doc.clientID)).toBe(false);
      const from = new Set(peer.updates.flatMap((u) => [...clientsIn(u)]));
      for (const other of editors) if (other !== peer) expect(from.has(other.doc.clientID)).toBe(true);
    }
    for (const p of sockets) p.socket.ws.close();
    for (const p of sockets) await p.socket.closed;
  });

  it('one edit alone is relayed as it was sent, one frame to every other peer', async () => {
    const board = await createBoard(server.url, 'Single');
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => rawPeer(server, board.id, board.editToken)));
    let id = '';
    const update = editOf(a!, (doc) => (id = createTask(doc, { title: 'alone', x: 1, y: 1 })));
    a!.send(update);
    await waitFor(() => b!.doc.getMap('tasks').has(id) && c!.doc.getMap('tasks').has(id), 'the edit relayed');
    await sleep(30);
    for (const p of [b!, c!]) {
      expect(p.updates).toHaveLength(1);
      expect(clientsIn(p.updates[0]!)).toEqual(new Set([a!.doc.clientID]));
    }
    expect(a!.updates).toHaveLength(0);
    for (const p of [a!, b!, c!]) p.socket.ws.close();
  });
});
