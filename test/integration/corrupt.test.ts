import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import { SQLITE_FILE_NAME, checksum, openSqliteStore } from '../../server/storage/sqlite.ts';
import { connectClient, waitFor, type TestClient } from '../helpers/clients.ts';
import { createBoard, makeTempDir, removeTempDir, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * A damaged board on disk, opened by a live server: a row whose checksum fails (or that Yjs
 * refuses) is left out, kept in quarantine and reported, and the REST of the board is served
 * and stored whole again; a board with nothing readable left is refused (1011), never served or
 * stored as empty.
 */
type Row = { seq: number; data: Buffer; checksum: number };

function withDb<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, SQLITE_FILE_NAME));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const logRows = (dataDir: string, boardId: string): Row[] =>
  withDb(dataDir, (db) => db.prepare('SELECT seq, data, checksum FROM updates WHERE board_id = ? ORDER BY seq').all(boardId) as Row[]);
const quarantine = (dataDir: string, boardId: string) =>
  withDb(dataDir, (db) => db.prepare('SELECT kind, seq, data FROM quarantine WHERE board_id = ?').all(boardId) as Array<{ kind: string; seq: number; data: Buffer }>);

describe('a damaged board: the damaged rows are left out and reported, the rest is served and stored whole', () => {
  const dataDir = makeTempDir();
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const s of servers) await s.close();
    removeTempDir(dataDir);
  });

  /** A board with tasks t0, t1, t2 (one log row each) left uncompacted on disk; the server is stopped. */
  async function boardWithThreeTasks(): Promise<{ id: string; editToken: string; healthy: { id: string; editToken: string } }> {
    const s1 = await startTestServer({ dataDir });
    servers.push(s1);
    const board = await createBoard(s1.url, 'Fragile');
    const healthy = await createBoard(s1.url, 'Healthy');
    const writer = connectClient(s1.wsUrl, board.id, board.editToken);
    clients.push(writer);
    await writer.synced;
    for (let i = 0; i < 3; i++) createTask(writer.doc, { title: `t${i}` });
    await waitFor(() => s1.server.metrics.get('planvas_updates_stored_total') >= 3, 'stored');
    // Stop without unloading, so the log is not compacted (later writes fail and are logged).
    writer.destroy();
    await s1.server.store.close();
    await s1.close();
    return { id: board.id, editToken: board.editToken, healthy };
  }

  /** Opens the board on a new server; resolves with the task titles the client sees. */
  async function openAndRead(boardId: string, token: string): Promise<{ server: TestServer; titles: string[] }> {
    const server = await startTestServer({ dataDir });
    servers.push(server);
    const client = connectClient(server.wsUrl, boardId, token);
    clients.push(client);
    await client.synced;
    const titles = [...readBoard(client.doc).tasks.values()].map((t) => t.title).sort();
    client.destroy();
    return { server, titles };
  }

  it.each([
    ['its bytes do not match its checksum', true, (row: Row): [string, ...unknown[]] => {
      const data = Buffer.from(row.data);
      data[5] = data[5]! ^ 0xff;
      return ['UPDATE updates SET data = ? WHERE seq = ?', data, row.seq];
    }],
    ['it is not a Yjs update (checksum consistent)', false, (row: Row): [string, ...unknown[]] => {
      const garbage = Uint8Array.of(5, 200, 1, 7, 7, 7);
      return ['UPDATE updates SET data = ?, checksum = ? WHERE seq = ?', Buffer.from(garbage), checksum(garbage), row.seq];
    }],
  ] as const)('the newest log row: %s -> the other tasks are served, the row reported, the board stored whole again', async (_name, quarantined, corruption) => {
    const board = await boardWithThreeTasks();
    const rows = logRows(dataDir, board.id);
    expect(rows).toHaveLength(4); // the board's first update + one per task
    const damaged = rows[3]!;
    const [sql, ...params] = corruption(damaged);
    withDb(dataDir, (db) => db.prepare(sql).run(...params));

    const first = await openAndRead(board.id, board.editToken);
    expect(first.titles).toEqual(['t0', 't1']);
    expect(first.server.server.metrics.get('planvas_corrupt_rows_total')).toBeGreaterThanOrEqual(1);
    expect(first.server.server.metrics.get('planvas_board_load_failures_total')).toBe(0);
    if (quarantined) expect(quarantine(dataDir, board.id).map((r) => [r.kind, r.seq])).toEqual([['update', damaged.seq]]);
    // Other boards are untouched.
    const ok = connectClient(first.server.wsUrl, board.healthy.id, board.healthy.editToken);
    clients.push(ok);
    await ok.synced;
    expect(readBoard(ok.doc).meta.title).toBe('Healthy');
    ok.destroy();
    await first.server.close();

    // Stored whole on the way out: the next load finds nothing damaged and the same tasks.
    const second = await openAndRead(board.id, board.editToken);
    expect(second.titles).toEqual(['t0', 't1']);
    expect(second.server.server.metrics.get('planvas_corrupt_rows_total')).toBe(0);
    await second.server.close();
    // The damaged bytes stay in quarantine for an operator, exactly as they were found.
    if (quarantined) expect(quarantine(dataDir, board.id).map((r) => r.data)).toEqual([params[0]]);
  });

  it('a snapshot whose bytes do not match its checksum -> the log rows after it are served', async () => {
    const board = await boardWithThreeTasks();
    // Compact the three tasks into a snapshot, then add a task from another writer after it.
    const store = openSqliteStore(dataDir);
    const doc = new Y.Doc();
    const state = await store.loadBoardState(board.id);
    for (const u of state.updates) Y.applyUpdate(doc, u);
    await store.compact(board.id, Y.encodeStateAsUpdate(doc), state.lastSeq);
    const later = new Y.Doc();
    later.on('update', (u: Uint8Array) => void store.appendUpdate(board.id, u));
    createTask(later, { title: 'after the snapshot' });
    await store.close();
    withDb(dataDir, (db) => {
      const snap = db.prepare('SELECT data FROM snapshots WHERE board_id = ?').get(board.id) as { data: Buffer };
      const data = Buffer.from(snap.data);
      data[data.length - 1] = data[data.length - 1]! ^ 0xff;
      db.prepare('UPDATE snapshots SET data = ? WHERE board_id = ?').run(data, board.id);
    });

    const first = await openAndRead(board.id, board.editToken);
    expect(first.titles).toEqual(['after the snapshot']);
    expect(first.server.server.metrics.get('planvas_corrupt_rows_total')).toBeGreaterThanOrEqual(1);
    expect(quarantine(dataDir, board.id).map((r) => [r.kind, r.seq])).toEqual([['snapshot', state.lastSeq]]);
    await first.server.close();
  });

  it('every log row gone and no snapshot (the board would load empty) -> 1011, rows unchanged, other boards fine', async () => {
    const board = await boardWithThreeTasks();
    const rows = logRows(dataDir, board.id);
    withDb(dataDir, (db) => db.prepare(`DELETE FROM updates WHERE seq IN (${rows.map((r) => r.seq).join(', ')})`).run());

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

    const ok = connectClient(s2.wsUrl, board.healthy.id, board.healthy.editToken);
    clients.push(ok);
    await ok.synced;
    expect(readBoard(ok.doc).meta.title).toBe('Healthy');
    ok.destroy();
    await s2.close();
    expect(logRows(dataDir, board.id)).toEqual([]);
    expect(withDb(dataDir, (db) => db.prepare('SELECT count(*) AS n FROM snapshots WHERE board_id = ?').get(board.id))).toEqual({ n: 0 });
  });

  it('the only row of a board damaged and no version to recover from -> 1011, nothing stored over it', async () => {
    const s1 = await startTestServer({ dataDir });
    servers.push(s1);
    const board = await createBoard(s1.url, 'Lonely');
    await s1.close();
    const [only] = logRows(dataDir, board.id);
    const data = Buffer.from(only!.data);
    data[3] = data[3]! ^ 0xff;
    withDb(dataDir, (db) => db.prepare('UPDATE updates SET data = ? WHERE seq = ?').run(data, only!.seq));

    const s2 = await startTestServer({ dataDir });
    servers.push(s2);
    const victim = connectClient(s2.wsUrl, board.id, board.editToken);
    clients.push(victim);
    await waitFor(() => victim.closeCodes.includes(CloseCode.internalError), 'closed with 1011');
    createTask(victim.doc, { title: 'should not be stored' });
    victim.destroy();
    await s2.close();
    expect(logRows(dataDir, board.id).map((r) => r.data)).toEqual([data]);
    expect(withDb(dataDir, (db) => db.prepare('SELECT count(*) AS n FROM snapshots WHERE board_id = ?').get(board.id))).toEqual({ n: 0 });
  });
});
