import { performance } from 'node:perf_hooks';
import { board10k, populate10k } from '../clients/board10k.ts';
import { startJoiners, type Joiners } from '../clients/joiners.ts';
import { closeAll, openBoards, openClient, sleep, withTimeout } from '../clients/light.ts';
import { runLoad } from '../clients/load.ts';
import { launch, systemsFor } from '../servers/launch.ts';
import { pushRun, rowOf, type BenchOptions, type Runs, type Suite, type SuiteResult } from '../types.ts';

/**
 * Joining a 10k-task / 10k-dependency board: one join to synced, 20 simultaneous joins all
 * synced, and the p99 of an unrelated board (10 clients, 200 updates/s) during those joins.
 * The board is held open by one client (the peers keep documents in memory only); for Planvas
 * also a join after the board was unloaded (loaded from SQLite).
 */

export const coldloadSuite: Suite = {
  name: 'coldload',
  async run(options: BenchOptions): Promise<SuiteResult> {
    const one: Runs = {};
    const twenty: Runs = {};
    const otherP99: Runs = {};
    const cold: Runs = {};
    const notes: string[] = [];
    board10k();
    for (const sys of systemsFor(false)) {
      const server = await launch(sys, options.serverCpus);
      let joiners: Joiners | null = null;
      try {
        const room = await server.createRoom();
        const holder = await populate10k(server, room);
        const other = await openBoards(server, 1, 10);
        joiners = await startJoiners(server, room);
        for (let rep = 0; rep < options.repetitions; rep++) {
          const t0 = performance.now();
          const c = openClient(server, room, { task: false });
          pushRun(one, sys, (await withTimeout(c.synced, 20_000, 'join')) - t0);
          c.close();
          await sleep(200);
          const load = runLoad(other, { rate: 200, durationMs: 2500, warmupMs: 200, drainMs: 300 });
          await sleep(400);
          // From a child process (bench/clients/joiners.ts): in this one, receiving the 20 copies
          // stalled the loop that times the unrelated board's edits.
          const done = await joiners.join(20, 30_000);
          pushRun(twenty, sys, Math.max(...done));
          const r = await load;
          pushRun(otherP99, sys, r.p99WithLoss);
          options.log(`${sys}: 1 join ${one[sys]!.at(-1)!.toFixed(1)} ms, 20 joins ${twenty[sys]!.at(-1)!.toFixed(1)} ms, other board p99 ${r.p99WithLoss.toFixed(1)} ms`);
          await sleep(300);
        }
        closeAll(other);
        holder.close();
        if (sys === 'planvas' && server.openRooms) {
          for (let rep = 0; rep < options.repetitions; rep++) {
            const deadline = Date.now() + 60_000;
            while ((await server.openRooms()) > 0 && Date.now() < deadline) await sleep(100);
            const t0 = performance.now();
            const c = openClient(server, room, { task: false });
            pushRun(cold, sys, (await withTimeout(c.synced, 30_000, 'cold join')) - t0);
            c.close();
            options.log(`${sys}: join from storage ${cold[sys]!.at(-1)!.toFixed(1)} ms`);
          }
        }
      } catch (err) {
        options.log(`${sys}: failed: ${(err as Error).message}`);
        notes.push(`${sys}: ${(err as Error).message.split('\n')[0]}`);
      } finally {
        joiners?.close();
        await server.stop();
      }
    }
    const { bytes } = board10k();
    notes.push(
      `10k tasks + 10k dependencies (${(bytes / 1e6).toFixed(1)} MB of Yjs updates); "synced" = the server's sync step 2 fully received by the client (not applied to a client doc); the board is kept open by one client during the join rows; the unrelated board has 10 clients at 200 updates/s, timed in the harness process while the 20 joins run from a child process of it at nice 10 on the same core, each timed there from the moment it starts them.`,
    );
    return {
      suite: 'coldload',
      rows: [
        rowOf('coldload-join-1', 'join a 10k-task board (open), one client to synced', 'ms', one, { text: '<= 50 ms', target: 50, lowerIsBetter: true }),
        rowOf('coldload-join-20', 'join a 10k-task board (open), 20 simultaneous clients, all synced', 'ms', twenty, { text: '<= 400 ms', target: 400, lowerIsBetter: true }),
        rowOf('coldload-other-p99', 'p99 edit latency of an unrelated board during the 20 joins (200 updates/s)', 'ms', otherP99, { text: '<= 50 ms', target: 50, lowerIsBetter: true }),
        rowOf('coldload-join-storage', 'join a 10k-task board after unload (from storage), one client', 'ms', cold, { text: '<= 50 ms', target: 50, lowerIsBetter: true }),
      ],
      notes,
    };
  },
};
