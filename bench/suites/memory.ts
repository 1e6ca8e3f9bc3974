import { performance } from 'node:perf_hooks';
import { populate10k } from '../clients/board10k.ts';
import { openClient, sleep, withTimeout, type LightClient } from '../clients/light.ts';
import { launch, systemsFor, type ServerHandle } from '../servers/launch.ts';
import { pushRun, rowOf, type BenchOptions, type Runs, type Suite, type SuiteResult } from '../types.ts';

/**
 * Server memory (VmRSS of the server process): per idle connection and per loaded 10k-task
 * board; for Planvas also how long an idle board stays loaded after its last client left.
 */

/** RSS (KB) after a full garbage collection in the server, so the figure is what it keeps, not garbage it has yet to collect. */
async function retainedKB(server: ServerHandle): Promise<number> {
  await server.collectGarbage!();
  // V8 hands freed pages back to the OS shortly after the collection, not during it.
  await sleep(300);
  return server.rssKB();
}

export const memorySuite: Suite = {
  name: 'memory',
  async run(options: BenchOptions): Promise<SuiteResult> {
    const perConn: Runs = {};
    const perBoard: Runs = {};
    const unload: Runs = {};
    const notes: string[] = [];
    const N = 500;
    const boards = 50;
    // RSS is noisy and each figure needs a fresh process: one run per system (two when not quick).
    const reps = options.quick ? 1 : Math.min(2, options.repetitions);
    for (const sys of systemsFor(false)) {
      for (let rep = 0; rep < reps; rep++) {
        const server = await launch(sys, options.serverCpus, { inspect: true });
        try {
          await sleep(500);
          const rooms = [];
          for (let b = 0; b < boards; b++) rooms.push(await server.createRoom());
          // Open (then leave) one client per board first, so room creation is not counted per connection.
          const warm = rooms.map((r) => openClient(server, r, { task: false }));
          await withTimeout(Promise.all(warm.map((c) => c.synced)), 20_000, 'warm-up');
          await sleep(1000);
          const before = await retainedKB(server);
          const clients: LightClient[] = [];
          for (let i = 0; i < N; i++) {
            clients.push(openClient(server, rooms[i % boards]!, { task: false }));
            if (i % 50 === 49) await sleep(5);
          }
          await withTimeout(Promise.all(clients.map((c) => c.synced)), 30_000, `${N} idle clients`);
          await sleep(1500);
          const after = await retainedKB(server);
          pushRun(perConn, sys, (after - before) / N);
          for (const c of [...clients, ...warm]) c.close();
          await sleep(500);

          const base = await retainedKB(server);
          const room = await server.createRoom();
          const writer = await populate10k(server, room);
          const reader = openClient(server, room, { task: false });
          await withTimeout(reader.synced, 20_000, 'reader');
          await sleep(1000);
          const loaded = await retainedKB(server);
          pushRun(perBoard, sys, (loaded - base) / 1024);
          options.log(`${sys}: ${((after - before) / N).toFixed(1)} KB per idle connection, ${((loaded - base) / 1024).toFixed(1)} MB for the 10k board`);
          if (sys === 'planvas' && server.openRooms) {
            // Let the other boards unload first, then time the 10k board.
            const deadline0 = Date.now() + 60_000;
            while ((await server.openRooms()) > 1 && Date.now() < deadline0) await sleep(100);
            const t0 = performance.now();
            writer.close();
            reader.close();
            const deadline = Date.now() + 60_000;
            while ((await server.openRooms()) > 0 && Date.now() < deadline) await sleep(50);
            const s = (performance.now() - t0) / 1000;
            pushRun(unload, sys, (await server.openRooms()) === 0 ? s : Infinity);
            options.log(`${sys}: 10k board unloaded ${s.toFixed(2)} s after its last client left`);
          } else {
            writer.close();
            reader.close();
          }
        } catch (err) {
          options.log(`${sys}: failed: ${(err as Error).message}`);
          notes.push(`${sys}: ${(err as Error).message.split('\n')[0]}`);
        } finally {
          await server.stop();
        }
      }
    }
    notes.push(
      `idle connections: ${N} clients over ${boards} boards (each board already opened once), RSS after minus before / ${N}, after 1.5 s of settling; 10k board: RSS after writing it and one client syncing it, minus before; ${reps} fresh server process(es) per system; every RSS reading is taken 0.3 s after a full garbage collection in the server (HeapProfiler.collectGarbage through the inspector: every server is started with --inspect on a loopback port for this suite only), so figures count what a system keeps, not garbage it has yet to collect.`,
      'unload: time from the last client closing to /healthz reporting no open room (polled every 50 ms).',
    );
    return {
      suite: 'memory',
      rows: [
        rowOf('rss-per-idle-connection', 'server RSS per idle connection (500 over 50 boards)', 'KB', perConn, { text: '<= 8 KB', target: 8, lowerIsBetter: true }),
        rowOf('rss-per-10k-board', 'server RSS per loaded 10k-task board', 'MB', perBoard, { text: '<= 30 MB', target: 30, lowerIsBetter: true }),
        rowOf('unload-idle-board', 'idle 10k board unloaded after its last client left', 's', unload, { text: '<= 30 s', target: 30, lowerIsBetter: true }),
      ],
      notes,
    };
  },
};
