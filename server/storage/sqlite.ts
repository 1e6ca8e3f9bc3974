import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { BOARD_COLUMNS, assembleState, boardFromRow, type BadRow, type BoardRow, type RawSnapshotRow } from './boardState.ts';
import { checksum } from './checksum.ts';
import { createCoveredRows } from './sqliteCoveredRows.ts';
import { createGroupCommit } from './sqliteGroupCommit.ts';
import { decodeVersionState, encodeVersionState, versionFromRow, type VersionRow } from './versionRows.ts';
import { UnknownBoardError, type BoardRecord, type BoardStore, type StoredBoardState } from './types.ts';

export { checksum } from './checksum.ts';

/**
 * The embedded default store: one SQLite file (WAL) in the data dir, owned by one process
 * (sharedLog false: several instances need PostgreSQL, server/storage/postgres.ts).
 *
 * Durability: better-sqlite3 is synchronous, so when `appendUpdate` returns the row is in the
 * WAL. With synchronous=NORMAL a committed transaction survives the process being killed
 * (SIGKILL); only an OS crash or power loss can drop the last transactions.
 *
 * Every blob carries a CRC-32 so corruption is detected on load instead of served; a row that
 * fails it is copied to `quarantine` (once) and reported, and the rest of the board loads.
 *
 * @example const store = openSqliteStore('./data'); await store.getBoard(id)
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  created_at TEXT NOT NULL,
  edit_generation INTEGER NOT NULL DEFAULT 0,
  view_generation INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE IF NOT EXISTS snapshots (
  board_id TEXT PRIMARY KEY REFERENCES boards(id),
  data BLOB NOT NULL,
  checksum INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  state_vector BLOB,
  state_vector_checksum INTEGER
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
-- Rows that failed their checksum, copied here once for an operator (compaction may later
-- delete the original). Deleted with the board.
CREATE TABLE IF NOT EXISTS quarantine (
  board_id TEXT NOT NULL REFERENCES boards(id),
  kind TEXT NOT NULL,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  checksum INTEGER NOT NULL,
  detail TEXT NOT NULL,
  detected_at TEXT NOT NULL,
  PRIMARY KEY (board_id, kind, seq)
) STRICT;
-- Server-wide values (the token secret when a caller asks the store for it).
CREATE TABLE IF NOT EXISTS settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;

export const SQLITE_FILE_NAME = 'planvas.sqlite';

/** The settings key of the shared token secret (same in every store). */
export const SECRET_SETTING = 'token_secret';

/** Adds columns a data dir written by an older Planvas lacks (existing rows get the default). */
function migrate(db: Database.Database): void {
  const columns = (table: string): string[] => db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').all(table).map((c) => c.name);
  // Before version states were compressed: old rows are 'raw'.
  if (!columns('board_versions').includes('encoding')) db.exec("ALTER TABLE board_versions ADD COLUMN encoding TEXT NOT NULL DEFAULT 'raw'");
  // Before links could be reset: every existing link is generation 0.
  const boardColumns = columns('boards');
  if (!boardColumns.includes('edit_generation')) db.exec('ALTER TABLE boards ADD COLUMN edit_generation INTEGER NOT NULL DEFAULT 0');
  if (!boardColumns.includes('view_generation')) db.exec('ALTER TABLE boards ADD COLUMN view_generation INTEGER NOT NULL DEFAULT 0');
  // Before snapshots kept their state vector: unknown (NULL) until the next compaction.
  if (!columns('snapshots').includes('state_vector')) {
    db.exec('ALTER TABLE snapshots ADD COLUMN state_vector BLOB');
    db.exec('ALTER TABLE snapshots ADD COLUMN state_vector_checksum INTEGER');
  }
}

export function openSqliteStore(dataDir: string): BoardStore {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, SQLITE_FILE_NAME));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  migrate(db);

  const insertBoard = db.prepare('INSERT INTO boards (id, title, created_at) VALUES (?, ?, ?)');
  const selectBoard = db.prepare<[string], BoardRow>(`SELECT ${BOARD_COLUMNS} FROM boards WHERE id = ?`);
  const boardExists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM boards WHERE id = ?');
  const updateTitle = db.prepare('UPDATE boards SET title = ? WHERE id = ?');
  const rotateEdit = db.prepare<[string], { generation: number }>('UPDATE boards SET edit_generation = edit_generation + 1 WHERE id = ? RETURNING edit_generation AS generation');
  const rotateView = db.prepare<[string], { generation: number }>('UPDATE boards SET view_generation = view_generation + 1 WHERE id = ? RETURNING view_generation AS generation');
  const insertUpdate = db.prepare('INSERT INTO updates (board_id, data, checksum) VALUES (?, ?, ?)');
  const selectSnapshot = db.prepare<[string], { data: Buffer; checksum: number; last_seq: number; state_vector: Buffer | null; state_vector_checksum: number | null }>(
    'SELECT data, checksum, last_seq, state_vector, state_vector_checksum FROM snapshots WHERE board_id = ?',
  );
  const selectUpdates = db.prepare<[string, number], { seq: number; data: Buffer; checksum: number }>(
    'SELECT seq, data, checksum FROM updates WHERE board_id = ? AND seq > ? ORDER BY seq',
  );
  const selectHead = db.prepare<[string, string, string], { log: number | null; snap: number | null }>(
    'SELECT (SELECT max(seq) FROM updates WHERE board_id = ?) AS log, (SELECT last_seq FROM snapshots WHERE board_id = ?) AS snap FROM boards WHERE id = ?',
  );
  const upsertSnapshot = db.prepare(
    `INSERT INTO snapshots (board_id, data, checksum, last_seq, updated_at, state_vector, state_vector_checksum) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(board_id) DO UPDATE SET data = excluded.data, checksum = excluded.checksum, last_seq = excluded.last_seq, updated_at = excluded.updated_at,
       state_vector = excluded.state_vector, state_vector_checksum = excluded.state_vector_checksum
     WHERE excluded.last_seq >= snapshots.last_seq`,
  );
  const countUpdates = db.prepare<[string, number], { n: number }>('SELECT count(*) AS n FROM updates WHERE board_id = ? AND seq > ?');
  // Once per row: a board that is loaded again reports the row again but does not copy it again.
  const insertQuarantine = db.prepare(
    'INSERT OR IGNORE INTO quarantine (board_id, kind, seq, data, checksum, detail, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertSetting = db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)');
  const selectSetting = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');

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

  const exists = (id: string): boolean => boardExists.get(id) !== undefined;
  const selectSnapshotSeq = db.prepare<[string], { last_seq: number }>('SELECT last_seq FROM snapshots WHERE board_id = ?');
  const snapshotSeq = (id: string): number => selectSnapshotSeq.get(id)?.last_seq ?? 0;

  const createTx = db.transaction((record: BoardRecord, firstUpdate: Uint8Array) => {
    insertBoard.run(record.id, record.title, record.createdAt);
    insertUpdate.run(record.id, Buffer.from(firstUpdate), checksum(firstUpdate));
  });

  const quarantine = (id: string, bad: readonly BadRow[]): void => {
    const now = new Date().toISOString();
    for (const row of bad) insertQuarantine.run(id, row.kind, row.seq, Buffer.from(row.data), row.checksum, row.detail, now);
  };

  /**
   * One transaction (a compaction can never slip between reading the snapshot and the log).
   * `afterSeq` null: the whole board. A number: rows after it, with the snapshot only when it
   * covers rows beyond `afterSeq`.
   */
  const readTx = db.transaction((id: string, afterSeq: number | null): StoredBoardState => {
    if (!exists(id)) throw new UnknownBoardError(id);
    const snap = selectSnapshot.get(id);
    const since = afterSeq ?? 0;
    const snapshot: RawSnapshotRow | null =
      snap && (afterSeq === null || snap.last_seq > afterSeq)
        ? { seq: snap.last_seq, data: snap.data, checksum: snap.checksum, stateVector: snap.state_vector, stateVectorChecksum: snap.state_vector_checksum }
        : null;
    const from = Math.max(since, snap?.last_seq ?? 0);
    const { state, bad } = assembleState(snapshot, selectUpdates.all(id, from), since);
    quarantine(id, bad);
    return state;
  });

  const compactTx = db.transaction((id: string, snapshot: Uint8Array, upToSeq: number, vector: Uint8Array | undefined) => {
    if (!exists(id)) throw new UnknownBoardError(id);
    upsertSnapshot.run(id, Buffer.from(snapshot), checksum(snapshot), upToSeq, new Date().toISOString(), vector ? Buffer.from(vector) : null, vector ? checksum(vector) : null);
  });
  // The rows a snapshot covers are deleted later, with other boards' (sqliteCoveredRows.ts).
  const selectFirstSeq = db.prepare<[string], { seq: number | null }>('SELECT min(seq) AS seq FROM updates WHERE board_id = ?');
  const deleteUpdateRange = db.prepare('DELETE FROM updates WHERE board_id = ? AND seq BETWEEN ? AND ?');
  const covered = createCoveredRows(db, {
    firstSeq: (id) => selectFirstSeq.get(id)?.seq ?? null,
    deleteRange: (id, fromSeq, toSeq) => deleteUpdateRange.run(id, fromSeq, toSeq),
  });

  const appendManyTx = db.transaction((id: string, updates: readonly Uint8Array[]) => {
    if (!exists(id)) throw new UnknownBoardError(id);
    return updates.map((u) => Number(insertUpdate.run(id, Buffer.from(u), checksum(u)).lastInsertRowid));
  });

  // Every table whose rows belong to a board (snapshots, updates, versions, quarantine, and any
  // added later) declares REFERENCES boards(id); deleting a board empties them all, found from
  // the schema, so a new table cannot be forgotten here. With foreign_keys=ON a missed child row
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

  const secretTx = db.transaction((candidate: string): string => {
    insertSetting.run(SECRET_SETTING, candidate);
    return selectSetting.get(SECRET_SETTING)?.value ?? candidate;
  });

  // Appends from every board in the same moment share one commit; every other method first
  // commits the appends queued before it, so operations take effect in call order.
  const groupCommit = createGroupCommit(db, appendManyTx);
  const flush = groupCommit.flush;
  let closed = false;
  return {
    sharedLog: false,
    async ping() {
      flush();
      db.prepare('SELECT 1').get();
    },
    async sharedSecret(candidate) {
      flush();
      return secretTx(candidate);
    },
    async createBoard(record, firstUpdate) {
      flush();
      createTx(record, firstUpdate);
    },
    async getBoard(id) {
      flush();
      const row = selectBoard.get(id);
      return row ? boardFromRow(row) : null;
    },
    async loadBoardState(id) {
      flush();
      const state = readTx(id, null);
      // Rows a crash left behind after a compaction (covered, never read) go with the next sweep.
      if (state.snapshot) covered.add(id, snapshotSeq(id));
      return state;
    },
    async loadUpdatesSince(id, afterSeq) {
      flush();
      return readTx(id, afterSeq);
    },
    async headSeq(id) {
      flush();
      const row = selectHead.get(id, id, id);
      if (!row) return null;
      return Math.max(row.log ?? 0, row.snap ?? 0);
    },
    async rotateLink(id, role) {
      flush();
      const row = (role === 'edit' ? rotateEdit : rotateView).get(id);
      if (!row) throw new UnknownBoardError(id);
      return row.generation;
    },
    async appendUpdate(id, update) {
      flush();
      if (!exists(id)) throw new UnknownBoardError(id);
      return Number(insertUpdate.run(id, Buffer.from(update), checksum(update)).lastInsertRowid);
    },
    async appendUpdates(id, updates) {
      if (updates.length === 0) return [];
      return groupCommit.append(id, updates);
    },
    async compact(id, snapshot, upToSeq, snapshotVector) {
      flush();
      compactTx(id, snapshot, upToSeq, snapshotVector);
      covered.add(id, upToSeq);
    },
    async setBoardTitle(id, title) {
      flush();
      if (updateTitle.run(title, id).changes === 0) throw new UnknownBoardError(id);
    },
    async deleteBoard(id) {
      flush();
      covered.forget(id);
      return deleteBoardTx(id);
    },
    async logLength(id) {
      flush();
      return countUpdates.get(id, snapshotSeq(id))?.n ?? 0;
    },
    async saveVersion(boardId, v) {
      flush();
      if (!exists(boardId)) throw new UnknownBoardError(boardId);
      const stored = await encodeVersionState(v.state);
      // Checked again: the board may have been deleted while the state was compressed.
      flush();
      if (!exists(boardId)) throw new UnknownBoardError(boardId);
      insertVersion.run(
        v.id, boardId, v.name, v.kind, v.createdAt, JSON.stringify(v.authors), JSON.stringify(v.summary),
        v.restoredFrom ?? null, stored.data, stored.checksum, stored.encoding,
      );
    },
    async listVersions(boardId) {
      flush();
      return selectVersions.all(boardId).map(versionFromRow);
    },
    async getVersionState(boardId, versionId) {
      flush();
      const row = selectVersionState.get(boardId, versionId);
      return row ? decodeVersionState(boardId, versionId, row) : null;
    },
    async deleteVersions(boardId, versionIds) {
      flush();
      if (versionIds.length === 0) return 0;
      return deleteVersionsTx(boardId, versionIds);
    },
    async close() {
      if (closed) return;
      flush();
      covered.sweepAll();
      closed = true;
      db.close();
    },
  };
}
