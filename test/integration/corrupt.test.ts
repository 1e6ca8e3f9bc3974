import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import { SQLITE_FILE_NAME, checksum } from '../../server/storage/sqlite.ts';
import { connectClient, waitFor, type TestClient } from '../helpers/clients.ts';
import { createBoard, makeTempDir, removeTempDir, startTestServer, type TestServer } from '../helpers/server.ts';

type Row = { seq: number; data: Buffer; checksum: number };

function dump(dataDir: string, boardId: string): { updates: Row[]; snapshots: unknown[] } {
  const db = new Database(path.join(dataDir, SQLITE_FILE_NAME), { readonly: true });
  try {
    return {
      updates: db.prepare('SELECT seq, data, checksum FROM updates WHERE board_id = ? ORDER BY seq').all(boardId) as Row[],
      snapshots: db.prepare('SELECT * FROM snapshots WHERE board_id = ?').all(boardId),
    };
  } finally {
    db.close();
  }
}

function tamper(dataDir: string, sql: string, ...params: unknown[]): void {
  const db = new Database(path.join(dataDir, SQLITE_FILE_NAME));
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

describe('a board whose stored state is corrupt is refused, never served or stored as empty', () => {
  const dataDir = makeTempDir();
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const s of servers) await s.close();
    removeTempDir(dataDir);
  });

  it.each([
    [
      'a log row whose bytes do not match its checksum',
      (rows: Row[]): [string, ...unknown[]] => {
        const data = Buffer.from(rows[1]!.data);
        data[5] = data[5]! ^ 0xff;
        return ['UPDATE updates SET data = ? WHERE seq = ?', data, rows[1]!.seq];
      },
    ],
    [
      'a log row that is not a Yjs update (checksum consistent)',
      (rows: Row[]): [string, ...unknown[]] => {
        const garbage = Uint8Array.of(5, 200, 1, 7, 7, 7);
        return ['UPDATE updates SET data = ?, checksum = ? WHERE seq = ?', Buffer.from(garbage), checksum(garbage), rows[1]!.seq];
      },
    ],
    [
      'every log row gone and no snapshot (the board would load empty)',
      (rows: Row[]): [string, ...unknown[]] => [`DELETE FROM updates WHERE seq IN (${rows.map((r) => r.seq).join(', ')})`],
    ],
  ] as const)('%s -> 1011, rows unchanged, other boards fine', async (_name, corruption) => {
    // Make a board with some history while the server runs, then stop it (no compaction: log stays).
    const s1 = await startTestServer({ dataDir });
    servers.push(s1);
    const board = await createBoard(s1.url, 'Fragile');
    const healthy = await createBoard(s1.url, 'Healthy');
    const writer = connectClient(s1.wsUrl, board.id, board.editToken);
    clients.push(writer);
    await writer.synced;
    for (let i = 0; i < 3; i++) createTask(writer.doc, { title: `t${i}` });
    await waitFor(() => s1.server.metrics.get('planvas_updates_stored_total') >= 3, 'stored');
    // Kill the connection abruptly and stop without unloading, so the log is not compacted.
    writer.destroy();
    await s1.server.store.close(); // later writes (compaction on close) fail and are logged, never applied
    await s1.close();

    const rows = dump(dataDir, board.id).updates;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const [sql, ...params] = corruption(rows);
    tamper(dataDir, sql, ...params);
    const before = dump(dataDir, board.id);

    const s2 = await startTestServer({ dataDir });
    servers.push(s2);
    const victim = connectClient(s2.wsUrl, board.id, board.editToken);
    clients.push(victim);
    await waitFor(() => victim.closeCodes.includes(CloseCode.internalError), 'closed with 1011');
    expect(victim.provider.synced).toBe(false);
    // The client's (empty) state was not written over the board.
    createTask(victim.doc, { title: 'should not be stored' });
    victim.destroy();
    expect(s2.server.metrics.get('planvas_board_load_failures_total')).toBeGreaterThanOrEqual(1);

    const ok = connectClient(s2.wsUrl, healthy.id, healthy.editToken);
    clients.push(ok);
    await ok.synced;
    expect(readBoard(ok.doc).meta.title).toBe('Healthy');
    ok.destroy();
    await s2.close();
    expect(dump(dataDir, board.id)).toEqual(before);
  });
});
