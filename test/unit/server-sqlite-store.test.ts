import Database from 'better-sqlite3';
import path from 'node:path';
import { SQLITE_FILE_NAME, openSqliteStore } from '../../server/storage/sqlite.ts';
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

runBoardStoreContract('sqlite', async () => {
  const dir = makeTempDir('planvas-store-');
  return {
    store: openSqliteStore(dir),
    corruptLatestUpdate: async (boardId) => flipLastByte(dir, 'updates', boardId),
    corruptSnapshot: async (boardId) => flipLastByte(dir, 'snapshots', boardId),
    cleanup: async () => removeTempDir(dir),
  };
});
