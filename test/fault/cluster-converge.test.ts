import { describe, expect, it } from 'vitest';
import { readBoard } from '../../shared/doc/read.ts';
import { sleep, waitFor, type TestClient } from '../helpers/clients.ts';
import { randomEdit, synced, waitForConvergence } from '../helpers/cluster.ts';
import { clusterSuite } from '../helpers/clusterSuite.ts';
import { mulberry32 } from '../helpers/random.ts';

/** The presence state another client sees for `of`, or undefined. */
function presenceSeenBy(viewer: TestClient, of: TestClient): unknown {
  return viewer.provider.awareness.getStates().get(of.doc.clientID);
}

describe('two instances on one PostgreSQL and one Redis: clients on different instances converge', () => {
  const suite = clusterSuite({ redis: true });

  it('3 clients on A and 3 on B edit concurrently and converge; fresh clients on A and B see the same', async () => {
    const cluster = await suite.cluster({ env: { PLANVAS_LOG_POLL_INTERVAL: '300ms' } });
    const board = await cluster.createBoard(0, 'Two instances');
    const onA = [0, 1, 2].map(() => cluster.connect(0, board.id, board.editToken));
    const onB = [0, 1, 2].map(() => cluster.connect(1, board.id, board.editToken));
    const all = [...onA, ...onB];
    await synced(all);

    const seed = Date.now() % 100_000;
    console.log(`cluster-converge seed ${seed}`);
    const random = mulberry32(seed);
    // 40 rounds: every client makes one edit per round, with a short pause so that edits of
    // other clients (relayed through the other instance) arrive in between.
    let edits = 0;
    for (let round = 0; round < 40; round++) {
      all.forEach((c, i) => {
        randomEdit(c.doc, random, `r${round} c${i}`);
        edits++;
      });
      await sleep(random() * 20);
    }
    const convergeMs = await waitForConvergence(all, 20_000, 'six clients on two instances');
    const tasks = readBoard(all[0]!.doc).tasks.size;
    console.log(`cluster-converge: ${edits} edits by 6 clients on 2 instances, ${tasks} tasks, converged ${convergeMs} ms after the last edit`);
    expect(tasks).toBeGreaterThan(40);

    const freshA = cluster.connect(0, board.id, board.viewToken);
    const freshB = cluster.connect(1, board.id, board.viewToken);
    await synced([freshA, freshB]);
    await waitForConvergence([...all, freshA, freshB], 10_000, 'fresh clients on A and B');
  }, 60_000);

  it('presence of a client on A is visible on B (also to a client joining later) and expires after A is SIGKILLed', async () => {
    const cluster = await suite.cluster({ env: { PLANVAS_LOG_POLL_INTERVAL: '300ms' } });
    const board = await cluster.createBoard(0, 'Presence');
    const ada = cluster.connect(0, board.id, board.editToken);
    const bob = cluster.connect(1, board.id, board.editToken);
    await synced([ada, bob]);

    ada.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#e91e63' });
    ada.provider.awareness.setLocalStateField('cursor', { x: 10, y: 20 });
    await waitFor(() => (presenceSeenBy(bob, ada) as { user?: { name?: string } } | undefined)?.user?.name === 'Ada', 'Ada visible on B', 10_000);
    bob.provider.awareness.setLocalStateField('user', { name: 'Bob', color: '#2196f3' });
    await waitFor(() => (presenceSeenBy(ada, bob) as { user?: { name?: string } } | undefined)?.user?.name === 'Bob', 'Bob visible on A', 10_000);
    // A client that joins B later learns about Ada too (B asks A's instance for its presence, or relays what it has).
    const late = cluster.connect(1, board.id, board.viewToken);
    await synced([late]);
    await waitFor(() => presenceSeenBy(late, ada) !== undefined, 'Ada visible to a client joining B later', 10_000);

    // A dies: Ada's presence must go away on B (awareness timeout, ~30 s, or sooner).
    const killedAt = Date.now();
    await cluster.sigkill(0);
    await waitFor(() => presenceSeenBy(bob, ada) === undefined && presenceSeenBy(late, ada) === undefined, "Ada's presence expires on B", 45_000, 100);
    const goneMs = Date.now() - killedAt;
    // A client joining B now must not be handed Ada's stale presence.
    const after = cluster.connect(1, board.id, board.viewToken);
    await synced([after]);
    await waitFor(() => presenceSeenBy(after, bob) !== undefined, 'Bob visible to a new client', 10_000);
    expect(presenceSeenBy(after, ada)).toBeUndefined();
    console.log(`cluster-converge: presence of a client of a SIGKILLed instance gone on the other instance after ${goneMs} ms`);
    expect(goneMs).toBeLessThan(40_000);
  }, 90_000);
});
