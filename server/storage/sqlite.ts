import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateRaw, inflateRaw } from 'node:zlib';
import { readSummary } from '../../shared/history/summary.ts';
import { StorageCorruptError, UnknownBoardError, type BoardRecord, type BoardStore, type StoredBoardState, type VersionKind, type VersionRecord } from './types.ts';

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
-- Version history (server/history): full states, never part of loading a board.
-- ON DELETE CASCADE: deleting a board deletes its history with it.
CREATE TABLE IF NOT EXISTS board_versions (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at TEXT NOT NULL,
  authors TEXT NOT NULL,
  summary TEXT NOT NULL,
  restored_from TEXT,
  data BLOB NOT NULL,
  checksum INTEGER NOT NULL,
  encoding TEXT NOT NULL DEFAULT 'raw'
) STRICT;
CREATE INDEX IF NOT EXISTS board_versions_board ON board_versions(board_id, created_at);
`;

/**
 * How a version's state is stored (board_versions.encoding): 'deflate' (raw DEFLATE of the
 * Yjs update) for every new row — a version is a whole document, ~500 KB per 1,000 tasks, and
 * compresses about 5:1 — and 'raw' for rows written before compression. The checksum is over
 * the stored bytes, so damage is caught before inflating.
 */
const VERSION_ENCODING = 'deflate';

export const SQLITE_FILE_NAME = 'planvas.sqlite';

const deflateRawAsync = promisify(deflateRaw);
const inflateRawAsync = promisify(inflateRaw);

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
  // A data dir from before version states were compressed: add the column (old rows are 'raw').
  if (!db.prepare<[], { name: string }>('SELECT name FROM pragma_table_info(\'board_versions\')').all().some((c) => c.name === 'encoding')) {
    db.exec("ALTER TABLE board_versions ADD COLUMN encoding TEXT NOT NULL DEFAULT 'raw'");
  }

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

  const insertVersion = db.prepare(
    `INSERT INTO board_versions (id, board_id, name, kind, created_at, authors, summary, restored_from, data, checksum, encoding)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectVersions = db.prepare<[string], VersionRow>(
    'SELECT id, name, kind, created_at, authors, summary, restored_from FROM board_versions WHERE board_id = ? ORDER BY created_at DESC, rowid DESC',
  );
  const selectVersionState = db.prepare<[string, string], { data: Buffer; checksum: number; encoding: string }>(
    'SELECT data, checksum, encoding FROM board_versions WHERE board_id = ? AND id = ?',
  );
  const deleteVersion = db.prepare('DELETE FROM board_versions WHERE board_id = ? AND id = ?');
  const deleteVersionsTx = db.transaction((boardId: string, ids: readonly string[]) => ids.reduce((n, id) => n + deleteVersion.run(boardId, id).changes, 0));

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

  // Every table whose rows belong to a board (snapshots, updates, versions, and any added
  // later) declares REFERENCES boards(id); deleting a board empties them all, found from the
  // schema, so a new table cannot be forgotten here. With foreign_keys=ON a missed child row
  // would make the registry delete fail and roll everything back, never leave orphans.
  const boardChildTables = (): string[] =>
    db
      .prepare<[], { name: string }>(
        `SELECT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f
         WHERE m.type = 'table' AND f."table" = 'boards' AND f."to" = 'id' AND f."from" = 'board_id'`,
      )
      .all()
      .map((row) => row.name);
  const deleteBoardRow = db.prepare('DELETE FROM boards WHERE id = ?');
  const deleteBoardTx = db.transaction((id: string): boolean => {
    if (!exists(id)) return false;
    for (const table of boardChildTables()) db.prepare(`DELETE FROM "${table.replace(/"/g, '""')}" WHERE board_id = ?`).run(id);
    deleteBoardRow.run(id);
    return true;
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
    async deleteBoard(id) {
      return deleteBoardTx(id);
    },
    async logLength(id) {
      return countUpdates.get(id, snapshotSeq(id))?.n ?? 0;
    },
    async saveVersion(boardId, v) {
      if (!exists(boardId)) throw new UnknownBoardError(boardId);
      // On the libuv pool, off the event loop: a 10k-task state is megabytes.
      const data = await deflateRawAsync(v.state);
      if (!exists(boardId)) throw new UnknownBoardError(boardId);
      insertVersion.run(
        v.id, boardId, v.name, v.kind, v.createdAt, JSON.stringify(v.authors), JSON.stringify(v.summary),
        v.restoredFrom ?? null, data, checksum(data), VERSION_ENCODING,
      );
    },
    async listVersions(boardId) {
      return selectVersions.all(boardId).map(versionFromRow);
    },
    async getVersionState(boardId, versionId) {
      const row = selectVersionState.get(boardId, versionId);
      if (!row) return null;
      if (checksum(row.data) !== row.checksum) throw new StorageCorruptError(boardId, `version ${versionId} checksum mismatch`);
      if (row.encoding === 'raw') return new Uint8Array(row.data);
      if (row.encoding !== VERSION_ENCODING) throw new StorageCorruptError(boardId, `version ${versionId} has an unknown encoding`);
      try {
        return new Uint8Array(await inflateRawAsync(row.data));
      } catch {
        throw new StorageCorruptError(boardId, `version ${versionId} does not inflate`);
      }
    },
    async deleteVersions(boardId, versionIds) {
      if (versionIds.length === 0) return 0;
      return deleteVersionsTx(boardId, versionIds);
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

interface VersionRow {
  id: string;
  name: string;
  kind: string;
  created_at: string;
  authors: string;
  summary: string;
  restored_from: string | null;
}

const VERSION_KINDS: readonly VersionKind[] = ['auto', 'named', 'restore'];

/** A stored row as a record; JSON columns are re-validated (an unreadable one reads as empty, never throws). */
function versionFromRow(row: VersionRow): VersionRecord {
  const record: VersionRecord = {
    id: row.id,
    name: row.name,
    kind: (VERSION_KINDS as readonly string[]).includes(row.kind) ? (row.kind as VersionKind) : 'auto',
    createdAt: row.created_at,
    authors: parseAuthors(row.authors),
    summary: readSummary(parseJson(row.summary)),
  };
  if (row.restored_from) record.restoredFrom = row.restored_from;
  return record;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function parseAuthors(text: string): string[] {
  const value = parseJson(text);
  return Array.isArray(value) ? value.filter((a): a is string => typeof a === 'string') : [];
}
