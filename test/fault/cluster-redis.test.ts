import { describe, expect, it } from 'vitest';
import { readBoard } from '../../shared/doc/read.ts';
import { sleep, waitFor } from '../helpers/clients.ts';
import { randomEdit, synced, waitForConvergence } from '../helpers/cluster.ts';
import { clusterSuite } from '../helpers/clusterSuite.ts';
import { mulberry32 } from '../helpers/random.ts';

describe('Redis restarted: instances reconnect and everyone converges, edits made during the outage included', () => {
  const suite = clusterSuite({ redis: true });

  it('SIGKILL Redis, edit on both instances during the outage, restart Redis on the same port', async () => {
    const pollMs = 300;
    const cluster = await suite.cluster({ env: { PLANVAS_LOG_POLL_INTERVAL: `${pollMs}ms` } });
    const board = await cluster.createBoard(0, 'Redis outage');
    const onA = [cluster.connect(0, board.id, board.editToken), cluster.connect(0, board.id, board.editToken)];
    const onB = [cluster.connect(1, board.id, board.editToken), cluster.connect(1, board.id, board.editToken)];
    const all = [...onA, ...onB];
    await synced(all);
    const random = mulberry32(Date.now() % 100_000);

    // Before: edits cross instances through Redis.
    for (const [i, c] of all.entries()) randomEdit(c.doc, random, `before ${i}`);
    await waitForConvergence(all, 10_000, 'before the outage');
    await waitFor(async () => (await cluster.metric(1, 'planvas_fanout_received_total')) > 0, 'B received fan-out messages', 10_000);

    await suite.redis.kill();
    const outageStarted = Date.now();
    // During the outage: both instances keep taking edits; followers poll the log.
    for (let round = 0; round < 10; round++) {
      for (const [i, c] of all.entries()) randomEdit(c.doc, random, `outage r${round} c${i}`);
      await sleep(50);
    }
    const outageConvergeMs = await waitForConvergence(all, 15_000, 'during the Redis outage (log polling)');
    // Followers poll the log every logPollMs: a few polls (generous for 2 busy cores), not
    // Redis's return, bound the delay.
    expect(outageConvergeMs).toBeLessThan(Math.max(10 * pollMs, 5_000));
    expect(await cluster.metric(0, 'planvas_fanout_connected')).toBe(0);
    console.log(`cluster-redis: with Redis down, edits on both instances converged ${outageConvergeMs} ms after the last one (log poll ${pollMs} ms)`);
    expect(await cluster.metric(0, 'planvas_log_catchups_total') + (await cluster.metric(1, 'planvas_log_catchups_total'))).toBeGreaterThan(0);

    // Edits made just before Redis returns, then Redis back on the same port (empty: no memory of subscriptions).
    for (const [i, c] of all.entries()) randomEdit(c.doc, random, `late outage c${i}`);
    await suite.redis.restart();
    const downMs = Date.now() - outageStarted;
    await waitFor(
      async () => (await cluster.metric(0, 'planvas_fanout_connected')) === 1 && (await cluster.metric(1, 'planvas_fanout_connected')) === 1,
      'both instances reconnected to Redis',
      15_000,
      100,
    );
    const reconnectedMs = Date.now() - outageStarted - downMs;

    // After: messages flow through Redis again (B receives A's publications, subscriptions restored).
    const receivedBefore = await cluster.metric(1, 'planvas_fanout_received_total');
    randomEdit(onA[0]!.doc, random, 'after the outage');
    await waitFor(async () => (await cluster.metric(1, 'planvas_fanout_received_total')) > receivedBefore, 'B receives fan-out again', 15_000, 50);
    const finalMs = await waitForConvergence(all, 15_000, 'after Redis is back');
    const fresh = cluster.connect(1, board.id, board.viewToken);
    await synced([fresh]);
    await waitForConvergence([...all, fresh], 10_000, 'a fresh client');
    const titles = [...readBoard(fresh.doc).tasks.values()].map((t) => t.title);
    console.log(
      `cluster-redis: Redis down ${downMs} ms, instances reconnected ${reconnectedMs} ms after restart, final convergence ${finalMs} ms; ${titles.length} tasks`,
    );
    for (const c of all) expect(c.closeCodes, 'no client was disconnected by the Redis outage').toEqual([]);
  }, 90_000);
});
