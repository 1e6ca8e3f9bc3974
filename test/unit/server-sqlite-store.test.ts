import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newBoardUpdate } from '../../shared/doc/init.ts';
import { createTask } from '../../shared/doc/ops.ts';
import { emptySummary } from '../../shared/history/summary.ts';
import { newId } from '../../shared/ids.ts';
import { SQLITE_FILE_NAME, checksum, openSqliteStore } from '../../server/storage/sqlite.ts';
import { runBoardStoreContract } from '../contract/board-store.contract.ts';
import { makeTempDir, removeTempDir } from '../helpers/server.ts';

/** Flips the last byte of one blob through a second connection, as disk rot would (checksum left alone). */
function flipLastByte(dir: string, table: 'updates' | 'snapshots', boardId: string): void {
  const db = new Database(path.join(dir, SQLITE_FILE_NAME));
  try {
    const order = table === 'updates' ? 'ORDER BY seq DESC' : '';
    const row = db.prepare(`SELECT rowid AS rid, data FROM ${table} WHERE board_id = ? ${order} LIMIT 1`).get(boardId) as { rid: number; data: Buffer };
    const data = Buffer.from(row.data);
    data[data.length - 1] = data[data.length - 1]! ^ 0xff;
    db.prepare(`UPDATE ${table} SET data = ? WHERE rowid = ?`).run(data, row.rid);
  } finally {
    db.close();
  }
}

function quarantined(dir: string, boardId: string): Array<{ kind: string; seq: number }> {
  const db = new Database(path.join(dir, SQLITE_FILE_NAME), { readonly: true });
  try {
    return db.prepare('SELECT kind, seq FROM quarantine WHERE board_id = ? ORDER BY kind, seq').all(boardId) as Array<{ kind: string; seq: number }>;
  } finally {
    db.close();
  }
}

runBoardStoreContract('sqlite', async () => {
  const dir = makeTempDir('planvas-store-');
  return {
    store: openSqliteStore(dir),
    corruptLatestUpdate: async (boardId) => flipLastByte(dir, 'updates', boardId),
    corruptSnapshot: async (boardId) => flipLastByte(dir, 'snapshots', boardId),
    quarantined: async (boardId) => quarantined(dir, boardId),
    // A second connection to the same file (SQLite is single-process in production; the
    // contract still holds between two connections).
    openAnother: async () => openSqliteStore(dir),
    cleanup: async () => removeTempDir(dir),
  };
});

describe('sqlite: version states are stored compressed', () => {
  it('a version row holds the DEFLATE of its state, reads back exactly, and rows written before compression still read', async () => {
    const dir = makeTempDir('planvas-store-');
    try {
      const store = openSqliteStore(dir);
      const id = newId();
      await store.createBoard({ id, title: 'Big', createdAt: new Date().toISOString() }, newBoardUpdate('Big', ''));
      const doc = new Y.Doc();
      doc.transact(() => {
        for (let i = 0; i < 300; i++) createTask(doc, { title: `Task ${i}`, x: i, y: i });
      });
      const state = Y.encodeStateAsUpdate(doc);
      const version = { id: 'v1', name: '', kind: 'auto' as const, createdAt: new Date().toISOString(), authors: [], summary: emptySummary(), state };
      await store.saveVersion(id, version);
      expect(await store.getVersionState(id, 'v1')).toEqual(state);
      await store.close();

      const db = new Database(path.join(dir, SQLITE_FILE_NAME));
      const row = db.prepare('SELECT data, encoding FROM board_versions WHERE id = ?').get('v1') as { data: Buffer; encoding: string };
      expect(row.encoding).toBe('deflate');
      expect(row.data.byteLength).toBeLessThan(state.byteLength / 3);
      // A row from before compression: raw bytes, the column's default encoding.
      db.prepare("INSERT INTO board_versions (id, board_id, name, kind, created_at, authors, summary, data, checksum) VALUES ('v0', ?, '', 'auto', '2026-01-01T00:00:00.000Z', '[]', '{}', ?, ?)").run(id, Buffer.from(state), checksum(state));
      db.close();

      const reopened = openSqliteStore(dir);
      expect(await reopened.getVersionState(id, 'v0')).toEqual(state);
      expect(await reopened.getVersionState(id, 'v1')).toEqual(state);
      await reopened.close();
    } finally {
      removeTempDir(dir);
    }
  });

  it('a data dir whose boards table predates link generations is upgraded on open (existing links stay generation 0)', async () => {
    const dir = makeTempDir('planvas-store-');
    try {
      const db = new Database(path.join(dir, SQLITE_FILE_NAME));
      db.exec(`CREATE TABLE boards (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;
        INSERT INTO boards VALUES ('old-board', 'Old', '2026-01-01T00:00:00.000Z');`);
      db.close();
      const store = openSqliteStore(dir);
      expect(await store.getBoard('old-board')).toEqual({ id: 'old-board', title: 'Old', createdAt: '2026-01-01T00:00:00.000Z', linkGenerations: { edit: 0, view: 0 } });
      expect(await store.rotateLink('old-board', 'view')).toBe(1);
      await store.close();
      // Opening again does not migrate twice.
      const again = openSqliteStore(dir);
      expect((await again.getBoard('old-board'))?.linkGenerations).toEqual({ edit: 0, view: 1 });
      await again.close();
    } finally {
      removeTempDir(dir);
    }
  });

  it('a data dir whose board_versions table predates the encoding column is upgraded on open', async () => {
    const dir = makeTempDir('planvas-store-');
    try {
      const db = new Database(path.join(dir, SQLITE_FILE_NAME));
      db.exec(`CREATE TABLE boards (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;
        CREATE TABLE board_versions (id TEXT PRIMARY KEY, board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE, name TEXT NOT NULL, kind TEXT NOT NULL,
          created_at TEXT NOT NULL, authors TEXT NOT NULL, summary TEXT NOT NULL, restored_from TEXT, data BLOB NOT NULL, checksum INTEGER NOT NULL) STRICT;`);
      db.close();
      const store = openSqliteStore(dir);
      const id = newId();
      await store.createBoard({ id, title: 'Old', createdAt: new Date().toISOString() }, newBoardUpdate('Old', ''));
      const state = newBoardUpdate('Old', '');
      await store.saveVersion(id, { id: 'v1', name: '', kind: 'auto', createdAt: new Date().toISOString(), authors: [], summary: emptySummary(), state });
      expect(await store.getVersionState(id, 'v1')).toEqual(state);
      await store.close();
    } finally {
      removeTempDir(dir);
    }
  });
  it('a data dir whose snapshots predate state vectors is upgraded on open, and a damaged vector is left out, never the snapshot', async () => {
    const dir = makeTempDir('planvas-store-');
    try {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, newBoardUpdate('Old', ''));
      createTask(doc, { title: 'kept' });
      const snapshot = Y.encodeStateAsUpdate(doc);
      const db = new Database(path.join(dir, SQLITE_FILE_NAME));
      db.exec(`CREATE TABLE boards (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;
        CREATE TABLE snapshots (board_id TEXT PRIMARY KEY REFERENCES boards(id), data BLOB NOT NULL, checksum INTEGER NOT NULL, last_seq INTEGER NOT NULL, updated_at TEXT NOT NULL) STRICT;
        INSERT INTO boards VALUES ('old-board', 'Old', '2026-01-01T00:00:00.000Z');`);
      db.prepare("INSERT INTO snapshots VALUES ('old-board', ?, ?, 7, '2026-01-01T00:00:00.000Z')").run(Buffer.from(snapshot), checksum(snapshot));
      db.close();

      const store = openSqliteStore(dir);
      const old = await store.loadBoardState('old-board');
      expect(old.snapshot).toEqual(snapshot);
      expect(old.snapshotVector ?? null).toBeNull();
      const vector = Y.encodeStateVector(doc);
      await store.compact('old-board', snapshot, 7, vector);
      expect((await store.loadBoardState('old-board')).snapshotVector).toEqual(vector);
      await store.close();

      const raw = new Database(path.join(dir, SQLITE_FILE_NAME));
      raw.prepare('UPDATE snapshots SET state_vector = ? WHERE board_id = ?').run(Buffer.from([...vector.subarray(0, -1), (vector[vector.length - 1]! + 1) % 256]), 'old-board');
      raw.close();
      const reopened = openSqliteStore(dir);
      const damaged = await reopened.loadBoardState('old-board');
      expect(damaged.snapshot).toEqual(snapshot);
      expect(damaged.corrupt).toEqual([]);
      expect(damaged.snapshotVector ?? null).toBeNull();
      await reopened.close();
    } finally {
      removeTempDir(dir);
    }
  });
});
