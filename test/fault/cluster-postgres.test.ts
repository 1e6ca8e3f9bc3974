import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { readServerStatus, type ServerStatus } from '../../shared/protocol/serverStatus.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import { waitFor, type TestClient } from '../helpers/clients.ts';
import { covers, synced, waitForConvergence } from '../helpers/cluster.ts';
import { clusterSuite, throughProxy } from '../helpers/clusterSuite.ts';

function statusOf(client: TestClient): ServerStatus | null {
  return readServerStatus(client.provider.awareness.getStates());
}

function titles(client: TestClient): string[] {
  return [...readBoard(client.doc).tasks.values()].map((t) => t.title);
}

/**
 * What happens to a join: `status` of a refused upgrade, `close` code of an accepted socket
 * the server closes, `served: true` when a frame arrives (the board was served: the server
 * answers only once it is loaded), `served: false` when nothing happens within `timeoutMs`.
 */
function joinOutcome(wsUrl: string, boardId: string, token: string, timeoutMs = 20_000): Promise<{ status?: number; close?: number; served?: boolean }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${wsUrl}/${boardId}?token=${encodeURIComponent(token)}`);
    const done = (outcome: { status?: number; close?: number; served?: boolean }) => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ served: false }), timeoutMs);
    ws.on('error', () => {});
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      done({ status: res.statusCode ?? 0 });
    });
    // Any sync frame means the board was served (the server answers only after loading).
    ws.once('message', () => done({ served: true }));
    ws.once('close', (code) => done({ close: code }));
  });
}

describe('PostgreSQL unreachable: clients stay connected and are told, edits are held or refused clearly, nothing is lost or stored empty', () => {
  const suite = clusterSuite({ redis: true });

  /** Two instances on one database: instance 0 reaches PostgreSQL through a proxy the test can cut, instance 1 directly. */
  const instanceZeroThroughProxy = async () => {
    const database = await suite.database();
    const proxy = await suite.postgresProxy();
    const cluster = await suite.cluster({
      databaseUrl: database,
      instanceEnv: (i): Record<string, string> => (i === 0 ? { DATABASE_URL: throughProxy(database, proxy) } : {}),
      env: { PLANVAS_LOG_POLL_INTERVAL: '300ms', PLANVAS_STORAGE_HOLD_TIMEOUT: '60s' },
    });
    return { proxy, cluster };
  };

  it('one instance cut off from PostgreSQL holds its clients\' edits, says so, and stores them when the database is back', async () => {
    const { proxy, cluster } = await instanceZeroThroughProxy();
    const board = await cluster.createBoard(1, 'Cut off');
    const writer = cluster.connect(0, board.id, board.editToken);
    const watcherA = cluster.connect(0, board.id, board.viewToken);
    const watcherB = cluster.connect(1, board.id, board.editToken);
    await synced([writer, watcherA, watcherB]);
    createTask(writer.doc, { title: 'stored before' });
    await waitForConvergence([writer, watcherA, watcherB], 10_000, 'before the cut');

    proxy.cut('reset');
    const cutAt = Date.now();
    for (let i = 0; i < 5; i++) createTask(writer.doc, { title: `held ${i}` });
    await waitFor(() => (statusOf(writer)?.heldEdits ?? 0) >= 1 && statusOf(watcherA) !== null, 'clients of A told that storage is unavailable', 20_000, 50);
    const toldMs = Date.now() - cutAt;
    await waitFor(() => (statusOf(writer)?.heldEdits ?? 0) >= 5, 'all five edits held', 10_000, 50);
    // Held edits are neither applied for others nor relayed (not yet durable).
    expect(titles(watcherA).filter((t) => t.startsWith('held'))).toEqual([]);
    expect(titles(watcherB).filter((t) => t.startsWith('held'))).toEqual([]);
    expect(statusOf(watcherB), 'B can store: its clients are not told of an outage').toBeNull();
    // B keeps working meanwhile.
    createTask(watcherB.doc, { title: 'stored on B during the cut' });
    await waitFor(async () => (await cluster.metric(1, 'planvas_updates_stored_total')) >= 1, 'B stores', 10_000);
    expect.soft(await cluster.metric(0, 'planvas_storage_available'), 'planvas_storage_available on the cut-off instance').toBe(0);
    expect.soft(await cluster.metric(0, 'planvas_held_edits'), 'planvas_held_edits on the cut-off instance').toBeGreaterThanOrEqual(5);
    // Still connected, still told (for a bounded time: at least a few seconds here).
    await waitFor(() => Date.now() - cutAt > 3_000, 'some time in the outage', 10_000, 100);
    for (const c of [writer, watcherA, watcherB]) expect(c.closeCodes, 'nobody disconnected during the outage').toEqual([]);
    expect(writer.provider.wsconnected).toBe(true);

    proxy.restore();
    const restoredAt = Date.now();
    await waitFor(() => statusOf(writer) === null && statusOf(watcherA) === null, 'the outage notice is withdrawn', 20_000, 50);
    await waitForConvergence([writer, watcherA, watcherB], 20_000, 'after the database is back');
    const storedMs = Date.now() - restoredAt;
    const fresh = cluster.connect(1, board.id, board.viewToken);
    await synced([fresh]);
    expect(titles(fresh).sort()).toEqual(['held 0', 'held 1', 'held 2', 'held 3', 'held 4', 'stored before', 'stored on B during the cut']);
    console.log(`cluster-postgres: clients told of the cut after ${toldMs} ms; held edits stored and converged ${storedMs} ms after the database returned`);
  }, 90_000);

  it('PostgreSQL SIGKILLed for all instances past the hold timeout: writers closed with 1013 reconnect and resend; a board loaded during the outage is refused, never served empty', async () => {
    const cluster = await suite.cluster({ env: { PLANVAS_LOG_POLL_INTERVAL: '300ms', PLANVAS_STORAGE_HOLD_TIMEOUT: '2s' } });
    const board = await cluster.createBoard(0, 'Outage');
    // A second board with content, only ever loaded on B (so A has nothing of it in memory).
    const other = await cluster.createBoard(1, 'Never served empty');
    const seeder = cluster.connect(1, other.id, other.editToken);
    await synced([seeder]);
    for (let i = 0; i < 3; i++) createTask(seeder.doc, { title: `other ${i}` });
    await waitFor(async () => (await cluster.metric(1, 'planvas_updates_stored_total')) >= 3, 'the other board is stored', 10_000);

    const writers = [cluster.connect(0, board.id, board.editToken), cluster.connect(1, board.id, board.editToken)];
    const viewer = cluster.connect(0, board.id, board.viewToken);
    await synced([...writers, viewer]);
    createTask(writers[0]!.doc, { title: 'before the outage' });
    await waitForConvergence([...writers, viewer], 10_000, 'before the outage');

    // PostgreSQL crashes (SIGKILL of the postmaster and every backend): down for everyone.
    await suite.postgres.kill();
    const downAt = Date.now();
    writers.forEach((w, i) => {
      for (let n = 0; n < 3; n++) createTask(w.doc, { title: `outage w${i} ${n}` });
    });
    await waitFor(() => writers.every((w) => statusOf(w) !== null), 'writers told that storage is unavailable', 20_000, 50);
    // Past the 2 s hold bound, writers are closed with 1013 ("try again later"); their provider retries.
    await waitFor(() => writers.every((w) => w.closeCodes.includes(CloseCode.tryAgainLater)), 'writers closed with 1013', 30_000, 50);
    const closedMs = Date.now() - downAt;
    expect(await cluster.metric(0, 'planvas_edits_refused_total')).toBeGreaterThan(0);
    // A board that cannot be loaded is refused (HTTP 503 or close 1011), never served empty.
    const join = await joinOutcome(cluster.node(0).wsUrl, other.id, other.viewToken);
    expect(join.served, `join during the outage: ${JSON.stringify(join)}`).not.toBe(true);
    expect(join.status === 503 || join.close === CloseCode.internalError, `join during the outage: ${JSON.stringify(join)}`).toBe(true);

    await suite.postgres.start();
    const upAt = Date.now();
    // Writers reconnect (the provider retries after 1013) and resend what was never stored.
    await waitForConvergence([...writers, viewer], 30_000, 'after PostgreSQL is back');
    const recoveredMs = Date.now() - upAt;
    const fresh = cluster.connect(0, board.id, board.viewToken);
    await synced([fresh]);
    for (const w of writers) expect(covers(fresh.doc, w.doc), "every writer's edits are stored").toBe(true);
    expect(titles(fresh).filter((t) => t.startsWith('outage')).length).toBe(6);
    // The other board loads with its content on A now.
    const otherOnA = cluster.connect(0, other.id, other.viewToken);
    await synced([otherOnA]);
    expect(titles(otherOnA).sort()).toEqual(['other 0', 'other 1', 'other 2']);
    console.log(`cluster-postgres: PostgreSQL SIGKILLed; writers closed with 1013 after ${closedMs} ms; everything stored and converged ${recoveredMs} ms after it returned`);
  }, 120_000);

  it('a hung database for one instance (packets blackholed): edits held and clients told within the query timeout, stored after', async () => {
    const { proxy, cluster } = await instanceZeroThroughProxy();
    const board = await cluster.createBoard(1, 'Hung');
    const writer = cluster.connect(0, board.id, board.editToken);
    const watcherB = cluster.connect(1, board.id, board.viewToken);
    await synced([writer, watcherB]);

    proxy.cut('blackhole');
    const cutAt = Date.now();
    for (let i = 0; i < 3; i++) createTask(writer.doc, { title: `hung ${i}` });
    // Nothing fails fast here: only the store's timeouts notice (query timeout ~10 s).
    await waitFor(() => statusOf(writer) !== null, 'the writer is told that storage is unavailable', 30_000, 100);
    const toldMs = Date.now() - cutAt;
    expect(titles(watcherB)).toEqual([]);
    expect(writer.closeCodes).toEqual([]);

    proxy.restore();
    const restoredAt = Date.now();
    await waitForConvergence([writer, watcherB], 30_000, 'after the partition heals');
    await waitFor(() => statusOf(writer) === null, 'the outage notice is withdrawn', 20_000, 100);
    const storedMs = Date.now() - restoredAt;
    const fresh = cluster.connect(1, board.id, board.viewToken);
    await synced([fresh]);
    expect(titles(fresh).sort()).toEqual(['hung 0', 'hung 1', 'hung 2']);
    expect(writer.closeCodes).toEqual([]);
    console.log(`cluster-postgres: hung database: writer told after ${toldMs} ms; stored and converged ${storedMs} ms after the partition healed`);
  }, 90_000);

  it('held edits are bounded in memory too: past PLANVAS_MAX_HELD_BYTES the writer is closed with 1013 at once, and resends after', async () => {
    const database = await suite.database();
    const proxy = await suite.postgresProxy();
    const cluster = await suite.cluster({
      databaseUrl: database,
      size: 1,
      env: { DATABASE_URL: throughProxy(database, proxy), PLANVAS_STORAGE_HOLD_TIMEOUT: '60s', PLANVAS_MAX_HELD_BYTES: '4KiB' },
    });
    const board = await cluster.createBoard(0, 'Bounded');
    const writer = cluster.connect(0, board.id, board.editToken);
    await synced([writer]);
    proxy.cut('reset');
    const cutAt = Date.now();
    // ~20 KB of edits, far more than the 4 KiB bound.
    for (let i = 0; i < 20; i++) createTask(writer.doc, { title: `big ${i} ${'x'.repeat(1000)}` });
    await waitFor(() => writer.closeCodes.includes(CloseCode.tryAgainLater), 'the writer closed with 1013', 20_000, 50);
    const closedMs = Date.now() - cutAt;
    expect(closedMs, 'closed for the size bound, long before the 60 s hold timeout').toBeLessThan(30_000);
    proxy.restore();
    const check = cluster.connect(0, board.id, board.viewToken);
    await synced([check]);
    await waitFor(() => titles(check).length === 20, 'every edit stored after the database returned', 30_000, 50);
    expect(covers(check.doc, writer.doc)).toBe(true);
    console.log(`cluster-postgres: held-bytes bound: writer closed with 1013 after ${closedMs} ms; all 20 edits stored after the database returned`);
  }, 90_000);

  it('the instance holding edits during a database outage is SIGKILLed: its client fails over to B and the edits are stored', async () => {
    const { proxy, cluster } = await instanceZeroThroughProxy();
    const board = await cluster.createBoard(1, 'Held then killed');
    const balancer = await suite.proxy([cluster.node(0).port, cluster.node(1).port]);
    const writer = cluster.connectTo(`ws://127.0.0.1:${balancer.port}/ws`, board.id, board.editToken);
    const watcherB = cluster.connect(1, board.id, board.viewToken);
    await synced([writer, watcherB]);
    expect(await cluster.metric(0, 'planvas_open_connections')).toBe(1);

    proxy.cut('reset');
    for (let i = 0; i < 4; i++) createTask(writer.doc, { title: `held ${i}` });
    await waitFor(() => (statusOf(writer)?.heldEdits ?? 0) >= 4, 'edits held on A', 20_000, 50);
    await cluster.sigkill(0);
    // The writer reconnects through the balancer (A refuses) to B, which stores what A only held.
    await waitFor(() => titles(watcherB).length === 4, 'the held edits reach B after the failover', 30_000, 50);
    await waitForConvergence([writer, watcherB], 10_000, 'after the failover');
    proxy.restore();
    const fresh = cluster.connect(1, board.id, board.viewToken);
    await synced([fresh]);
    expect(titles(fresh).sort()).toEqual(['held 0', 'held 1', 'held 2', 'held 3']);
    expect(covers(fresh.doc, writer.doc)).toBe(true);
  }, 90_000);
});
