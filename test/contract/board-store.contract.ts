import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newId } from '../../shared/ids.ts';
import { newBoardUpdate } from '../../shared/doc/init.ts';
import { createTask, updateShape } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { emptySummary } from '../../shared/history/summary.ts';
import { UnknownBoardError, type BoardStore, type StoredBoardState } from '../../server/storage/types.ts';

/**
 * The contract every BoardStore implementation passes (SQLite: test/unit/server-sqlite-store.test.ts,
 * PostgreSQL: test/integration/postgres-store.test.ts). Run it from an implementation's test file:
 *
 * @example
 *   runBoardStoreContract('sqlite', async () => { const dir = ...; return { store: openSqliteStore(dir), corruptLatestUpdate, ..., cleanup } });
 */
export interface StoreHarness {
  store: BoardStore;
  /** Changes the bytes of the board's newest log row without fixing its checksum. */
  corruptLatestUpdate(boardId: string): Promise<void>;
  /** Changes the bytes of the board's snapshot without fixing its checksum. */
  corruptSnapshot(boardId: string): Promise<void>;
  /** The board's rows in the store's quarantine table, as stored (read directly, not through the store). */
  quarantined(boardId: string): Promise<Array<{ kind: string; seq: number }>>;
  /** A second store on the same database, as a second server instance would open it (closed by the contract). */
  openAnother(): Promise<BoardStore>;
  /** Networked stores: makes the database unreachable, then reachable again (same data). */
  stopDatabase?(): Promise<void>;
  startDatabase?(): Promise<void>;
  cleanup(): Promise<void>;
}

function rebuild(state: StoredBoardState): Y.Doc {
  const doc = new Y.Doc();
  if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
  for (const u of state.updates) Y.applyUpdate(doc, u);
  return doc;
}

/** A board with a live doc, whose every change is appended to the store. */
async function boardWithLog(store: BoardStore, title = 'Plan') {
  const id = newId();
  const createdAt = new Date().toISOString();
  const first = newBoardUpdate(title, createdAt);
  await store.createBoard({ id, title, createdAt }, first);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, first);
  const seqs: number[] = [];
  const pending: Promise<number>[] = [];
  doc.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') pending.push(store.appendUpdate(id, u));
  });
  const flush = async () => {
    seqs.push(...(await Promise.all(pending.splice(0))));
  };
  return { id, doc, seqs, flush, createdAt };
}

export function runBoardStoreContract(name: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`BoardStore contract: ${name}`, () => {
    let h: StoreHarness;
    const others: BoardStore[] = [];
    const another = async (): Promise<BoardStore> => {
      const store = await h.openAnother();
      others.push(store);
      return store;
    };
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      for (const store of others.splice(0)) await store.close();
      await h.store.close();
      await h.cleanup();
    });

    it('registers a board with its first update', async () => {
      const b = await boardWithLog(h.store, 'Roadmap');
      expect(await h.store.getBoard(b.id)).toEqual({ id: b.id, title: 'Roadmap', createdAt: b.createdAt, linkGenerations: { edit: 0, view: 0 } });
      const state = await h.store.loadBoardState(b.id);
      expect(state.snapshot).toBeNull();
      expect(state.updates).toHaveLength(1);
      expect(state.lastSeq).toBeGreaterThan(0);
      expect(readBoard(rebuild(state)).meta.title).toBe('Roadmap');
    });

    it('refuses a second board with the same id', async () => {
      const b = await boardWithLog(h.store);
      await expect(h.store.createBoard({ id: b.id, title: 'x', createdAt: b.createdAt }, newBoardUpdate('x', b.createdAt))).rejects.toThrow();
      expect((await h.store.getBoard(b.id))?.title).toBe('Plan');
    });

    it('unknown boards: getBoard null, load and append reject with UnknownBoardError', async () => {
      const id = newId();
      expect(await h.store.getBoard(id)).toBeNull();
      await expect(h.store.loadBoardState(id)).rejects.toBeInstanceOf(UnknownBoardError);
      await expect(h.store.appendUpdate(id, new Uint8Array([0, 0]))).rejects.toBeInstanceOf(UnknownBoardError);
      await expect(h.store.compact(id, new Uint8Array([0, 0]), 1)).rejects.toBeInstanceOf(UnknownBoardError);
      await expect(h.store.setBoardTitle(id, 'x')).rejects.toBeInstanceOf(UnknownBoardError);
    });

    it('appendUpdates stores a burst in order, as one all-or-none step, with increasing sequence numbers', async () => {
      const b = await boardWithLog(h.store, 'Burst');
      const writer = new Y.Doc();
      const updates: Uint8Array[] = [];
      writer.on('update', (u: Uint8Array) => updates.push(u));
      for (let i = 0; i < 5; i++) writer.getMap('notes').set(`n${i}`, i);
      const seqs = await h.store.appendUpdates(b.id, updates);
      expect(seqs).toHaveLength(5);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(5);
      expect(await h.store.appendUpdates(b.id, [])).toEqual([]);
      const state = await h.store.loadBoardState(b.id);
      const doc = new Y.Doc();
      if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
      for (const u of state.updates) Y.applyUpdate(doc, u);
      expect(doc.getMap('notes').toJSON()).toEqual({ n0: 0, n1: 1, n2: 2, n3: 3, n4: 4 });
      expect(state.lastSeq).toBe(seqs[4]);
      await expect(h.store.appendUpdates(newId(), updates)).rejects.toBeInstanceOf(UnknownBoardError);
    });

    it('setBoardTitle changes the registry title of that board only, keeping createdAt', async () => {
      const b = await boardWithLog(h.store, 'Before');
      const other = await boardWithLog(h.store, 'Other');
      await h.store.setBoardTitle(b.id, 'After');
      expect(await h.store.getBoard(b.id)).toEqual({ id: b.id, title: 'After', createdAt: b.createdAt, linkGenerations: { edit: 0, view: 0 } });
      expect((await h.store.getBoard(other.id))?.title).toBe('Other');
    });

    it('appends return increasing sequence numbers and load returns the log in order', async () => {
      const b = await boardWithLog(h.store);
      const t = createTask(b.doc, { title: 'a' });
      for (let i = 1; i <= 10; i++) updateShape(b.doc, t, { x: i });
      await b.flush();
      expect(b.seqs).toEqual([...b.seqs].sort((x, y) => x - y));
      expect(new Set(b.seqs).size).toBe(b.seqs.length);
      const state = await h.store.loadBoardState(b.id);
      expect(state.updates).toHaveLength(12);
      expect(state.lastSeq).toBe(b.seqs[b.seqs.length - 1]);
      expect(readBoard(rebuild(state)).tasks.get(t)?.x).toBe(10);
      expect(await h.store.logLength(b.id)).toBe(12);
    });

    it('keeps boards apart', async () => {
      const one = await boardWithLog(h.store, 'one');
      const two = await boardWithLog(h.store, 'two');
      createTask(one.doc, { title: 'only in one' });
      await one.flush();
      expect(readBoard(rebuild(await h.store.loadBoardState(two.id))).tasks.size).toBe(0);
      expect(await h.store.logLength(two.id)).toBe(1);
    });

    it('compact replaces the covered rows with the snapshot and keeps later rows', async () => {
      const b = await boardWithLog(h.store);
      const t = createTask(b.doc, { title: 'a' });
      await b.flush();
      const covered = b.seqs[b.seqs.length - 1]!;
      const snapshot = Y.encodeStateAsUpdate(b.doc);
      updateShape(b.doc, t, { title: 'after snapshot' });
      await b.flush();
      await h.store.compact(b.id, snapshot, covered);

      const state = await h.store.loadBoardState(b.id);
      expect(state.snapshot).not.toBeNull();
      expect(state.updates).toHaveLength(1);
      expect(state.lastSeq).toBe(b.seqs[b.seqs.length - 1]);
      expect(await h.store.logLength(b.id)).toBe(1);
      expect(readBoard(rebuild(state)).tasks.get(t)?.title).toBe('after snapshot');
      expect(Y.encodeStateVector(rebuild(state))).toEqual(Y.encodeStateVector(b.doc));
    });

    it('compact keeps the snapshot state vector it is given, and a compaction without one leaves none', async () => {
      const b = await boardWithLog(h.store);
      createTask(b.doc, { title: 'a' });
      await b.flush();
      const vector = Y.encodeStateVector(b.doc);
      await h.store.compact(b.id, Y.encodeStateAsUpdate(b.doc), b.seqs[b.seqs.length - 1]!, vector);
      const state = await h.store.loadBoardState(b.id);
      expect(state.snapshotVector).toEqual(vector);
      createTask(b.doc, { title: 'b' });
      await b.flush();
      // An older caller's compaction (no vector): the newer snapshot must not keep the old vector.
      await h.store.compact(b.id, Y.encodeStateAsUpdate(b.doc), b.seqs[b.seqs.length - 1]!);
      expect((await h.store.loadBoardState(b.id)).snapshotVector ?? null).toBeNull();
    });

    it('repeated compactions never lose or duplicate state', async () => {
      const b = await boardWithLog(h.store);
      const t = createTask(b.doc, { title: 'a' });
      for (let round = 0; round < 5; round++) {
        for (let i = 0; i < 7; i++) updateShape(b.doc, t, { x: round * 10 + i });
        await b.flush();
        await h.store.compact(b.id, Y.encodeStateAsUpdate(b.doc), b.seqs[b.seqs.length - 1]!);
        const state = await h.store.loadBoardState(b.id);
        expect(state.updates).toHaveLength(0);
        expect(readBoard(rebuild(state)).tasks.get(t)?.x).toBe(round * 10 + 6);
      }
    });

    it('an older compaction arriving late does not replace a newer snapshot', async () => {
      const b = await boardWithLog(h.store);
      const t = createTask(b.doc, { title: 'old' });
      await b.flush();
      const oldSeq = b.seqs[b.seqs.length - 1]!;
      const oldSnapshot = Y.encodeStateAsUpdate(b.doc);
      updateShape(b.doc, t, { title: 'new' });
      await b.flush();
      await h.store.compact(b.id, Y.encodeStateAsUpdate(b.doc), b.seqs[b.seqs.length - 1]!);
      await h.store.compact(b.id, oldSnapshot, oldSeq);
      expect(readBoard(rebuild(await h.store.loadBoardState(b.id))).tasks.get(t)?.title).toBe('new');
    });

    it('deleteBoard removes the board, its snapshot and its log, and only that board', async () => {
      const b = await boardWithLog(h.store, 'Doomed');
      const other = await boardWithLog(h.store, 'Kept');
      createTask(b.doc, { title: 'a' });
      await b.flush();
      await h.store.compact(b.id, Y.encodeStateAsUpdate(b.doc), b.seqs[b.seqs.length - 1]!);
      createTask(b.doc, { title: 'after the snapshot' });
      await b.flush();
      expect(await h.store.deleteBoard(b.id)).toBe(true);
      expect(await h.store.getBoard(b.id)).toBeNull();
      await expect(h.store.loadBoardState(b.id)).rejects.toBeInstanceOf(UnknownBoardError);
      await expect(h.store.appendUpdate(b.id, new Uint8Array([0, 0]))).rejects.toBeInstanceOf(UnknownBoardError);
      expect(await h.store.logLength(b.id)).toBe(0);
      expect(await h.store.deleteBoard(b.id)).toBe(false);
      expect(await h.store.deleteBoard(newId())).toBe(false);
      expect(await h.store.getBoard(other.id)).toEqual({ id: other.id, title: 'Kept', createdAt: other.createdAt, linkGenerations: { edit: 0, view: 0 } });
      expect(readBoard(rebuild(await h.store.loadBoardState(other.id))).meta.title).toBe('Kept');
      // The id can be registered again (nothing of the old board is left to collide with).
      await h.store.createBoard({ id: b.id, title: 'Reborn', createdAt: b.createdAt }, newBoardUpdate('Reborn', b.createdAt));
      const reborn = await h.store.loadBoardState(b.id);
      expect(reborn.snapshot).toBeNull();
      expect(reborn.updates).toHaveLength(1);
    });

    it('deleteBoard removes the board\'s versions too', async () => {
      const b = await boardWithLog(h.store, 'Versioned');
      const other = await boardWithLog(h.store, 'Other');
      const version = (id: string) => ({ id, name: 'v', kind: 'named' as const, createdAt: new Date().toISOString(), authors: [], summary: emptySummary(), state: Y.encodeStateAsUpdate(b.doc) });
      await h.store.saveVersion(b.id, version(newId()));
      await h.store.saveVersion(other.id, version(newId()));
      expect(await h.store.deleteBoard(b.id)).toBe(true);
      expect(await h.store.listVersions(b.id)).toEqual([]);
      expect(await h.store.listVersions(other.id)).toHaveLength(1);
    });

    it('a corrupt log row is reported and quarantined once, never returned, and the rest of the board loads', async () => {
      const b = await boardWithLog(h.store, 'Damaged');
      const kept = createTask(b.doc, { title: 'kept' });
      await b.flush();
      createTask(b.doc, { title: 'lost' });
      await b.flush();
      const badSeq = b.seqs[b.seqs.length - 1]!;
      await h.corruptLatestUpdate(b.id);

      const state = await h.store.loadBoardState(b.id);
      expect(state.corrupt).toEqual([{ kind: 'update', seq: badSeq, detail: expect.any(String) }]);
      expect(state.updates).toHaveLength(b.seqs.length); // first update + all flushed ones, minus the corrupt one
      expect(state.lastSeq).toBe(badSeq);
      const board = readBoard(rebuild(state));
      expect(board.meta.title).toBe('Damaged');
      expect([...board.tasks.keys()]).toEqual([kept]);
      // Loading again reports it again, but the quarantine keeps one copy.
      expect((await h.store.loadBoardState(b.id)).corrupt).toHaveLength(1);
      expect((await h.store.loadUpdatesSince(b.id, badSeq - 1)).corrupt).toEqual([{ kind: 'update', seq: badSeq, detail: expect.any(String) }]);
      expect(await h.quarantined(b.id)).toEqual([{ kind: 'update', seq: badSeq }]);
      // A quarantined board can still be deleted (the quarantine goes with it).
      expect(await h.store.deleteBoard(b.id)).toBe(true);
      expect(await h.quarantined(b.id)).toEqual([]);
    });

    it('a corrupt snapshot is reported and quarantined, and the log rows after it still load', async () => {
      const b = await boardWithLog(h.store, 'Snap');
      createTask(b.doc, { title: 'in the snapshot' });
      await b.flush();
      const covered = b.seqs[b.seqs.length - 1]!;
      await h.store.compact(b.id, Y.encodeStateAsUpdate(b.doc), covered);
      const after = createTask(b.doc, { title: 'after the snapshot' });
      await b.flush();
      await h.corruptSnapshot(b.id);

      const state = await h.store.loadBoardState(b.id);
      expect(state.snapshot).toBeNull();
      expect(state.corrupt).toEqual([{ kind: 'snapshot', seq: covered, detail: expect.any(String) }]);
      expect(state.updates).toHaveLength(1);
      expect(state.lastSeq).toBe(b.seqs[b.seqs.length - 1]);
      await h.store.loadBoardState(b.id);
      expect(await h.quarantined(b.id)).toEqual([{ kind: 'snapshot', seq: covered }]);
      // A new compaction replaces the damaged snapshot; the quarantined copy stays for the operator.
      await h.store.compact(b.id, Y.encodeStateAsUpdate(b.doc), b.seqs[b.seqs.length - 1]!);
      const healed = await h.store.loadBoardState(b.id);
      expect(healed.corrupt).toEqual([]);
      expect(readBoard(rebuild(healed)).tasks.get(after)?.title).toBe('after the snapshot');
      expect(await h.quarantined(b.id)).toHaveLength(1);
    });

    it('a healthy board reports no corrupt rows', async () => {
      const b = await boardWithLog(h.store);
      expect((await h.store.loadBoardState(b.id)).corrupt).toEqual([]);
      expect((await h.store.loadUpdatesSince(b.id, 0)).corrupt).toEqual([]);
      expect(await h.quarantined(b.id)).toEqual([]);
    });

    it('sharedLog stores number each board\'s rows 1, 2, 3, ... without gaps', async () => {
      const b = await boardWithLog(h.store);
      const other = await boardWithLog(h.store);
      createTask(b.doc, { title: 'a' });
      createTask(other.doc, { title: 'b' });
      await b.flush();
      await other.flush();
      const state = Y.encodeStateAsUpdate(b.doc);
      const burst = await h.store.appendUpdates(b.id, [state, state, state]);
      expect(burst[0]).toBeGreaterThan(b.seqs[0]!);
      if (!h.store.sharedLog) return; // SQLite: increasing, not contiguous per board (one process owns it)
      expect(b.seqs).toEqual([2]);
      expect(other.seqs).toEqual([2]);
      expect(burst).toEqual([3, 4, 5]);
      expect((await h.store.loadBoardState(b.id)).lastSeq).toBe(5);
      expect(await h.store.headSeq(b.id)).toBe(5);
    });

    it('concurrent appends from two instances get distinct seqs in commit order, and both read them all in order', async () => {
      const b = await boardWithLog(h.store);
      const second = await another();
      const written = new Map<number, Uint8Array>();
      const writer = (store: BoardStore, name: string) =>
        (async () => {
          for (let i = 0; i < 20; i++) {
            const doc = new Y.Doc();
            const updates: Uint8Array[] = [];
            doc.on('update', (u: Uint8Array) => updates.push(u));
            doc.getMap('m').set(`${name}${i}`, i);
            if (i % 2 === 0) doc.getMap('m').set(`${name}${i}b`, i);
            const seqs = i % 2 === 0 ? await store.appendUpdates(b.id, updates) : [await store.appendUpdate(b.id, updates[0]!)];
            seqs.forEach((seq, k) => written.set(seq, updates[k]!));
          }
        })();
      await Promise.all([writer(h.store, 'a'), writer(second, 'b'), writer(h.store, 'c'), writer(second, 'd')]);
      const seqs = [...written.keys()].sort((x, y) => x - y);
      expect(seqs).toHaveLength(120);
      if (h.store.sharedLog) expect(seqs).toEqual(Array.from({ length: 120 }, (_, i) => i + 2));
      for (const reader of [h.store, second]) {
        const since = await reader.loadUpdatesSince(b.id, 1);
        expect(since.snapshot).toBeNull();
        expect(since.updates).toEqual(seqs.map((s) => written.get(s)));
        expect(since.lastSeq).toBe(seqs[seqs.length - 1]);
        expect(await reader.headSeq(b.id)).toBe(seqs[seqs.length - 1]);
        const doc = rebuild(await reader.loadBoardState(b.id));
        expect(doc.getMap('m').size).toBe(120);
      }
    });

    it('loadUpdatesSince: the rows after a seq; the snapshot too once another instance compacted past it', async () => {
      const b = await boardWithLog(h.store);
      const second = await another();
      const t = createTask(b.doc, { title: 'one' });
      await b.flush();
      const early = b.seqs[b.seqs.length - 1]!;
      updateShape(b.doc, t, { title: 'two' });
      await b.flush();
      const since = await h.store.loadUpdatesSince(b.id, early);
      expect(since.snapshot).toBeNull();
      expect(since.updates).toHaveLength(1);
      expect(since.lastSeq).toBe(b.seqs[b.seqs.length - 1]);
      // Nothing new: empty, and lastSeq stays where the follower is.
      const head = b.seqs[b.seqs.length - 1]!;
      expect(await h.store.loadUpdatesSince(b.id, head)).toEqual({ snapshot: null, updates: [], lastSeq: head, corrupt: [] });

      // The other instance compacts everything so far, then a row follows.
      await second.compact(b.id, Y.encodeStateAsUpdate(b.doc), head);
      updateShape(b.doc, t, { title: 'three' });
      await b.flush();
      const caughtUp = await h.store.loadUpdatesSince(b.id, early);
      expect(caughtUp.snapshot).not.toBeNull();
      expect(caughtUp.updates).toHaveLength(1);
      expect(caughtUp.lastSeq).toBe(b.seqs[b.seqs.length - 1]);
      expect(readBoard(rebuild(caughtUp)).tasks.get(t)?.title).toBe('three');
      // A follower already past the snapshot gets only the rows after its own seq.
      const past = await second.loadUpdatesSince(b.id, head);
      expect(past.snapshot).toBeNull();
      expect(past.updates).toHaveLength(1);
      expect(await h.store.headSeq(b.id)).toBe(b.seqs[b.seqs.length - 1]);
    });

    it('headSeq: the newest seq (also after compaction), null for an unknown or deleted board', async () => {
      const b = await boardWithLog(h.store);
      createTask(b.doc, { title: 'a' });
      await b.flush();
      const head = b.seqs[b.seqs.length - 1]!;
      expect(await h.store.headSeq(b.id)).toBe(head);
      await h.store.compact(b.id, Y.encodeStateAsUpdate(b.doc), head);
      expect(await h.store.headSeq(b.id)).toBe(head);
      expect(await h.store.headSeq(newId())).toBeNull();
      await expect(h.store.loadUpdatesSince(newId(), 0)).rejects.toBeInstanceOf(UnknownBoardError);
      await h.store.deleteBoard(b.id);
      expect(await h.store.headSeq(b.id)).toBeNull();
      await expect(h.store.loadUpdatesSince(b.id, 0)).rejects.toBeInstanceOf(UnknownBoardError);
    });

    it('rotateLink starts a new generation of one link, seen by getBoard on every instance', async () => {
      const b = await boardWithLog(h.store);
      const second = await another();
      expect(await h.store.rotateLink(b.id, 'edit')).toBe(1);
      expect(await second.rotateLink(b.id, 'edit')).toBe(2);
      expect(await h.store.rotateLink(b.id, 'view')).toBe(1);
      expect((await second.getBoard(b.id))?.linkGenerations).toEqual({ edit: 2, view: 1 });
      await expect(h.store.rotateLink(newId(), 'view')).rejects.toBeInstanceOf(UnknownBoardError);
    });

    it('sharedSecret: the first candidate stored wins, on every instance', async () => {
      const second = await another();
      const [one, two] = await Promise.all([h.store.sharedSecret('secret-from-one-0123456789'), second.sharedSecret('secret-from-two-0123456789')]);
      expect(one).toBe(two);
      expect(['secret-from-one-0123456789', 'secret-from-two-0123456789']).toContain(one);
      expect(await h.store.sharedSecret('a-later-candidate-0123456789')).toBe(one);
      const third = await another();
      expect(await third.sharedSecret('yet-another-candidate-01234')).toBe(one);
    });

    it('stores and returns multi-megabyte rows byte for byte', async () => {
      const b = await boardWithLog(h.store);
      const big = new Uint8Array(6 * 1024 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
      const seq = await h.store.appendUpdate(b.id, big);
      const state = await h.store.loadBoardState(b.id);
      expect(state.corrupt).toEqual([]);
      expect(Buffer.from(state.updates[1]!).equals(Buffer.from(big))).toBe(true);
      const snap = big.subarray(1024);
      await h.store.compact(b.id, snap, seq);
      const compacted = await h.store.loadBoardState(b.id);
      expect(Buffer.from(compacted.snapshot!).equals(Buffer.from(snap))).toBe(true);
      expect(compacted.updates).toEqual([]);
    });

    it('ping resolves while the database answers, rejects while it is down, and the store reconnects by itself', async (ctx) => {
      await h.store.ping();
      if (!h.stopDatabase || !h.startDatabase) return ctx.skip(); // embedded store: nothing to stop
      const b = await boardWithLog(h.store);
      await h.stopDatabase();
      await expect(h.store.ping()).rejects.toThrow();
      await expect(h.store.appendUpdate(b.id, new Uint8Array([0, 0]))).rejects.toThrow();
      await h.startDatabase();
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          await h.store.ping();
          break;
        } catch (err) {
          if (Date.now() > deadline) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      createTask(b.doc, { title: 'after the outage' });
      await b.flush();
      expect(readBoard(rebuild(await h.store.loadBoardState(b.id))).tasks.size).toBe(1);
    });

    it('version history: saves versions with their state, lists them newest first, deletes them', async () => {
      const b = await boardWithLog(h.store, 'History');
      const other = await boardWithLog(h.store, 'Other');
      createTask(b.doc, { title: 'v1 task' });
      const state1 = Y.encodeStateAsUpdate(b.doc);
      const summary = emptySummary();
      summary.tasksAdded.push({ id: 't', title: 'v1 task' });
      summary.counts.tasksAdded = 1;
      await h.store.saveVersion(b.id, { id: 'v1', name: '', kind: 'auto', createdAt: '2026-01-01T10:00:00.000Z', authors: ['Ann'], summary, state: state1 });
      await h.store.saveVersion(b.id, { id: 'v2', name: 'Review', kind: 'named', createdAt: '2026-01-01T11:00:00.000Z', authors: [], summary: emptySummary(), state: state1 });
      // Same timestamp as v2: the later insert still lists first.
      await h.store.saveVersion(b.id, { id: 'v3', name: 'Before restoring “Review”', kind: 'restore', createdAt: '2026-01-01T11:00:00.000Z', authors: ['API'], summary: emptySummary(), restoredFrom: 'v2', state: state1 });

      const list = await h.store.listVersions(b.id);
      expect(list.map((v) => v.id)).toEqual(['v3', 'v2', 'v1']);
      expect(list[2]).toEqual({ id: 'v1', name: '', kind: 'auto', createdAt: '2026-01-01T10:00:00.000Z', authors: ['Ann'], summary });
      expect(list[0]).toMatchObject({ kind: 'restore', restoredFrom: 'v2', authors: ['API'] });
      expect(await h.store.listVersions(other.id)).toEqual([]);

      const state = await h.store.getVersionState(b.id, 'v1');
      expect(state).not.toBeNull();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state!);
      expect([...readBoard(doc).tasks.values()].map((t) => t.title)).toEqual(['v1 task']);
      // A version is only reachable through its own board.
      expect(await h.store.getVersionState(other.id, 'v1')).toBeNull();
      expect(await h.store.getVersionState(b.id, 'nope')).toBeNull();

      expect(await h.store.deleteVersions(other.id, ['v1'])).toBe(0);
      expect(await h.store.deleteVersions(b.id, ['v1', 'v3', 'missing'])).toBe(2);
      expect((await h.store.listVersions(b.id)).map((v) => v.id)).toEqual(['v2']);
      expect(await h.store.deleteVersions(b.id, [])).toBe(0);
    });

    it('version history: refuses a version for an unknown board or a duplicate id', async () => {
      const b = await boardWithLog(h.store);
      const v = { id: 'dup', name: '', kind: 'auto' as const, createdAt: new Date().toISOString(), authors: [], summary: emptySummary(), state: Y.encodeStateAsUpdate(b.doc) };
      await expect(h.store.saveVersion(newId(), v)).rejects.toBeInstanceOf(UnknownBoardError);
      await h.store.saveVersion(b.id, v);
      await expect(h.store.saveVersion(b.id, v)).rejects.toThrow();
      expect(await h.store.listVersions(b.id)).toHaveLength(1);
    });
  });
}
