import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import { connectClient, waitFor, type TestClient } from '../helpers/clients.ts';
import { parsePrometheus, sampleValue, type Family } from '../helpers/prometheus.ts';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import { createFreshDatabase, startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { createBoard, makeTempDir, removeTempDir, spawnServer, startTestServer, type ChildServer, type TestServer } from '../helpers/server.ts';

/**
 * What an operator sees (docs/operations.md): /metrics is valid Prometheus text whose counters
 * follow real traffic, /readyz says whether storage answers, and SIGTERM drains (readiness
 * off, clients told 1001, everything stored is there after a restart).
 */
async function scrape(baseUrl: string): Promise<Map<string, Family>> {
  const res = await fetch(`${baseUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await res.text());
}

/** Sum of a histogram's _count over every label set whose op is one of `ops`. */
function storageCount(f: Map<string, Family>, ops: string[]): number {
  return ops.reduce((n, op) => n + (sampleValue(f, 'planvas_storage_seconds_count', { op }) ?? 0), 0);
}

describe('/metrics and /readyz on a live single-instance server', () => {
  let server: TestServer;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.close();
  });

  it('renders every promised family as strict Prometheus text', async () => {
    const f = await scrape(server.url);
    const expected: [string, Family['type']][] = [
      ['planvas_connections_total', 'counter'],
      ['planvas_open_connections', 'gauge'],
      ['planvas_open_rooms', 'gauge'],
      ['planvas_messages_in_total', 'counter'],
      ['planvas_messages_out_total', 'counter'],
      ['planvas_bytes_in_total', 'counter'],
      ['planvas_bytes_out_total', 'counter'],
      ['planvas_errors_total', 'counter'],
      ['planvas_connections_refused_total', 'counter'],
      ['planvas_edits_refused_total', 'counter'],
      ['planvas_storage_seconds', 'histogram'],
      ['planvas_fanout_lag_seconds', 'gauge'],
      ['planvas_held_edits', 'gauge'],
      ['process_resident_memory_bytes', 'gauge'],
      ['nodejs_heap_used_bytes', 'gauge'],
      ['planvas_build_info', 'gauge'],
    ];
    for (const [name, type] of expected) expect(f.get(name)?.type, name).toBe(type);
    // One instance: no fan-out, so no claim about it either way.
    expect(sampleValue(f, 'planvas_fanout_connected')).toBeUndefined();
    expect(sampleValue(f, 'planvas_errors_total', { kind: 'storage' })).toBe(0);
  });

  it('counts real traffic: messages and bytes in and out, and timed storage calls', async () => {
    const before = await scrape(server.url);
    const board = await createBoard(server.url, 'Metrics');
    const writer = connectClient(server.wsUrl, board.id, board.editToken);
    const reader = connectClient(server.wsUrl, board.id, board.viewToken);
    clients.push(writer, reader);
    await Promise.all([writer.synced, reader.synced]);
    const id = createTask(writer.doc, { title: 'counted' });
    await waitFor(() => readBoard(reader.doc).tasks.get(id)?.title === 'counted', 'the edit reached the reader', 10_000);

    const after = await scrape(server.url);
    const delta = (name: string) => (sampleValue(after, name) ?? 0) - (sampleValue(before, name) ?? 0);
    // Each client sent at least sync step 1 and step 2, the writer its update too.
    expect(delta('planvas_messages_in_total')).toBeGreaterThanOrEqual(3);
    expect(delta('planvas_messages_out_total')).toBeGreaterThanOrEqual(3);
    expect(delta('planvas_bytes_in_total')).toBeGreaterThan(50);
    expect(delta('planvas_bytes_out_total')).toBeGreaterThan(50);
    expect(delta('planvas_connections_total')).toBe(2);
    expect(sampleValue(after, 'planvas_open_connections')).toBe(2);
    expect(sampleValue(after, 'planvas_open_rooms')).toBeGreaterThanOrEqual(1);
    // createBoard, the load of the board and the append of the edit were timed.
    expect(storageCount(after, ['createBoard'])).toBe(storageCount(before, ['createBoard']) + 1);
    expect(storageCount(after, ['loadBoardState'])).toBeGreaterThan(storageCount(before, ['loadBoardState']));
    expect(storageCount(after, ['appendUpdate', 'appendUpdates'])).toBeGreaterThan(storageCount(before, ['appendUpdate', 'appendUpdates']));
    expect(sampleValue(after, 'planvas_storage_available')).toBe(1);
    expect(sampleValue(after, 'planvas_errors_total', { kind: 'storage' })).toBe(0);
  });

  it('/readyz is 200 with storage ok and fan-out off; /healthz stays as it was', async () => {
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, storage: 'ok', fanout: 'off' });
    const f = await scrape(server.url);
    expect(sampleValue(f, 'planvas_storage_seconds_count', { op: 'ping' })).toBeGreaterThanOrEqual(1);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, uptimeSeconds: expect.any(Number) as number, rooms: expect.any(Number) as number });
  });
});

describe('SIGTERM drain of a child-process server', () => {
  const dataDir = makeTempDir('planvas-ops-');
  const children: ChildServer[] = [];
  const clients: TestClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const c of children) await c.kill('SIGKILL');
    removeTempDir(dataDir);
  });

  it('takes itself out of rotation, closes clients with 1001, and keeps every stored edit', async () => {
    const srv = await spawnServer({ dataDir });
    children.push(srv);
    const board = await createBoard(srv.url, 'Drain');
    const writer = connectClient(srv.wsUrl, board.id, board.editToken);
    const observer = connectClient(srv.wsUrl, board.id, board.viewToken);
    clients.push(writer, observer);
    await Promise.all([writer.synced, observer.synced]);
    expect((await fetch(`${srv.url}/readyz`)).status).toBe(200);

    // Poll readiness as a load balancer would, all through the shutdown.
    const outcomes: (number | 'refused')[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        outcomes.push(await fetch(`${srv.url}/readyz`).then((r) => r.status, () => 'refused' as const));
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await waitFor(() => outcomes.length >= 3, 'the poller runs', 10_000);

    const stored = createTask(writer.doc, { title: 'stored before SIGTERM' });
    // The server relays an edit only after it is durably appended: seen by the observer = stored.
    await waitFor(() => readBoard(observer.doc).tasks.has(stored), 'the edit relayed', 10_000);
    const seenBeforeSignal = outcomes.length;
    const exit = await srv.stop();
    await waitFor(() => outcomes.length > seenBeforeSignal + 1, 'a readiness check after the stop', 10_000);
    polling = false;
    await poller;

    expect(exit).toEqual({ code: 0, signal: null });
    // After the first answer that is not 200 (503 draining, or the port closed), never 200 again.
    const firstOut = outcomes.findIndex((o) => o !== 200);
    expect(firstOut).toBeGreaterThanOrEqual(seenBeforeSignal);
    expect(outcomes.slice(firstOut).every((o) => o === 503 || o === 'refused'), JSON.stringify(outcomes.slice(firstOut))).toBe(true);
    await waitFor(() => writer.closeCodes.includes(CloseCode.goingAway) && observer.closeCodes.includes(CloseCode.goingAway), 'clients told 1001', 10_000);
    writer.destroy();
    observer.destroy();
    expect(srv.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    expect(srv.logs.filter((l) => l.level === 'error')).toEqual([]);

    // Start-up recovers the board from what was stored.
    const again = await spawnServer({ dataDir });
    children.push(again);
    expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
    const check = connectClient(again.wsUrl, board.id, board.viewToken);
    clients.push(check);
    await check.synced;
    expect(readBoard(check.doc).tasks.get(stored)?.title).toBe('stored before SIGTERM');
    expect(await again.stop()).toEqual({ code: 0, signal: null });
  });
});

describe('two instances on real PostgreSQL and Redis: readiness and metrics an operator sees', () => {
  let postgres: TestPostgres | null = null;
  let redis: TestRedis | null = null;
  let cluster: Cluster | null = null;
  afterAll(async () => {
    await cluster?.close();
    await redis?.stop();
    await postgres?.stop();
  });

  async function readyz(i: number): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${cluster!.node(i).url}/readyz`);
    return { status: res.status, body: await res.json() };
  }
  /** Polls both instances until /readyz answers `status` with these checks. */
  async function bothReady(status: number, storage: string, fanout: string, what: string): Promise<void> {
    const want = { status, body: { ready: status === 200, storage, fanout } };
    let last: unknown = null;
    await waitFor(async () => {
      last = await Promise.all([readyz(0), readyz(1)]);
      return (last as unknown[]).every((r) => JSON.stringify(r) === JSON.stringify(want));
    }, `${what} (last: ${JSON.stringify(last)})`, 30_000, 100);
  }

  it('reports fan-out traffic and lag, and names the dependency that is down until it is back', async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    cluster = await startCluster({ databaseUrl: await createFreshDatabase(postgres.url, 'ops'), redisUrl: redis.url, size: 2 });
    await bothReady(200, 'ok', 'ok', 'both instances ready');

    const board = await cluster.createBoard(0, 'Two instances');
    const a = cluster.connect(0, board.id, board.editToken);
    const b = cluster.connect(1, board.id, board.editToken);
    await Promise.all([a.synced, b.synced]);
    const id = createTask(a.doc, { title: 'across instances' });
    await waitFor(() => readBoard(b.doc).tasks.has(id), 'the edit reached the other instance', 20_000);
    await waitFor(async () => (await cluster!.metric(1, 'planvas_fanout_received_total')) > 0, 'instance 1 counted a fan-out message', 10_000);

    const [m0, m1] = [parsePrometheus(await cluster.metricsText(0)), parsePrometheus(await cluster.metricsText(1))];
    expect(sampleValue(m0, 'planvas_fanout_published_total')).toBeGreaterThan(0);
    expect(sampleValue(m1, 'planvas_fanout_connected')).toBe(1);
    expect(sampleValue(m1, 'planvas_fanout_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(storageCount(m0, ['appendUpdate', 'appendUpdates'])).toBeGreaterThan(0);
    expect(storageCount(m1, ['headSeq', 'loadBoardState', 'loadUpdatesSince'])).toBeGreaterThan(0);
    expect(sampleValue(m0, 'planvas_storage_available')).toBe(1);

    // Redis down: both instances say so (they keep serving and follow the log meanwhile).
    await redis.kill();
    await bothReady(503, 'ok', 'unavailable', 'Redis reported down');
    expect(sampleValue(parsePrometheus(await cluster.metricsText(0)), 'planvas_fanout_connected')).toBe(0);
    await redis.restart();
    await bothReady(200, 'ok', 'ok', 'Redis back');

    // PostgreSQL down: storage unavailable, counted as storage errors; then back.
    const errorsBefore = sampleValue(parsePrometheus(await cluster.metricsText(0)), 'planvas_errors_total', { kind: 'storage' }) ?? 0;
    await postgres.pause();
    await bothReady(503, 'unavailable', 'ok', 'PostgreSQL reported down');
    const down = parsePrometheus(await cluster.metricsText(0));
    expect(sampleValue(down, 'planvas_storage_available')).toBe(0);
    expect(sampleValue(down, 'planvas_errors_total', { kind: 'storage' })).toBeGreaterThan(errorsBefore);
    await postgres.start();
    await bothReady(200, 'ok', 'ok', 'PostgreSQL back');
    expect(sampleValue(parsePrometheus(await cluster.metricsText(0)), 'planvas_storage_available')).toBe(1);
  });
});
