import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { createTask, updateShape } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { MessageType, SyncMessageType } from '../../shared/protocol/wire.ts';
import { openSqliteStore } from '../../server/storage/sqlite.ts';
import { connectClient, openRawSocket, waitFor } from '../helpers/clients.ts';
import { trackResources } from '../helpers/resources.ts';
import { boardApiUrl, createBoard, makeTempDir, removeTempDir, type TestServer } from '../helpers/server.ts';

/**
 * A board loaded from storage: its first fresh join is answered with the stored snapshot
 * itself (no second encoding; sent before the server applies it when the join came during the
 * load), a change after the load is never answered from that stale
 * copy, and a load that found a long log answers the joins queued during the load before it
 * compacts.
 */

/** Opens a raw socket, sends a fresh client's sync step 1 and resolves with the server's step 2 payload. */
async function freshJoinStep2(server: TestServer, boardId: string, token: string): Promise<{ payload: Uint8Array; close(): void }> {
  const socket = await openRawSocket(`${server.wsUrl}/${boardId}?token=${encodeURIComponent(token)}`);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  encoding.writeVarUint(e, SyncMessageType.step1);
  encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
  socket.ws.send(encoding.toUint8Array(e));
  let payload: Uint8Array | null = null;
  await waitFor(() => {
    for (const frame of socket.frames) {
      const d = decoding.createDecoder(frame);
      if (decoding.readVarUint(d) !== MessageType.sync || decoding.readVarUint(d) !== SyncMessageType.step2) continue;
      payload = decoding.readVarUint8Array(d);
      return true;
    }
    return false;
  }, 'the sync step 2');
  return { payload: payload!, close: () => socket.ws.close() };
}

describe('loading a board from storage', () => {
  const dataDir = makeTempDir();
  const opened = trackResources();
  const { clients, client } = opened;
  const start = (compactAfterUpdates = 500) => opened.start({ dataDir, compactAfterUpdates });
  afterAll(async () => {
    await opened.cleanup();
    removeTempDir(dataDir);
  });
  /** A board with `cards` tasks made by a client, then left and unloaded (stored as one snapshot); `lastSeen` is that client's state. */
  const unloadedBoard = async (s: TestServer, title: string, cards: number) => {
    const board = await createBoard(s.url, title);
    const a = client(s, board.id, board.editToken);
    await a.synced;
    for (let i = 0; i < cards; i++) createTask(a.doc, { title: `card ${i} with a title long enough to weigh something` });
    await waitFor(() => s.server.metrics.get('planvas_updates_stored_total') >= cards, 'stored');
    const lastSeen = Y.encodeStateAsUpdate(a.doc);
    a.destroy();
    await waitFor(() => s.server.rooms.size === 0, 'unloaded');
    return { board, lastSeen };
  };

  it('answers the first fresh join with the stored snapshot, and a join after an edit with the edit', async () => {
    const s0 = await start();
    const board = await createBoard(s0.url, 'Cold');
    await s0.close();
    // A snapshot written with the server stopped, as Y.mergeUpdates lays it out: not byte for
    // byte what encoding the loaded document gives, so the answer shows where it came from.
    const store = openSqliteStore(dataDir);
    const before = await store.loadBoardState(board.id);
    const doc = new Y.Doc();
    const parts = [...(before.snapshot ? [before.snapshot] : []), ...before.updates];
    for (const u of parts) Y.applyUpdate(doc, u);
    doc.on('update', (u: Uint8Array) => parts.push(u));
    const first = createTask(doc, { title: 'stored', x: 1 });
    for (let i = 0; i < 5; i++) createTask(doc, { title: `more ${i}` });
    // Overwritten values: the merge keeps them (deleted), the document's encoding has them collected.
    for (let i = 2; i <= 6; i++) updateShape(doc, first, { x: i });
    const snapshot = Y.mergeUpdates(parts);
    expect(Buffer.from(snapshot).equals(Buffer.from(Y.encodeStateAsUpdate(doc)))).toBe(false);
    await store.compact(board.id, snapshot, before.lastSeq);
    await store.close();

    const s = await start();
    const join = await freshJoinStep2(s, board.id, board.viewToken);
    expect(Buffer.from(join.payload).equals(Buffer.from(snapshot))).toBe(true);
    const joined = new Y.Doc();
    Y.applyUpdate(joined, join.payload);
    expect(readBoard(joined).tasks.get(first)?.x).toBe(6);

    // An edit after the load: the next fresh join gets it (the stored copy is no longer the state).
    const b = client(s, board.id, board.editToken);
    await b.synced;
    updateShape(b.doc, first, { x: 99 });
    const second = createTask(b.doc, { title: 'after load' });
    await waitFor(() => s.server.metrics.get('planvas_updates_stored_total') >= 2, 'stored');
    const later = await freshJoinStep2(s, board.id, board.viewToken);
    const seen = new Y.Doc();
    Y.applyUpdate(seen, later.payload);
    expect(readBoard(seen).tasks.get(first)?.x).toBe(99);
    expect(readBoard(seen).tasks.get(second)?.title).toBe('after load');
    join.close();
    later.close();
    b.destroy();
    await waitFor(() => s.server.rooms.size === 0, 'unloaded again');
  });

  it('sends the stored snapshot to a join of an unloaded board before applying it, then answers its step 1 with only what came after', async () => {
    const s = await start();
    const { board } = await unloadedBoard(s, 'Early answer', 40);
    const stored = await s.server.store.loadBoardState(board.id);
    expect(stored.updates).toHaveLength(0);

    expect(stored.snapshotVector).toBeTruthy();

    // The joining socket has sent nothing: it gets our step 1 (the vector stored with the
    // snapshot) and then the snapshot, unasked, and no second step 1 once the board is applied.
    const socket = await openRawSocket(`${s.wsUrl}/${board.id}?token=${encodeURIComponent(board.editToken)}`);
    const syncFrames = () =>
      socket.frames.flatMap((frame) => {
        const d = decoding.createDecoder(frame);
        if (decoding.readVarUint(d) !== MessageType.sync) return [];
        const type = decoding.readVarUint(d);
        return [{ type, payload: decoding.readVarUint8Array(d) }];
      });
    await waitFor(() => syncFrames().length >= 2, 'the server step 1 and the snapshot');
    const [step1, first] = syncFrames();
    expect(step1!.type).toBe(SyncMessageType.step1);
    expect(Buffer.from(step1!.payload).equals(Buffer.from(stored.snapshotVector!))).toBe(true);
    expect(first!.type).toBe(SyncMessageType.step2);
    expect(Buffer.from(first!.payload).equals(Buffer.from(stored.snapshot!))).toBe(true);
    await waitFor(() => s.server.rooms.peek(board.id) !== undefined, 'the board applied');
    await new Promise((r) => setTimeout(r, 100));
    expect(syncFrames().filter((f) => f.type === SyncMessageType.step1)).toHaveLength(1);

    // An edit by someone else after the load, then the socket's own (empty) step 1.
    const b = client(s, board.id, board.editToken);
    await b.synced;
    const later = createTask(b.doc, { title: 'after the load' });
    await waitFor(() => s.server.metrics.get('planvas_updates_stored_total') >= 41, 'stored');
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncMessageType.step1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
    socket.ws.send(encoding.toUint8Array(e));
    await waitFor(() => syncFrames().filter((f) => f.type === SyncMessageType.step2).length >= 2, 'the answer to the step 1');
    const answer = syncFrames().filter((f) => f.type === SyncMessageType.step2)[1]!.payload;
    // Not the board again: the snapshot is already on its way to that socket.
    expect(answer.byteLength).toBeLessThan(first!.payload.byteLength / 4);
    const joined = new Y.Doc();
    Y.applyUpdate(joined, first!.payload);
    Y.applyUpdate(joined, answer);
    const seen = readBoard(joined);
    expect(seen.tasks.size).toBe(readBoard(b.doc).tasks.size);
    expect(seen.tasks.get(later)?.title).toBe('after the load');
    socket.ws.close();
    b.destroy();
    await waitFor(() => s.server.rooms.size === 0, 'unloaded again');
  });

  it('a link reset while the board loads: the socket of the old link is closed 4401 and never sent the stored board', async () => {
    const s = await start();
    const { board } = await unloadedBoard(s, 'Reset during load', 10);
    // Hold the load between reading the board's record and reading its state, where a reset
    // can land: the store object is the rooms' own (instrumented) one.
    const store = s.server.store;
    const read = store.loadBoardState.bind(store);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let loading!: () => void;
    const loadStarted = new Promise<void>((resolve) => (loading = resolve));
    store.loadBoardState = async (id) => {
      loading();
      await gate;
      return read(id);
    };
    try {
      const socket = await openRawSocket(`${s.wsUrl}/${board.id}?token=${encodeURIComponent(board.editToken)}`);
      await loadStarted;
      const reset = await fetch(boardApiUrl(s.url, board.id, 'links/reset'), {
        method: 'POST',
        headers: { authorization: `Bearer ${board.editToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'edit' }),
      });
      expect(reset.status).toBe(200);
      release();
      expect((await socket.closed).code).toBe(4401);
      const step2s = socket.frames.filter((frame) => {
        const d = decoding.createDecoder(frame);
        return decoding.readVarUint(d) === MessageType.sync && decoding.readVarUint(d) === SyncMessageType.step2;
      });
      expect(step2s).toHaveLength(0);
    } finally {
      release();
      store.loadBoardState = read;
    }
  });

  it('a y-websocket client with offline edits joining a cold board has sent them when it reports synced', async () => {
    const s = await start();
    const { board, lastSeen } = await unloadedBoard(s, 'Offline', 20);
    const offline = new Y.Doc();
    Y.applyUpdate(offline, lastSeen);
    const made = createTask(offline, { title: 'made offline' });

    // The browser's session takes the provider's "synced" to mean its own step 2 (its offline
    // edits) has gone out (client/sync/createBoardSession.ts): our step 1 must come before our step 2.
    const c = connectClient(s.wsUrl, board.id, board.editToken, { doc: offline, connect: false });
    clients.push(c);
    const sent: number[] = [];
    c.provider.on('status', ({ status }: { status: string }) => {
      if (status !== 'connected' || !c.provider.ws) return;
      const ws = c.provider.ws;
      const send = ws.send.bind(ws);
      ws.send = (data: Uint8Array) => {
        const d = decoding.createDecoder(new Uint8Array(data));
        if (decoding.readVarUint(d) === MessageType.sync) sent.push(decoding.readVarUint(d));
        send(data);
      };
    });
    let sentAtSync: number[] | null = null;
    c.provider.on('sync', (ok: boolean) => {
      if (ok && sentAtSync === null) sentAtSync = [...sent];
    });
    c.provider.connect();
    await c.synced;
    expect(sentAtSync).toContain(SyncMessageType.step2);
    const b = client(s, board.id, board.viewToken);
    await b.synced;
    await waitFor(() => readBoard(b.doc).tasks.get(made)?.title === 'made offline', 'the offline edit on the server');
    expect(readBoard(b.doc).tasks.size).toBe(21);
  });

  it('with a long log: the join queued during the load is answered before the compaction, which follows', async () => {
    const s0 = await start();
    const board = await createBoard(s0.url, 'Long log');
    await s0.close();
    // The log written with the server stopped (as the restart benchmark does).
    const store = openSqliteStore(dataDir);
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    const state = await store.loadBoardState(board.id);
    for (const u of [...(state.snapshot ? [state.snapshot] : []), ...state.updates]) Y.applyUpdate(doc, u);
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const id = createTask(doc, { title: 'logged', x: 0 });
    for (let i = 1; i <= 60; i++) updateShape(doc, id, { x: i });
    await store.appendUpdates(board.id, updates);
    await store.close();

    const s = await start(20);
    const c = client(s, board.id, board.viewToken);
    await c.synced;
    expect(readBoard(c.doc).tasks.get(id)?.x).toBe(60);
    // Answered first: the compaction the load asked for had not run yet.
    expect(s.server.metrics.get('planvas_compactions_total')).toBe(0);
    await waitFor(() => s.server.metrics.get('planvas_compactions_total') === 1, 'the compaction after the load');
    const after = await s.server.store.loadBoardState(board.id);
    expect(after.updates).toHaveLength(0);
    const rebuilt = new Y.Doc();
    Y.applyUpdate(rebuilt, after.snapshot!);
    expect(readBoard(rebuilt).tasks.get(id)?.x).toBe(60);
  });
});
