import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newId } from '../../shared/ids.ts';
import { newBoardUpdate } from '../../shared/doc/init.ts';
import { silentLogger } from '../../server/log.ts';
import { Metrics } from '../../server/metrics.ts';
import { openSqliteStore } from '../../server/storage/sqlite.ts';
import type { BoardStore } from '../../server/storage/types.ts';
import type { Peer, RoomLimits } from '../../server/sync/room.ts';
import { readServerStatus } from '../../shared/protocol/serverStatus.ts';
import { Rooms } from '../../server/sync/rooms.ts';
import { decodeAwarenessUpdate, encodeAwarenessEntries } from '../../server/sync/frames.ts';
import { waitFor } from '../helpers/clients.ts';
import { makeTempDir, removeTempDir } from '../helpers/server.ts';

/** A peer that records, for every update frame it is sent, how many rows the store had appended by then. */
function fakePeer(role: 'edit' | 'view', appended: () => number) {
  const relayed: Array<{ update: Uint8Array; appendedBefore: number }> = [];
  const closes: number[] = [];
  const peer: Peer = {
    id: Math.floor(Math.random() * 1e9),
    role,
    awarenessIds: new Set(),
    send(frame) {
      const d = decoding.createDecoder(frame);
      if (decoding.readVarUint(d) !== 0) return;
      if (decoding.readVarUint(d) !== 2) return;
      relayed.push({ update: decoding.readVarUint8Array(d), appendedBefore: appended() });
    },
    close(code) {
      closes.push(code);
    },
    checkAlive() {},
  };
  return { peer, relayed, closes };
}

/** The SQLite store with hooks: a gate before loading/compacting, failing compactions, a count of appends. */
function hookedStore(dir: string) {
  const inner = openSqliteStore(dir);
  const hooks = { loadGate: Promise.resolve(), compactGate: Promise.resolve(), failCompact: false, appended: 0, compactions: 0 };
  const store: BoardStore = {
    ...inner,
    async loadBoardState(id) {
      await hooks.loadGate;
      return inner.loadBoardState(id);
    },
    async appendUpdate(id, update) {
      const seq = await inner.appendUpdate(id, update);
      hooks.appended++;
      return seq;
    },
    async appendUpdates(id, updates) {
      const seqs = await inner.appendUpdates(id, updates);
      hooks.appended += updates.length;
      return seqs;
    },
    async compact(id, snapshot, upToSeq) {
      await hooks.compactGate;
      if (hooks.failCompact) throw new Error('disk full');
      await inner.compact(id, snapshot, upToSeq);
      hooks.compactions++;
    },
  };
  return { store, hooks, inner };
}

function edit(doc: Y.Doc, key: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.getMap('notes').set(key, key);
  return Y.encodeStateAsUpdate(doc, before);
}

function rebuild(state: { snapshot: Uint8Array | null; updates: Uint8Array[] }): Y.Doc {
  const doc = new Y.Doc();
  if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
  for (const u of state.updates) Y.applyUpdate(doc, u);
  return doc;
}

describe('Room durability (fake peers, real SQLite)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) removeTempDir(d);
  });
  const setup = async (compactAfterUpdates = 1000) => {
    const dir = makeTempDir('planvas-room-');
    dirs.push(dir);
    const { store, hooks, inner } = hookedStore(dir);
    const id = newId();
    await store.createBoard({ id, title: 'Room', createdAt: new Date().toISOString() }, newBoardUpdate('Room', ''));
    const rooms = new Rooms({ store, logger: silentLogger, metrics: new Metrics(), compactAfterUpdates });
    return { store, hooks, inner, id, rooms };
  };

  it.each(['update', 'sync-step2'] as const)('a %s that arrives before the board finished loading is stored before it is relayed', async (kind) => {
    const { hooks, inner, id, rooms } = await setup();
    let releaseLoad!: () => void;
    hooks.loadGate = new Promise((r) => (releaseLoad = r));
    const a = fakePeer('edit', () => hooks.appended);
    const b = fakePeer('view', () => hooks.appended);
    const roomA = await rooms.join(id, a.peer);
    await rooms.join(id, b.peer);
    // An offline client's edits, sent on (re)connect before the server's state is even loaded.
    const offline = new Y.Doc();
    roomA!.receive(a.peer, { kind, update: edit(offline, 'offline-1') });
    roomA!.receive(a.peer, { kind: 'update', update: edit(offline, 'offline-2') });
    expect(roomA!.isReady).toBe(false);
    releaseLoad();
    await waitFor(() => b.relayed.length === 2, 'both relayed to b');
    // Stored before relayed: two edits queued together (a sync step 2 among them, in its
    // place) are stored in one transaction (group commit) before either is relayed.
    expect(b.relayed.map((r) => r.appendedBefore)).toEqual([2, 2]);
    expect(a.relayed).toEqual([]); // never echoed to its sender
    const stored = rebuild(await inner.loadBoardState(id));
    expect(stored.getMap('notes').toJSON()).toEqual({ 'offline-1': 'offline-1', 'offline-2': 'offline-2' });
  });

  it('an update that arrives while a compaction is being written waits for it and is kept in the log', async () => {
    const { hooks, inner, id, rooms } = await setup(2);
    let releaseCompact!: () => void;
    hooks.compactGate = new Promise((r) => (releaseCompact = r));
    const a = fakePeer('edit', () => hooks.appended);
    const b = fakePeer('edit', () => hooks.appended);
    const room = (await rooms.join(id, a.peer))!;
    await rooms.join(id, b.peer);
    const doc = new Y.Doc();
    room.receive(a.peer, { kind: 'update', update: edit(doc, 'one') });
    room.receive(a.peer, { kind: 'update', update: edit(doc, 'two') });
    await waitFor(() => b.relayed.length === 2, 'relayed');
    // The threshold is crossed: the background compaction is now waiting on the store.
    await new Promise((r) => setImmediate(r));
    room.receive(a.peer, { kind: 'update', update: edit(doc, 'during') });
    await new Promise((r) => setTimeout(r, 20));
    expect(hooks.appended).toBe(2); // queued behind the compaction, not interleaved with it
    releaseCompact();
    await waitFor(() => b.relayed.length === 3 && hooks.compactions === 1, 'compacted, then stored and relayed');
    const state = await inner.loadBoardState(id);
    expect(state.snapshot).not.toBeNull();
    expect(state.updates).toHaveLength(1); // 'during' stays in the log after the snapshot
    expect(rebuild(state).getMap('notes').toJSON()).toEqual({ one: 'one', two: 'two', during: 'during' });
  });

  it('a compaction that fails when the board unloads loses nothing: every update is still in the log', async () => {
    const { hooks, inner, id, rooms } = await setup();
    hooks.failCompact = true;
    const a = fakePeer('edit', () => hooks.appended);
    const room = (await rooms.join(id, a.peer))!;
    const doc = new Y.Doc();
    for (let i = 0; i < 5; i++) room.receive(a.peer, { kind: 'update', update: edit(doc, `n${i}`) });
    await waitFor(() => hooks.appended === 5, 'stored');
    room.leave(a.peer);
    await waitFor(() => rooms.size === 0, 'unloaded despite the failed compaction');
    const state = await inner.loadBoardState(id);
    expect(state.snapshot).toBeNull();
    expect(state.updates).toHaveLength(6); // the board's first update and the five edits
    expect(Object.keys(rebuild(state).getMap('notes').toJSON()).sort()).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);

    // The next join loads it all, and a working compaction then folds the log into a snapshot.
    hooks.failCompact = false;
    const c = fakePeer('edit', () => hooks.appended);
    const again = (await rooms.join(id, c.peer))!;
    await waitFor(() => again.isReady, 'reloaded');
    expect(Object.keys(again.doc.getMap('notes').toJSON())).toHaveLength(5);
    again.leave(c.peer);
    await waitFor(() => hooks.compactions === 1, 'compacted');
    expect((await inner.loadBoardState(id)).updates).toEqual([]);
  });
});

describe('answering a fresh join from the cached encoding', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) removeTempDir(d);
  });

  it('two fresh clients get the same bytes, and one that joins after an edit gets the edit', async () => {
    const dir = makeTempDir('planvas-room-cache-');
    dirs.push(dir);
    const store = openSqliteStore(dir);
    const id = newId();
    await store.createBoard({ id, title: 'Cache', createdAt: new Date().toISOString() }, newBoardUpdate('Cache', ''));
    const rooms = new Rooms({ store, logger: silentLogger, metrics: new Metrics(), compactAfterUpdates: 1000 });
    const step2s = (frames: Uint8Array[]) =>
      frames.filter((f) => {
        const d = decoding.createDecoder(f);
        return decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === 1;
      });
    const fresh = () => {
      const frames: Uint8Array[] = [];
      const peer: Peer = { id: Math.random(), role: 'edit', awarenessIds: new Set(), send: (f) => frames.push(f), close() {}, checkAlive() {} };
      return { peer, frames };
    };
    const empty = Y.encodeStateVector(new Y.Doc());
    const a = fresh();
    const b = fresh();
    const room = (await rooms.join(id, a.peer))!;
    await rooms.join(id, b.peer);
    room.receive(a.peer, { kind: 'sync-step1', stateVector: empty });
    room.receive(b.peer, { kind: 'sync-step1', stateVector: empty });
    await waitFor(() => step2s(a.frames).length === 1 && step2s(b.frames).length === 1, 'both answered');
    expect(step2s(b.frames)[0]).toBe(step2s(a.frames)[0]); // the very same cached frame

    const writer = new Y.Doc();
    Y.applyUpdate(writer, newBoardUpdate('Cache', ''));
    room.receive(a.peer, { kind: 'update', update: edit(writer, 'after') });
    const c = fresh();
    await rooms.join(id, c.peer);
    room.receive(c.peer, { kind: 'sync-step1', stateVector: empty });
    await waitFor(() => step2s(c.frames).length === 1, 'c answered');
    const d = decoding.createDecoder(step2s(c.frames)[0]!);
    decoding.readVarUint(d);
    decoding.readVarUint(d);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, decoding.readVarUint8Array(d));
    expect(doc.getMap('notes').get('after')).toBe('after');
    await rooms.closeAll();
    await store.close();
  });
});

describe('group commit of edits', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) removeTempDir(d);
  });
  const setup = async (failAppends: boolean, limits: Partial<RoomLimits> = {}) => {
    const dir = makeTempDir('planvas-room-batch-');
    dirs.push(dir);
    const inner = openSqliteStore(dir);
    const calls: number[] = [];
    // `failing`: the database is unreachable (appends and pings fail) until a test sets it back.
    const outage = { failing: failAppends };
    const store: BoardStore = {
      ...inner,
      async appendUpdates(id, updates) {
        calls.push(updates.length);
        if (outage.failing) throw new Error('connection refused');
        return inner.appendUpdates(id, updates);
      },
      async ping() {
        if (outage.failing) throw new Error('connection refused');
      },
    };
    const id = newId();
    await store.createBoard({ id, title: 'Batch', createdAt: new Date().toISOString() }, newBoardUpdate('Batch', ''));
    const rooms = new Rooms({ store, logger: silentLogger, metrics: new Metrics(), compactAfterUpdates: 1000, limits });
    return { inner, id, rooms, calls, outage };
  };

  it('a burst of edits from several people is one transaction, stored before any of it is relayed', async () => {
    const { inner, id, rooms, calls } = await setup(false);
    const appended = 0;
    const a = fakePeer('edit', () => appended);
    const b = fakePeer('edit', () => appended);
    const watcher = fakePeer('view', () => appended);
    const room = (await rooms.join(id, a.peer))!;
    await rooms.join(id, b.peer);
    await rooms.join(id, watcher.peer);
    await waitFor(() => room.isReady, 'loaded');
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    for (let i = 0; i < 5; i++) {
      room.receive(a.peer, { kind: 'update', update: edit(docA, `a${i}`) });
      room.receive(b.peer, { kind: 'update', update: edit(docB, `b${i}`) });
    }
    await waitFor(() => watcher.relayed.length === 10, 'all relayed');
    expect(calls).toEqual([10]);
    const stored = rebuild(await inner.loadBoardState(id));
    expect(Object.keys(stored.getMap('notes').toJSON()).sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1', 'b2', 'b3', 'b4']);
    await rooms.closeAll();
    await inner.close();
  });

  it('when storing fails, the batch is held (not applied, not relayed), everyone is told, and it is stored and relayed once storage is back', async () => {
    const { inner, id, rooms, outage } = await setup(true);
    const a = fakePeer('edit', () => 0);
    const watcher = fakePeer('edit', () => 0);
    const room = (await rooms.join(id, a.peer))!;
    await rooms.join(id, watcher.peer);
    await waitFor(() => room.isReady, 'loaded');
    const doc = new Y.Doc();
    room.receive(a.peer, { kind: 'update', update: edit(doc, 'held-1') });
    await waitFor(() => readServerStatus(room.awareness.getStates()) !== null, 'told: storage unavailable');
    room.receive(a.peer, { kind: 'update', update: edit(doc, 'held-2') });
    await waitFor(() => readServerStatus(room.awareness.getStates())?.heldEdits === 2, 'both held');
    expect(watcher.relayed).toEqual([]);
    expect(a.closes).toEqual([]); // stays connected
    expect(room.doc.getMap('notes').get('held-1')).toBeUndefined(); // never applied before stored
    outage.failing = false;
    await waitFor(() => watcher.relayed.length === 2, 'stored and relayed after recovery', 10_000);
    expect(readServerStatus(room.awareness.getStates())).toBeNull();
    expect(rebuild(await inner.loadBoardState(id)).getMap('notes').toJSON()).toMatchObject({ 'held-1': 'held-1', 'held-2': 'held-2' });
    expect(a.closes).toEqual([]);
    await rooms.closeAll();
    await inner.close();
  });

  it('past the hold timeout the writers are closed with 1013 (their clients keep the edits) and readers stay', async () => {
    const { inner, id, rooms } = await setup(true, { storageHoldMs: 300 });
    const a = fakePeer('edit', () => 0);
    const watcher = fakePeer('edit', () => 0);
    const room = (await rooms.join(id, a.peer))!;
    await rooms.join(id, watcher.peer);
    await waitFor(() => room.isReady, 'loaded');
    room.receive(a.peer, { kind: 'update', update: edit(new Y.Doc(), 'refused') });
    await waitFor(() => a.closes.length === 1, 'writer closed', 10_000);
    expect(a.closes).toEqual([1013]);
    expect(watcher.closes).toEqual([]);
    expect(watcher.relayed).toEqual([]);
    expect(room.doc.getMap('notes').get('refused')).toBeUndefined();
    await rooms.closeAll();
    await inner.close();
  });
});

describe('room bounds found by review (fake peers, real SQLite)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) removeTempDir(d);
  });
  const board = async (store: BoardStore) => {
    const id = newId();
    await store.createBoard({ id, title: 'Bounds', createdAt: new Date().toISOString() }, newBoardUpdate('Bounds', ''));
    return id;
  };

  it('one connection cannot make the room keep more than a few presence states, however many ids it announces', async () => {
    const dir = makeTempDir('planvas-room-aw-');
    dirs.push(dir);
    const store = openSqliteStore(dir);
    const id = await board(store);
    const rooms = new Rooms({ store, logger: silentLogger, metrics: new Metrics(), compactAfterUpdates: 1000 });
    const flooder = fakePeer('view', () => 0);
    const room = (await rooms.join(id, flooder.peer))!;
    await waitFor(() => room.isReady, 'loaded');
    for (let m = 0; m < 50; m++) {
      const entries = Array.from({ length: 1000 }, (_, i) => ({ clientId: 1_000_000 + m * 1000 + i, clock: 1, state: {} }));
      const update = encodeAwarenessEntries(entries);
      room.receive(flooder.peer, { kind: 'awareness', update, entries: decodeAwarenessUpdate(update) });
    }
    await waitFor(() => room.awareness.getStates().size > 0, 'some applied');
    await new Promise((r) => setTimeout(r, 50));
    expect(room.awareness.getStates().size).toBeLessThanOrEqual(8);
    expect(flooder.peer.awarenessIds.size).toBeLessThanOrEqual(8);
    await rooms.closeAll();
    await store.close();
  });

  it('while an append hangs, edits beyond the hold bound are refused at once (1013), not piled up in the inbox', async () => {
    const dir = makeTempDir('planvas-room-hang-');
    dirs.push(dir);
    const inner = openSqliteStore(dir);
    let hang = false;
    let release!: () => void;
    const store: BoardStore = {
      ...inner,
      async appendUpdates(boardId, updates) {
        if (hang) await new Promise<void>((r) => (release = r));
        return inner.appendUpdates(boardId, updates);
      },
    };
    const id = await board(store);
    const rooms = new Rooms({ store, logger: silentLogger, metrics: new Metrics(), compactAfterUpdates: 1_000_000, limits: { maxHeldBytes: 1024 * 1024 } });
    const writer = fakePeer('edit', () => 0);
    const room = (await rooms.join(id, writer.peer))!;
    await waitFor(() => room.isReady, 'loaded');
    const doc = new Y.Doc();
    const big = 'x'.repeat(100_000);
    const send = (key: string) => {
      const before = Y.encodeStateVector(doc);
      doc.getMap('notes').set(key, big);
      room.receive(writer.peer, { kind: 'update', update: Y.encodeStateAsUpdate(doc, before) });
    };
    hang = true;
    send('first');
    // Past the stall threshold (250 ms), long before the database would be declared slow (1.5 s).
    await new Promise((r) => setTimeout(r, 400));
    for (let i = 0; i < 100; i++) send(`k${i}`);
    expect(writer.closes).toContain(1013);
    const inbox = (room as unknown as { inbox: Array<{ update: Uint8Array }> }).inbox;
    expect(inbox.reduce((n, e) => n + e.update.byteLength, 0)).toBeLessThanOrEqual(1024 * 1024);
    hang = false;
    release();
    await rooms.closeAll();
    await inner.close();
  });
});
