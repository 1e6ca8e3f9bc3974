import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { StorageCorruptError, UnknownBoardError, type BoardRecord, type BoardStore, type StoredBoardState } from './types.ts';

/**
 * The embedded default store: one SQLite file (WAL) in the data dir.
 *
 * Durability: better-sqlite3 is synchronous, so when `appendUpdate` returns the row is in the
 * WAL. With synchronous=NORMAL a committed transaction survives the process being killed
 * (SIGKILL); only an OS crash or power loss can drop the last transactions.
 *
 * Every blob carries a CRC-32 so corruption is detected on load instead of served.
 *
 * @example const store = openSqliteStore('./data'); await store.getBoard(id)
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS snapshots (
  board_id TEXT PRIMARY KEY REFERENCES boards(id),
  data BLOB NOT NULL,
  checksum INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  board_id TEXT NOT NULL REFERENCES boards(id),
  data BLOB NOT NULL,
  checksum INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS updates_board_seq ON updates(board_id, seq);
`;

export const SQLITE_FILE_NAME = 'planvas.sqlite';

export function checksum(data: Uint8Array): number {
  return crc32(data);
}

export function openSqliteStore(dataDir: string): BoardStore {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, SQLITE_FILE_NAME));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);

  const insertBoard = db.prepare('INSERT INTO boards (id, title, created_at) VALUES (?, ?, ?)');
  const selectBoard = db.prepare<[string], { id: string; title: string; created_at: string }>('SELECT id, title, created_at FROM boards WHERE id = ?');
  const updateTitle = db.prepare('UPDATE boards SET title = ? WHERE id = ?');
  const insertUpdate = db.prepare('INSERT INTO updates (board_id, data, checksum) VALUES (?, ?, ?)');
  const selectSnapshot = db.prepare<[string], { data: Buffer; checksum: number; last_seq: number }>('SELECT data, checksum, last_seq FROM snapshots WHERE board_id = ?');
  const selectUpdates = db.prepare<[string, number], { seq: number; data: Buffer; checksum: number }>(
    'SELECT seq, data, checksum FROM updates WHERE board_id = ? AND seq > ? ORDER BY seq',
  );
  const upsertSnapshot = db.prepare(
    `INSERT INTO snapshots (board_id, data, checksum, last_seq, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(board_id) DO UPDATE SET data = excluded.data, checksum = excluded.checksum, last_seq = excluded.last_seq, updated_at = excluded.updated_at
     WHERE excluded.last_seq >= snapshots.last_seq`,
  );
  const deleteUpdates = db.prepare('DELETE FROM updates WHERE board_id = ? AND seq <= ?');
  const countUpdates = db.prepare<[string, number], { n: number }>('SELECT count(*) AS n FROM updates WHERE board_id = ? AND seq > ?');

  const exists = (id: string): boolean => selectBoard.get(id) !== undefined;
  const snapshotSeq = (id: string): number => selectSnapshot.get(id)?.last_seq ?? 0;

  const createTx = db.transaction((record: BoardRecord, firstUpdate: Uint8Array) => {
    insertBoard.run(record.id, record.title, record.createdAt);
    insertUpdate.run(record.id, Buffer.from(firstUpdate), checksum(firstUpdate));
  });

  // One read transaction: a compaction can never slip between reading the snapshot and the log.
  const loadTx = db.transaction((id: string): StoredBoardState => {
    if (!exists(id)) throw new UnknownBoardError(id);
    const snap = selectSnapshot.get(id);
    let snapshot: Uint8Array | null = null;
    let lastSeq = 0;
    if (snap) {
      if (checksum(snap.data) !== snap.checksum) throw new StorageCorruptError(id, 'snapshot checksum mismatch');
      snapshot = new Uint8Array(snap.data);
      lastSeq = snap.last_seq;
    }
    const updates: Uint8Array[] = [];
    for (const row of selectUpdates.iterate(id, lastSeq)) {
      if (checksum(row.data) !== row.checksum) throw new StorageCorruptError(id, `update ${row.seq} checksum mismatch`);
      updates.push(new Uint8Array(row.data));
      lastSeq = row.seq;
    }
    return { snapshot, updates, lastSeq };
  });

  const compactTx = db.transaction((id: string, snapshot: Uint8Array, upToSeq: number) => {
    if (!exists(id)) throw new UnknownBoardError(id);
    upsertSnapshot.run(id, Buffer.from(snapshot), checksum(snapshot), upToSeq, new Date().toISOString());
    deleteUpdates.run(id, upToSeq);
  });

  const appendManyTx = db.transaction((id: string, updates: readonly Uint8Array[]) => {
    if (!exists(id)) throw new UnknownBoardError(id);
    return updates.map((u) => Number(insertUpdate.run(id, Buffer.from(u), checksum(u)).lastInsertRowid));
  });

  let closed = false;
  return {
    async createBoard(record, firstUpdate) {
      createTx(record, firstUpdate);
    },
    async getBoard(id) {
      const row = selectBoard.get(id);
      return row ? { id: row.id, title: row.title, createdAt: row.created_at } : null;
    },
    async loadBoardState(id) {
      return loadTx(id);
    },
    async appendUpdate(id, update) {
      if (!exists(id)) throw new UnknownBoardError(id);
      return Number(insertUpdate.run(id, Buffer.from(update), checksum(update)).lastInsertRowid);
    },
    async appendUpdates(id, updates) {
      if (updates.length === 0) return [];
      return appendManyTx(id, updates);
    },
    async compact(id, snapshot, upToSeq) {
      compactTx(id, snapshot, upToSeq);
    },
    async setBoardTitle(id, title) {
      if (updateTitle.run(title, id).changes === 0) throw new UnknownBoardError(id);
    },
    async logLength(id) {
      return countUpdates.get(id, snapshotSeq(id))?.n ?? 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
