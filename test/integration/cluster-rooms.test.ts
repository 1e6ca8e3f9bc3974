import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CreateBoardResponse } from '../../shared/protocol/api.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import { newBoardUpdate } from '../../shared/doc/init.ts';
import { openPostgresStore } from '../../server/storage/postgres.ts';
import { connectClient, sleep, waitFor, type TestClient } from '../helpers/clients.ts';
import { createFreshDatabase, startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Two in-process instances on one PostgreSQL database and one Redis: the room logic of
 * several instances (fan-out, following the log, presence across instances, a delete seen
 * by the other instance). The same with real processes killed at random is in test/fault.
 */
describe('two instances on one PostgreSQL and one Redis (in process)', () => {
  let pg: TestPostgres;
  let redis: TestRedis;
  let a: TestServer;
  let b: TestServer;
  let databaseUrl: string;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    databaseUrl = await createFreshDatabase(pg.url, 'rooms');
    const config = { databaseUrl, redisUrl: redis.url, logPollMs: 200 };
    a = await startTestServer({ config });
    b = await startTestServer({ config });
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await Promise.allSettled([a?.close(), b?.close()]);
    await Promise.allSettled([pg?.stop(), redis?.stop()]);
  });

  const createBoard = async (server: TestServer): Promise<CreateBoardResponse> => {
    const res = await fetch(`${server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Cluster' }) });
    expect(res.status).toBe(201);
    return (await res.json()) as CreateBoardResponse;
  };
  const client = (server: TestServer, board: CreateBoardResponse, token = board.editToken): TestClient => {
    const c = connectClient(server.wsUrl, board.id, token);
    clients.push(c);
    return c;
  };
  const notes = (c: TestClient) => c.doc.getMap<string>('notes');

  it('edits and presence made on one instance reach clients of the other', async () => {
    const board = await createBoard(a);
    const onA = client(a, board);
    const onB = client(b, board);
    await Promise.all([onA.synced, onB.synced]);
    notes(onA).set('from-a', 'A');
    notes(onB).set('from-b', 'B');
    await waitFor(() => notes(onA).get('from-b') === 'B' && notes(onB).get('from-a') === 'A', 'crossed instances', 10_000);
    onA.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    await waitFor(() => [...onB.provider.awareness.getStates().values()].some((s) => (s as { user?: { name?: string } }).user?.name === 'Ada'), 'presence crossed', 10_000);
  });

  it('rows the fan-out never delivered are read from the log (Redis down), and everyone converges', async () => {
    const board = await createBoard(a);
    const onA = client(a, board);
    const onB = client(b, board);
    await Promise.all([onA.synced, onB.synced]);
    await redis.kill();
    for (let i = 0; i < 20; i++) notes(i % 2 ? onA : onB).set(`outage-${i}`, String(i));
    await waitFor(() => notes(onA).size === 20 && notes(onB).size === 20, 'converged through the log', 15_000);
    expect(Y.encodeStateVector(onA.doc)).toEqual(Y.encodeStateVector(onB.doc));
    await redis.restart();
    notes(onA).set('after', 'yes');
    await waitFor(() => notes(onB).get('after') === 'yes', 'fan-out back', 15_000);
  }, 60_000);

  it('a board deleted through one instance closes its connections on the other with 4404', async () => {
    const board = await createBoard(a);
    const onB = client(b, board);
    await onB.synced;
    const res = await fetch(`${a.url}/api/boards/${board.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${board.editToken}`, 'x-confirm-delete': board.id } });
    expect(res.status).toBe(204);
    await waitFor(() => onB.closeCodes.includes(CloseCode.boardDeleted), 'closed 4404 on the other instance', 10_000);
  });

  it('a REST call while PostgreSQL is down answers 503 with Retry-After (a passing outage, not a 500), then works again', async () => {
    const board = await createBoard(a);
    await pg.pause();
    try {
      const res = await fetch(`${a.url}/api/boards/${board.id}`, { headers: { authorization: `Bearer ${board.editToken}` } });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      const create = await fetch(`${b.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'During' }) });
      expect(create.status).toBe(503);
    } finally {
      await pg.start();
    }
    await waitFor(async () => (await fetch(`${a.url}/api/boards/${board.id}`, { headers: { authorization: `Bearer ${board.editToken}` } })).status === 200, 'served again', 15_000, 200);
  }, 60_000);

  it('an instance on another database (a restored copy) sharing the same Redis never hears this deployment\'s edits', async () => {
    const board = await createBoard(a);
    // The copy: another database holding a board with the same id (as pg_restore would make it).
    const copyUrl = await createFreshDatabase(pg.url, 'copy');
    const copyStore = await openPostgresStore(copyUrl);
    await copyStore.createBoard({ id: board.id, title: 'Copy', createdAt: new Date().toISOString() }, newBoardUpdate('Copy', ''));
    expect(await copyStore.identity!()).not.toBe(await a.server.store.identity!());
    await copyStore.close();
    const c = await startTestServer({ config: { databaseUrl: copyUrl, redisUrl: redis.url, logPollMs: 200 } });
    try {
      const live = client(a, board);
      const onCopy = client(c, board);
      await Promise.all([live.synced, onCopy.synced]);
      for (let i = 0; i < 10; i++) notes(live).set(`live-${i}`, 'x');
      const onB = client(b, board);
      await waitFor(() => notes(onB).size === 10, 'the live deployment has them', 10_000);
      await sleep(500);
      expect(notes(onCopy).size).toBe(0);
    } finally {
      await c.close();
    }
  }, 60_000);

  it('when an instance shuts down, its clients\' presence disappears on the others at once, not after the 30 s timeout', async () => {
    const board = await createBoard(a);
    const d = await startTestServer({ config: { databaseUrl, redisUrl: redis.url, logPollMs: 200 } });
    const onD = connectClient(d.wsUrl, board.id, board.editToken);
    const onB = client(b, board);
    await Promise.all([onD.synced, onB.synced]);
    onD.provider.awareness.setLocalStateField('user', { name: 'Leaving' });
    const seesLeaving = () => [...onB.provider.awareness.getStates().values()].some((s) => (s as { user?: { name?: string } }).user?.name === 'Leaving');
    await waitFor(seesLeaving, 'presence crossed', 10_000);
    // A graceful stop (SIGTERM): the client is not told to leave first; the instance says so.
    await d.close();
    await waitFor(() => !seesLeaving(), 'presence removed on the other instance', 5_000);
    onD.destroy();
  }, 60_000);
});
