import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newBoardUpdate } from '../../shared/doc/init.ts';
import { createTask } from '../../shared/doc/ops.ts';
import { newId } from '../../shared/ids.ts';
import { SQLITE_FILE_NAME, checksum, openSqliteStore } from '../../server/storage/sqlite.ts';
import { SWEEP_SLICE_SEQS, createCoveredRows } from '../../server/storage/sqliteCoveredRows.ts';
import type { BoardStore } from '../../server/storage/types.ts';
import { makeTempDir, removeTempDir } from '../helpers/server.ts';

/** Log rows of a board as they are in the file, covered or not. */
function rowsInFile(dir: string, boardId: string): number {
  const db = new Database(path.join(dir, SQLITE_FILE_NAME), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM updates WHERE board_id = ?').get(boardId) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('sqlite store: rows a compaction covered are deleted later, all boards together', () => {
  let dir: string;
  let store: BoardStore;
  beforeEach(() => {
    dir = makeTempDir('planvas-covered-');
    store = openSqliteStore(dir);
  });
  afterEach(async () => {
    await store.close();
    removeTempDir(dir);
  });

  /** A board with `edits` log rows; resolves with its id and the document they make. */
  const boardWithLog = async (edits: number) => {
    const id = newId();
    await store.createBoard({ id, title: 'Covered', createdAt: new Date().toISOString() }, newBoardUpdate('Covered', ''));
    const doc = new Y.Doc();
    for (const u of (await store.loadBoardState(id)).updates) Y.applyUpdate(doc, u);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < edits; i++) createTask(doc, { title: `task ${i}` });
    const seqs = await store.appendUpdates(id, updates);
    return { id, doc, lastSeq: seqs.at(-1)! };
  };

  it('after a compaction the covered rows are never read, and are gone from the file once the store closes', async () => {
    const { id, doc, lastSeq } = await boardWithLog(5);
    await store.compact(id, Y.encodeStateAsUpdate(doc), lastSeq, Y.encodeStateVector(doc));
    expect(rowsInFile(dir, id)).toBe(6); // the first update and the five edits, waiting for the sweep
    const loaded = await store.loadBoardState(id);
    expect(loaded.updates).toHaveLength(0);
    expect(await store.logLength(id)).toBe(0);
    const [next] = await store.appendUpdates(id, [Y.encodeStateAsUpdate(doc)]);
    expect((await store.loadUpdatesSince(id, 0)).updates).toHaveLength(1);
    expect(await store.logLength(id)).toBe(1);
    await store.close();
    expect(rowsInFile(dir, id)).toBe(1);
    store = openSqliteStore(dir);
    expect((await store.loadBoardState(id)).lastSeq).toBe(next);
  });

  it('rows left behind by a crash after a compaction are deleted once the board is loaded again', async () => {
    const { id, doc, lastSeq } = await boardWithLog(3);
    await store.close();
    // What a crash between a compaction and its sweep leaves: a snapshot over rows still there.
    const raw = new Database(path.join(dir, SQLITE_FILE_NAME));
    const snapshot = Buffer.from(Y.encodeStateAsUpdate(doc));
    raw.prepare('INSERT INTO snapshots (board_id, data, checksum, last_seq, updated_at) VALUES (?, ?, ?, ?, ?)').run(id, snapshot, checksum(snapshot), lastSeq, new Date().toISOString());
    raw.close();
    expect(rowsInFile(dir, id)).toBe(4);
    store = openSqliteStore(dir);
    const loaded = await store.loadBoardState(id);
    expect(loaded.updates).toHaveLength(0);
    expect(loaded.snapshot).not.toBeNull();
    await store.close();
    expect(rowsInFile(dir, id)).toBe(0);
  });

  it('deleting a board with covered rows waiting deletes everything, and the sweep after it does not fail', async () => {
    const a = await boardWithLog(2);
    const b = await boardWithLog(2);
    await store.compact(a.id, Y.encodeStateAsUpdate(a.doc), a.lastSeq);
    await store.compact(b.id, Y.encodeStateAsUpdate(b.doc), b.lastSeq);
    expect(await store.deleteBoard(a.id)).toBe(true);
    expect(rowsInFile(dir, a.id)).toBe(0);
    await store.close();
    expect(rowsInFile(dir, b.id)).toBe(0);
  });
});

describe('createCoveredRows', () => {
  let dir: string;
  let db: Database.Database;
  beforeEach(() => {
    dir = makeTempDir('planvas-covered-');
    db = new Database(path.join(dir, 'c.db'));
    db.exec('CREATE TABLE rows (seq INTEGER PRIMARY KEY, board TEXT NOT NULL)');
    // Two boards' rows interleaved over more seqs than one slice.
    const insert = db.prepare('INSERT INTO rows (seq, board) VALUES (?, ?)');
    db.transaction(() => {
      for (let seq = 1; seq <= 3 * SWEEP_SLICE_SEQS; seq++) insert.run(seq, seq % 2 ? 'a' : 'b');
    })();
  });
  afterEach(() => {
    db.close();
    removeTempDir(dir);
  });
  const logRows = (slices: Set<number>) => ({
    firstSeq: (board: string) => (db.prepare('SELECT min(seq) AS seq FROM rows WHERE board = ?').get(board) as { seq: number | null }).seq,
    deleteRange: (board: string, from: number, to: number) => {
      expect(db.inTransaction).toBe(true);
      slices.add(Math.floor((from - 1) / SWEEP_SLICE_SEQS));
      db.prepare('DELETE FROM rows WHERE board = ? AND seq BETWEEN ? AND ?').run(board, from, to);
    },
  });
  const count = (where: string) => (db.prepare(`SELECT count(*) AS n FROM rows WHERE ${where}`).get() as { n: number }).n;

  it('after the delay, deletes every covered row of every board, one slice of seqs per turn, and nothing else', async () => {
    const slices = new Set<number>();
    const covered = createCoveredRows(db, logRows(slices), 30);
    const boundA = 2 * SWEEP_SLICE_SEQS + 101;
    const boundB = SWEEP_SLICE_SEQS + 10;
    covered.add('a', boundA);
    covered.add('b', boundB);
    covered.add('a', 3); // lower than what is queued: no effect
    await new Promise((r) => setTimeout(r, 10));
    expect(count('1')).toBe(3 * SWEEP_SLICE_SEQS);
    await new Promise((r) => setTimeout(r, 100));
    expect(count(`board = 'a' AND seq <= ${boundA}`)).toBe(0);
    expect(count(`board = 'b' AND seq <= ${boundB}`)).toBe(0);
    expect(count(`board = 'a' AND seq > ${boundA}`)).toBe(Math.floor((3 * SWEEP_SLICE_SEQS - boundA) / 2));
    expect(count(`board = 'b' AND seq > ${boundB}`)).toBe((3 * SWEEP_SLICE_SEQS - boundB) / 2);
    expect([...slices].sort()).toEqual([0, 1, 2]);
  });

  it('sweepAll deletes at once, also in the middle of a sweep; a forgotten board is left to its own delete', () => {
    const slices = new Set<number>();
    const covered = createCoveredRows(db, logRows(slices), 60_000);
    covered.add('a', 3 * SWEEP_SLICE_SEQS);
    covered.add('b', 3 * SWEEP_SLICE_SEQS);
    covered.forget('b');
    covered.sweepAll();
    expect(count(`board = 'a'`)).toBe(0);
    expect(count(`board = 'b'`)).toBe(3 * SWEEP_SLICE_SEQS / 2);
  });
});
