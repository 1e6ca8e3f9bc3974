import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { SQLITE_FILE_NAME } from '../../server/storage/sqlite.ts';
import { connectClient, waitFor, type TestClient } from '../helpers/clients.ts';
import { createDatabase, startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { createBoard, makeTempDir, removeTempDir, spawnServer, startTestServer, type ChildServer, type TestServer } from '../helpers/server.ts';

/**
 * The backups docs/operations.md tells operators to take, taken and restored for real: the
 * SQLite file copied with `sqlite3 .backup` while the server runs (plus the secret file), and
 * a plain `pg_dump` / `pg_restore` of the PostgreSQL database (whose settings table holds the
 * token secret when PLANVAS_SECRET is not set). After a restore the same links open the board
 * with everything that was stored.
 */
const run = promisify(execFile);

/** Creates `count` tasks through a stock client and waits until a second client has them (so they are stored). */
async function editAndWait(wsUrl: string, boardId: string, token: string, count: number, clients: TestClient[]): Promise<string[]> {
  const writer = connectClient(wsUrl, boardId, token);
  const observer = connectClient(wsUrl, boardId, token);
  clients.push(writer, observer);
  await Promise.all([writer.synced, observer.synced]);
  const ids = Array.from({ length: count }, (_, i) => createTask(writer.doc, { title: `backed up ${i}` }));
  await waitFor(() => ids.every((id) => readBoard(observer.doc).tasks.has(id)), 'edits stored and relayed', 15_000);
  return ids;
}

async function tasksOn(wsUrl: string, boardId: string, token: string, clients: TestClient[]): Promise<Map<string, string>> {
  const c = connectClient(wsUrl, boardId, token);
  clients.push(c);
  await c.synced;
  return new Map([...readBoard(c.doc).tasks].map(([id, t]) => [id, t.title]));
}

describe('backups an operator takes can be restored', () => {
  const dirs: string[] = [];
  const servers: TestServer[] = [];
  const children: ChildServer[] = [];
  const clients: TestClient[] = [];
  let postgres: TestPostgres | null = null;
  const tempDir = () => {
    const d = makeTempDir('planvas-backup-');
    dirs.push(d);
    return d;
  };
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const s of servers) await s.close().catch(() => {});
    for (const c of children) await c.kill('SIGKILL');
    await postgres?.stop();
    for (const d of dirs) removeTempDir(d);
  });

  it('SQLite: `sqlite3 planvas.sqlite ".backup"` while running, plus the secret file', async () => {
    const live = await startTestServer({ dataDir: tempDir(), secret: null });
    servers.push(live);
    const board = await createBoard(live.url, 'SQLite backup');
    const ids = await editAndWait(live.wsUrl, board.id, board.editToken, 5, clients);

    const restored = tempDir();
    await run('sqlite3', [path.join(live.dataDir, SQLITE_FILE_NAME), `.backup '${path.join(restored, SQLITE_FILE_NAME)}'`]);
    fs.copyFileSync(path.join(live.dataDir, 'secret'), path.join(restored, 'secret'));
    // Edits after the backup are not in it (a backup is a point in time).
    await editAndWait(live.wsUrl, board.id, board.editToken, 1, clients);

    const again = await startTestServer({ dataDir: restored, secret: null });
    servers.push(again);
    const tasks = await tasksOn(again.wsUrl, board.id, board.viewToken, clients);
    expect(tasks.size).toBe(ids.length);
    for (const [i, id] of ids.entries()) expect(tasks.get(id)).toBe(`backed up ${i}`);
  });

  it('PostgreSQL: plain pg_dump and pg_restore; the secret stored in the database comes along', async () => {
    postgres = await startPostgres();
    const source = await createDatabase(postgres.url, 'backup_source');
    const live = await spawnServer({ dataDir: tempDir(), env: { DATABASE_URL: source, PLANVAS_SECRET: '' } });
    children.push(live);
    const board = await createBoard(live.url, 'PostgreSQL backup');
    const ids = await editAndWait(live.wsUrl, board.id, board.editToken, 5, clients);

    const dump = path.join(tempDir(), 'planvas.dump');
    await run('pg_dump', ['--format=custom', '--file', dump, source]);
    const target = await createDatabase(postgres.url, 'backup_target');
    await run('pg_restore', ['--no-owner', '--dbname', target, dump]);
    await live.stop();

    // No PLANVAS_SECRET: the restored instance reads the secret from the restored database.
    const again = await spawnServer({ dataDir: tempDir(), env: { DATABASE_URL: target, PLANVAS_SECRET: '' } });
    children.push(again);
    const tasks = await tasksOn(again.wsUrl, board.id, board.editToken, clients);
    expect(tasks.size).toBe(ids.length);
    for (const [i, id] of ids.entries()) expect(tasks.get(id)).toBe(`backed up ${i}`);
    expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
  });
});
