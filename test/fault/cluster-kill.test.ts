import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readBoard } from '../../shared/doc/read.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import { sleep, waitFor, type TestClient } from '../helpers/clients.ts';
import { covers, observeTaskIds, randomEdit, synced, waitForConvergence } from '../helpers/cluster.ts';
import { clusterSuite } from '../helpers/clusterSuite.ts';
import { mulberry32 } from '../helpers/random.ts';

/** Edits `client`'s document every few ms until `stop()`; `made` counts them. */
function editContinuously(client: TestClient, random: () => number, label: string) {
  let running = true;
  let made = 0;
  const loop = (async () => {
    while (running) {
      randomEdit(client.doc, random, `${label} ${made}`);
      made++;
      await sleep(2 + random() * 6);
    }
  })();
  return {
    get made() {
      return made;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

describe('SIGKILL of one instance during edits loses nothing a client of the other instance had seen', () => {
  const suite = clusterSuite({ redis: true });

  it("A is SIGKILLed mid-stream: what B's clients had seen is in the log (restarted A serves it); A's clients fail over to B and resend", async () => {
    const cluster = await suite.cluster({ env: { PLANVAS_LOG_POLL_INTERVAL: '300ms' } });
    const board = await cluster.createBoard(1, 'Kill A');
    // One of A's clients reaches the cluster through a layer-4 load balancer that prefers A:
    // when A dies, its reconnects are refused there and land on B, as behind any load balancer.
    const balancer = await suite.proxy([cluster.node(0).port, cluster.node(1).port]);
    const failover = cluster.connectTo(`ws://127.0.0.1:${balancer.port}/ws`, board.id, board.editToken);
    // The other one's tab is closed as A dies: what it had not sent is gone, and nobody saw it.
    const lost = cluster.connect(0, board.id, board.editToken);
    const writerB = cluster.connect(1, board.id, board.editToken);
    const observersB = [cluster.connect(1, board.id, board.viewToken), cluster.connect(1, board.id, board.editToken)];
    await synced([failover, lost, writerB, ...observersB]);
    expect(await cluster.metric(0, 'planvas_open_connections')).toBe(2);

    const seenOnB = observersB.map(observeTaskIds);
    const random = mulberry32(Date.now() % 100_000);
    const streams = [editContinuously(failover, random, 'A0'), editContinuously(lost, random, 'A1'), editContinuously(writerB, random, 'B')];
    // Wait until B's clients have seen a good part of A's clients' work, then kill A mid-stream.
    const idsByA = () => new Set([failover, lost].flatMap((w) => [...readBoard(w.doc).tasks.values()].filter((t) => t.title.startsWith('A')).map((t) => t.id)));
    await waitFor(() => seenOnB.every((seen) => [...idsByA()].filter((id) => seen.has(id)).length >= 20), "B's clients see A's clients' edits", 15_000);
    // Hold the failover client back (new connections through the balancer go nowhere) until the
    // log has been checked: its resent edits must not be what makes the check pass.
    const deadPort = cluster.node(0).port;
    balancer.targets = [];
    const exit = await cluster.sigkill(0);
    expect(exit.signal).toBe('SIGKILL');
    // Freeze what B's clients had seen at the moment A died.
    const seenAtKill = new Set(seenOnB.flatMap((s) => [...s]));
    const observerStates = observersB.map((o) => Y.encodeStateVector(o.doc));
    await streams[1]!.stop();
    lost.destroy();
    // Keep editing a little while A's surviving client is cut off (its edits stay local, then are resent).
    await sleep(500);
    for (const s of streams) await s.stop();
    const madeByA = streams[0]!.made + streams[1]!.made;

    // Start-up recovers from the log: a restarted A (which loads the board from PostgreSQL)
    // serves every edit B's clients had seen.
    await cluster.start(0);
    const onRestartedA = cluster.connect(0, board.id, board.viewToken);
    await synced([onRestartedA]);
    const afterRestart = readBoard(onRestartedA.doc).tasks;
    const missing = [...seenAtKill].filter((id) => !afterRestart.has(id));
    expect(missing, 'tasks a client of B had seen before A died').toEqual([]);
    for (const sv of observerStates) expect(covers(onRestartedA.doc, sv), "restarted A covers each B observer's state at the kill").toBe(true);

    // Now A's surviving client fails over to B through the balancer and resends what A never stored.
    // (The dead A's port refuses, so the balancer moves on to B; the restarted A has a new port.)
    balancer.targets = [deadPort, cluster.node(1).port];
    const failoverMs = await waitForConvergence([failover, writerB, ...observersB, onRestartedA], 30_000, "every client, A's survivor now on B");
    const fresh = cluster.connect(1, board.id, board.viewToken);
    await synced([fresh]);
    expect(covers(fresh.doc, failover.doc), "the failed-over client's local edits are all stored").toBe(true);
    await waitForConvergence([fresh, onRestartedA, writerB], 15_000, 'restarted A and B serve the same board');
    console.log(
      `cluster-kill: ${madeByA} edits by A's clients, ${seenAtKill.size} tasks seen on B at the kill, all in the log; ` +
        `${readBoard(fresh.doc).tasks.size} tasks after; A's survivor failed over and everyone converged in ${failoverMs} ms`,
    );
  }, 90_000);

  it('a board created through A opens through B with the same token when the secret comes from the database (no PLANVAS_SECRET)', async () => {
    const cluster = await suite.cluster({ secret: null });
    const board = await cluster.createBoard(0, 'Shared secret');
    const info = await fetch(`${cluster.node(1).url}/api/boards/${board.id}?token=${encodeURIComponent(board.viewToken)}`);
    expect(info.status).toBe(200);
    const a = cluster.connect(0, board.id, board.editToken);
    const b = cluster.connect(1, board.id, board.editToken);
    await synced([a, b]);
    randomEdit(a.doc, mulberry32(1), 'through A');
    await waitForConvergence([a, b], 10_000, 'without a configured secret');
    // A restart (new process, same database) reads the same secret: old tokens still open the board.
    await cluster.restart(1);
    const again = cluster.connect(1, board.id, board.viewToken);
    await synced([again]);
    await waitForConvergence([a, again], 10_000, 'after a restart');
  }, 60_000);

  it('a rolling restart: SIGTERM of A mid-stream closes its clients with 1001, they fail over to B and nothing is lost', async () => {
    const cluster = await suite.cluster({ env: { PLANVAS_LOG_POLL_INTERVAL: '300ms' } });
    const board = await cluster.createBoard(0, 'Rolling restart');
    const balancer = await suite.proxy([cluster.node(0).port, cluster.node(1).port]);
    const viaBalancer = [0, 1].map(() => cluster.connectTo(`ws://127.0.0.1:${balancer.port}/ws`, board.id, board.editToken));
    const onB = cluster.connect(1, board.id, board.viewToken);
    await synced([...viaBalancer, onB]);
    expect(await cluster.metric(0, 'planvas_open_connections')).toBe(2);
    const random = mulberry32(Date.now() % 100_000);
    const streams = viaBalancer.map((c, i) => editContinuously(c, random, `W${i}`));
    await waitFor(() => readBoard(onB.doc).tasks.size >= 20, 'edits flowing', 15_000);
    const exit = await cluster.sigterm(0);
    expect(exit).toEqual({ code: 0, signal: null });
    await waitFor(() => viaBalancer.every((c) => c.closeCodes.includes(CloseCode.goingAway)), 'clients told 1001', 10_000);
    await sleep(300);
    for (const s of streams) await s.stop();
    const convergeMs = await waitForConvergence([...viaBalancer, onB], 20_000, 'clients of A failed over to B');
    const fresh = cluster.connect(1, board.id, board.viewToken);
    await synced([fresh]);
    for (const c of viaBalancer) expect(covers(fresh.doc, c.doc), "each failed-over client's edits are stored").toBe(true);
    console.log(`cluster-kill: SIGTERM of A with ${streams.reduce((n, s) => n + s.made, 0)} edits streaming: clients failed over, converged ${convergeMs} ms after the edits stopped`);
  }, 60_000);
});
