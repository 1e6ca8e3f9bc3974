import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newId } from '../../shared/ids.ts';
import { newBoardUpdate } from '../../shared/doc/init.ts';
import { createTask, updateShape } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { StorageCorruptError, UnknownBoardError, type BoardStore, type StoredBoardState } from '../../server/storage/types.ts';

/**
 * The contract every BoardStore implementation passes (SQLite today, PostgreSQL later).
 * Run it from an implementation's test file:
 *
 * @example
 *   runBoardStoreContract('sqlite', async () => { const dir = ...; return { store: openSqliteStore(dir), corruptLatestUpdate, cleanup } });
 */
export interface StoreHarness {
  store: BoardStore;
  /** Changes the bytes of the board's newest log row without fixing its checksum. */
  corruptLatestUpdate(boardId: string): Promise<void>;
  /** Changes the bytes of the board's snapshot without fixing its checksum. */
  corruptSnapshot(boardId: string): Promise<void>;
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
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h.store.close();
      await h.cleanup();
    });

    it('registers a board with its first update', async () => {
      const b = await boardWithLog(h.store, 'Roadmap');
      expect(await h.store.getBoard(b.id)).toEqual({ id: b.id, title: 'Roadmap', createdAt: b.createdAt });
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
      expect(await h.store.getBoard(b.id)).toEqual({ id: b.id, title: 'After', createdAt: b.createdAt });
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

    it('detects a corrupt log row by its checksum', async () => {
      const b = await boardWithLog(h.store);
      createTask(b.doc, { title: 'a' });
      await b.flush();
      await h.store.loadBoardState(b.id);
      await h.corruptLatestUpdate(b.id);
      await expect(h.store.loadBoardState(b.id)).rejects.toBeInstanceOf(StorageCorruptError);
    });

    it('detects a corrupt snapshot by its checksum', async () => {
      const b = await boardWithLog(h.store);
      createTask(b.doc, { title: 'a' });
      await b.flush();
      await h.store.compact(b.id, Y.encodeStateAsUpdate(b.doc), b.seqs[b.seqs.length - 1]!);
      await h.corruptSnapshot(b.id);
      await expect(h.store.loadBoardState(b.id)).rejects.toBeInstanceOf(StorageCorruptError);
    });
  });
}
