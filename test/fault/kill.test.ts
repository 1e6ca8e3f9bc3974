import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, updateShape } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import { SQLITE_FILE_NAME } from '../../server/storage/sqlite.ts';
import { connectClient, sleep, waitFor, type TestClient } from '../helpers/clients.ts';
import { createBoard, makeTempDir, removeTempDir, spawnServer, type ChildServer } from '../helpers/server.ts';

/** Records every task id (and its last title) a client has ever seen, as it arrives. */
function observe(client: TestClient): Map<string, string> {
  const seen = new Map<string, string>();
  boardMaps(client.doc).tasks.observeDeep(() => {
    for (const [id, task] of readBoard(client.doc).tasks) seen.set(id, task.title);
  });
  return seen;
}

describe('the server as a child process: SIGKILL loses nothing a peer had seen; SIGTERM flushes', () => {
  const dirs: string[] = [];
  const children: ChildServer[] = [];
  const clients: TestClient[] = [];
  const tempDir = () => {
    const d = makeTempDir('planvas-fault-');
    dirs.push(d);
    return d;
  };
  const spawnOn = async (dataDir: string) => {
    const c = await spawnServer({ dataDir });
    children.push(c);
    return c;
  };
  const client = (srv: ChildServer, boardId: string, token: string) => {
    const c = connectClient(srv.wsUrl, boardId, token);
    clients.push(c);
    return c;
  };
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const c of children) await c.kill('SIGKILL');
    for (const d of dirs) removeTempDir(d);
  });

  it('SIGKILL during a stream of edits: every update an observer received is there after restart', async () => {
    const dataDir = tempDir();
    const first = await spawnOn(dataDir);
    const board = await createBoard(first.url, 'Crash');
    const writer = client(first, board.id, board.editToken);
    const observers = [client(first, board.id, board.editToken), client(first, board.id, board.viewToken)];
    await Promise.all([writer.synced, ...observers.map((o) => o.synced)]);
    const seen = observers.map(observe);

    // Stream edits (new tasks and renames) until well after the kill.
    let n = 0;
    let streaming = true;
    const ids: string[] = [];
    const stream = (async () => {
      while (streaming) {
        if (n % 3 === 2 && ids.length > 0) updateShape(writer.doc, ids[ids.length - 1]!, { title: `edit ${n}` });
        else ids.push(createTask(writer.doc, { title: `task ${n}` }));
        n++;
        await sleep(1);
      }
    })();
    await waitFor(() => seen.every((s) => s.size >= 30), 'observers received a good part of the stream', 10_000);
    const exit = await first.kill('SIGKILL');
    streaming = false;
    await stream;
    expect(exit.signal).toBe('SIGKILL');
    // Freeze what observers saw before anyone could reconnect anywhere.
    const received = new Map<string, string>();
    for (const s of seen) for (const [id, title] of s) if (!received.has(id) || title.startsWith('edit')) received.set(id, title);
    const observerStates = observers.map((o) => Y.encodeStateVector(o.doc));
    for (const c of [writer, ...observers]) c.destroy();

    const second = await spawnOn(dataDir);
    const fresh = client(second, board.id, board.editToken);
    await fresh.synced;
    const after = readBoard(fresh.doc).tasks;
    expect(after.size).toBeGreaterThanOrEqual(30);
    for (const [id] of received) expect(after.has(id), `task ${id} seen by an observer`).toBe(true);
    // Stronger: the restarted server's state covers each observer's whole state vector.
    const sv = Y.decodeStateVector(Y.encodeStateVector(fresh.doc));
    for (const observed of observerStates) {
      for (const [clientId, clock] of Y.decodeStateVector(observed)) expect(sv.get(clientId) ?? 0).toBeGreaterThanOrEqual(clock);
    }
    await second.stop();
  });

  it('SIGTERM closes sockets with 1001, compacts the log, exits 0', async () => {
    const dataDir = tempDir();
    const srv = await spawnOn(dataDir);
    const board = await createBoard(srv.url, 'Graceful');
    const a = client(srv, board.id, board.editToken);
    const b = client(srv, board.id, board.editToken);
    await Promise.all([a.synced, b.synced]);
    const id = createTask(a.doc, { title: 'x' });
    for (let i = 0; i < 40; i++) updateShape(a.doc, id, { x: i });
    await waitFor(() => readBoard(b.doc).tasks.get(id)?.x === 39, 'relayed');

    const exit = await srv.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    await waitFor(() => a.closeCodes.includes(CloseCode.goingAway) && b.closeCodes.includes(CloseCode.goingAway), 'clients told 1001');
    a.destroy();
    b.destroy();
    expect(srv.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['listening', 'shutting down', 'stopped']));
    expect(srv.logs.filter((l) => l.level === 'error')).toEqual([]);

    const db = new Database(path.join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    const counts = {
      updates: (db.prepare('SELECT count(*) AS n FROM updates WHERE board_id = ?').get(board.id) as { n: number }).n,
      snapshots: (db.prepare('SELECT count(*) AS n FROM snapshots WHERE board_id = ?').get(board.id) as { n: number }).n,
    };
    db.close();
    expect(counts).toEqual({ updates: 0, snapshots: 1 });

    const again = await spawnOn(dataDir);
    const check = client(again, board.id, board.viewToken);
    await check.synced;
    expect(readBoard(check.doc).tasks.get(id)?.x).toBe(39);
    await again.stop();
  });

  it('npm start (scripts/start.mjs) handles SIGTERM itself: flushes and exits 0', async () => {
    const dataDir = tempDir();
    const srv = await spawnServer({ dataDir, entry: 'start', env: { PLANVAS_SKIP_CLIENT_BUILD: '1' } });
    children.push(srv);
    const board = await createBoard(srv.url, 'Via npm start');
    const a = client(srv, board.id, board.editToken);
    await a.synced;
    const id = createTask(a.doc, { title: 'flushed on SIGTERM' });
    const stored = async () => /planvas_updates_stored_total 1\b/.test(await (await fetch(`${srv.url}/metrics`)).text());
    await waitFor(stored, 'the edit is stored');
    expect(await srv.stop()).toEqual({ code: 0, signal: null });
    expect(srv.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    a.destroy();
    const again = await spawnOn(dataDir);
    const check = client(again, board.id, board.viewToken);
    await check.synced;
    expect(readBoard(check.doc).tasks.get(id)?.title).toBe('flushed on SIGTERM');
    await again.stop();
  });
});
