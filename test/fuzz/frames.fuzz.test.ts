import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../shared/protocol/wire.ts';
import { connectClient, waitFor, type TestClient } from '../helpers/clients.ts';
import { mulberry32 } from '../helpers/random.ts';
import { createBoard, makeTempDir, removeTempDir, spawnServer, type ChildServer } from '../helpers/server.ts';
import { FrameFactory, int } from './generators.ts';
import { connectEditors, editUntil, missingWrites } from './honestEditors.ts';
import { emptyStats, runLane, type LaneStats } from './hostileLane.ts';
import { MB, lowestIn, sampleHeap, sampleRss } from './memory.ts';
import { PINNED_SEEDS, type PinnedSeed } from './regressions.ts';

/**
 * Hostile clients at a live server (issue 5): at least 100,000 random and mutated frames
 * (test/fuzz/generators.ts) from many raw connections, some with a view token, while three
 * stock y-websocket clients edit the same board. The server runs as a child process, so a
 * crash shows as an exit and its memory is its own. At the end: the server is up, every honest
 * write is in every honest copy and in a fresh joiner's (all identical), nothing a view
 * connection sent is in the board, every malformed frame closed only its own connection with
 * a rejection code, memory stayed bounded, and the stored log reloads after a SIGKILL.
 *
 * Every run prints `fuzz seed=<n>`; PLANVAS_FUZZ_SEED=<n> reruns that seed alone,
 * PLANVAS_FUZZ_FRAMES=<n> changes the frame count. Seeds that found a bug are pinned in
 * regressions.ts and run first.
 */
const FRAMES = Number(process.env.PLANVAS_FUZZ_FRAMES ?? 100_000);
const FIXED_SEED = process.env.PLANVAS_FUZZ_SEED;
/** Parallel hostile connections; the first VIEW_LANES connect with the view token. */
const LANES = 12;
const VIEW_LANES = 3;
const HONEST_EDITORS = 3;
/**
 * Longest the hostile traffic may take (PLANVAS_FUZZ_BUDGET_SECONDS); the test timeout leaves
 * room for the checks after it. Alone 100,000 frames take ~90 s; sharing the 2 cores with the
 * rest of the suite (fault tests start PostgreSQL, Redis and Planvas processes) about twice that.
 */
const STORM_BUDGET_MS = Number(process.env.PLANVAS_FUZZ_BUDGET_SECONDS ?? 360) * 1000;

/**
 * Memory bounds. The server holds one board of at most ~450 honest tasks plus the lanes' junk
 * (well under a megabyte encoded) and about 16 connections at a time.
 * - Resident set size, peak over the idle start: measured 110-240 MB on 100,000 frames. V8
 *   lets its heap grow between major collections and the allocator keeps freed socket buffers
 *   of ~12,000 connections, so RSS is a loose bound: 300 MB, which a leak of 3 KB per frame
 *   already breaks.
 * - The V8 heap's low points (right after a collection; nodejs_heap_used_bytes on /metrics)
 *   are what the server really keeps. Between the second third and the end of the run they
 *   must not rise by more than 25 MB. Measured: flat within ~10 MB on a correct server; rising
 *   by ~50 MB (31 -> 167 MB over the run) on one that remembered every awareness id it saw.
 */
const MAX_RSS_GROWTH = 300 * MB;
const MAX_HEAP_FLOOR_RISE = 25 * MB;
const MIN_FRAMES_FOR_LEAK_CHECK = 60_000;

const runs: Array<PinnedSeed & { label: string }> =
  FIXED_SEED !== undefined
    ? [{ seed: Number(FIXED_SEED) >>> 0, frames: FRAMES, found: '', label: 'PLANVAS_FUZZ_SEED' }]
    : [
        ...PINNED_SEEDS.map((p) => ({ ...p, label: 'pinned' })),
        { seed: (Date.now() ^ Math.floor(Math.random() * 2 ** 32)) >>> 0, frames: FRAMES, found: '', label: 'new random seed' },
      ];

describe('hostile frames at a live server while honest clients edit', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  for (const run of runs) {
    it(`seed ${run.seed}, ${run.frames} frames (${run.label})`, async () => {
      console.log(`fuzz seed=${run.seed} frames=${run.frames}${run.found ? ` (pinned: ${run.found})` : ''}`);
      await fuzzRun(run.seed, run.frames, cleanups);
    }, STORM_BUDGET_MS + 90_000);
  }
});

async function fuzzRun(seed: number, frames: number, cleanups: Array<() => Promise<void>>): Promise<void> {
  const started = Date.now();
  const dataDir = makeTempDir('planvas-fuzz-');
  const clients: TestClient[] = [];
  let server: ChildServer | null = null;
  cleanups.push(async () => {
    for (const c of clients) c.destroy();
    if (server) await server.kill('SIGKILL');
    removeTempDir(dataDir);
  });
  server = await spawnServer({ dataDir });
  const srv = server;
  const board = await createBoard(srv.url, 'Fuzz');

  // Honest editors, synced before the storm.
  const editors = connectEditors(srv.wsUrl, board.id, board.editToken, HONEST_EDITORS);
  clients.push(...editors.map((e) => e.client));
  await Promise.all(editors.map((e) => e.client.synced));
  const honestIds = new Set(editors.map((e) => e.client.doc.clientID));
  let editing = true;
  const honestRandom = mulberry32(seed ^ 0x5eed5eed);
  const editing$ = editors.map((e, i) => editUntil(e, i, honestRandom, () => editing));

  // Hostile lanes.
  const lanes = Array.from({ length: LANES }, (_, i) => {
    const random = mulberry32((seed + Math.imul(i + 1, 0x9e3779b9)) >>> 0);
    let laneClientId: number;
    do laneClientId = int(random, 2 ** 32);
    while (honestIds.has(laneClientId));
    const factory = new FrameFactory(random, { avoidClientIds: honestIds, maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES, laneClientId });
    const token = i < VIEW_LANES ? board.viewToken : board.editToken;
    return { view: i < VIEW_LANES, factory, random, stats: emptyStats(), url: `${srv.wsUrl}/${board.id}?token=${encodeURIComponent(token)}` };
  });
  const sentSoFar = () => lanes.reduce((n, l) => n + l.stats.sent, 0);
  const memory = sampleRss(srv.child.pid!, sentSoFar);
  const heap = sampleHeap(srv.url, sentSoFar);
  const quota = Math.ceil(frames / LANES);
  let aborted = false;
  const exited = new Promise<void>((resolve) => srv.child.once('exit', () => resolve()));
  void exited.then(() => (aborted = true));
  // A run that cannot finish in time stops and reports how far it got (the assertion on the
  // frame count then fails) instead of hitting the test timeout with nothing said.
  const deadline = setTimeout(() => (aborted = true), STORM_BUDGET_MS);
  // PLANVAS_FUZZ_VERBOSE=1: progress every 2 s (where a stuck run is stuck).
  const progress = process.env.PLANVAS_FUZZ_VERBOSE
    ? setInterval(() => console.log(`fuzz progress: ${lanes.map((l) => `${l.stats.sent}/${l.stats.connections}`).join(' ')} edits ${editors.map((e) => e.edits).join(',')}`), 2000)
    : null;
  try {
    await Promise.all(lanes.map((l) => runLane({ url: l.url, factory: l.factory, random: l.random, quota, stats: l.stats, aborted: () => aborted })));
  } finally {
    aborted = true; // lanes still running after another one failed stop at their next frame
    clearTimeout(deadline);
    if (progress) clearInterval(progress);
    memory.stop();
    await heap.stop();
    editing = false;
    await Promise.all(editing$);
  }
  const stormMs = Date.now() - started;

  const stats = mergeStats(lanes.map((l) => l.stats));
  console.log(summary(seed, stats, stormMs, memory.samples, heap.samples));
  for (const line of srv.logs.filter((l) => l.level === 'error').slice(0, 3)) console.log(`  server error: ${JSON.stringify(line).slice(0, 1500)}`);

  // The server stayed up and answers.
  expect(srv.child.exitCode, `server exited:\n${srv.stderr().slice(-4000)}`).toBeNull();
  expect(srv.child.signalCode).toBeNull();
  expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
  expect(stats.sent).toBeGreaterThanOrEqual(frames);
  expect(stats.findings, 'server behaviours a correct server never shows').toEqual([]);

  // Convergence: every honest copy and a fresh joiner hold the same state and every honest write.
  const fresh = connectClient(srv.wsUrl, board.id, board.editToken);
  clients.push(fresh);
  await fresh.synced;
  const everyone = [...editors.map((e) => e.client), fresh];
  await waitFor(
    () => everyone.every((c) => sameStateVector(c.doc, fresh.doc) && missingWrites(c, editors).length === 0),
    `every honest client and a fresh joiner converge (missing in the joiner: ${missingWrites(fresh, editors).slice(0, 3).join('; ')})`,
    30_000,
    50,
  );
  const contents = everyone.map((c) => boardContent(c.doc));
  for (const content of contents) expect(content).toBe(contents[0]);
  expect(editors.reduce((n, e) => n + e.written.size, 0)).toBeGreaterThan(0);

  // Nothing a view connection sent is in the board.
  const stateVector = Y.decodeStateVector(Y.encodeStateVector(fresh.doc));
  const tasksKeys = [...fresh.doc.getMap('tasks').keys()];
  for (const lane of lanes.filter((l) => l.view)) {
    const id = lane.factory.laneDoc.clientID;
    expect(stateVector.has(id), `view lane ${id} wrote to the document`).toBe(false);
    expect(tasksKeys.filter((k) => k.startsWith(`fuzz-${id}-`))).toEqual([]);
  }

  // An honest client can still join and edit.
  const fromJoiner = createTask(fresh.doc, { title: 'after the storm' });
  await waitFor(() => editors.every((e) => readBoard(e.client.doc).tasks.get(fromJoiner)?.title === 'after the storm'), 'the joiner edit reaches every editor', 15_000);

  // Every hostile connection was let go: only the honest ones remain.
  await waitFor(async () => (await openConnections(srv.url)) === everyone.length, `open connections back to ${everyone.length}`, 15_000, 100);

  // Memory stayed bounded, and did not grow with the frames late in the run.
  const baseline = memory.samples[0]!.bytes;
  const peak = Math.max(...memory.samples.map((s) => s.bytes));
  expect(peak - baseline, `peak RSS ${mb(peak)} over the baseline ${mb(baseline)}`).toBeLessThan(MAX_RSS_GROWTH);
  // The heap's low points only show what is kept once major collections have run for a while:
  // over the first ~30,000 frames they climb on any server (old space filling before its first
  // full collection), so shorter runs (pinned seeds) check the bounds above, not this one.
  if (stats.sent >= MIN_FRAMES_FOR_LEAK_CHECK) {
    const middleFloor = lowestIn(heap.samples, stats.sent, 0.33, 0.55);
    const endFloor = lowestIn(heap.samples, stats.sent, 0.8, 1.01);
    expect(endFloor - middleFloor, `heap low point ${mb(middleFloor)} in the second third, ${mb(endFloor)} at the end`).toBeLessThan(MAX_HEAP_FLOOR_RISE);
  }

  // No error logged (a stored update that fails to apply, a failed room task, a crash).
  expect(srv.logs.filter((l) => l.level === 'error')).toEqual([]);

  // What was stored (hostile edits included) reloads: killed without a chance to compact, the
  // server restarts from the log and serves the same board.
  const honestState = boardContent(fresh.doc);
  for (const c of clients.splice(0)) c.destroy();
  expect((await srv.kill('SIGKILL')).signal).toBe('SIGKILL');
  server = await spawnServer({ dataDir });
  const again = connectClient(server.wsUrl, board.id, board.viewToken);
  clients.push(again);
  await again.synced;
  expect(missingWrites(again, editors)).toEqual([]);
  expect(boardContent(again.doc)).toBe(honestState);
  expect(server.logs.filter((l) => l.level === 'error')).toEqual([]);
  console.log(`fuzz seed=${seed}: passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function sameStateVector(a: Y.Doc, b: Y.Doc): boolean {
  return Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)));
}

/** The board as the app reads it (tasks, notes, dependencies, meta), in a canonical order. */
function boardContent(doc: Y.Doc): string {
  const board = readBoard(doc);
  const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify({ meta: board.meta, tasks: sorted(board.tasks), notes: sorted(board.notes), deps: sorted(board.deps) });
}

async function openConnections(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const match = /^planvas_open_connections(?:\{\})? (\d+)$/m.exec(text);
  if (!match) throw new Error('planvas_open_connections is not in /metrics');
  return Number(match[1]);
}

function mergeStats(all: readonly LaneStats[]): LaneStats {
  const merged = emptyStats();
  for (const s of all) {
    merged.sent += s.sent;
    merged.connections += s.connections;
    merged.openFailures += s.openFailures;
    merged.findings.push(...s.findings);
    for (const [kind, k] of s.byKind) {
      const m = merged.byKind.get(kind) ?? { sent: 0, closed: 0, codes: new Set<number>() };
      m.sent += k.sent;
      m.closed += k.closed;
      for (const c of k.codes) m.codes.add(c);
      merged.byKind.set(kind, m);
    }
  }
  return merged;
}

function summary(seed: number, stats: LaneStats, ms: number, samples: ReadonlyArray<{ bytes: number }>, heap: ReadonlyArray<{ progress: number; bytes: number }>): string {
  const kinds = [...stats.byKind.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, k]) => `  ${kind.padEnd(24)} sent ${String(k.sent).padStart(6)}  closed ${String(k.closed).padStart(5)}  codes ${[...k.codes].sort().join(',') || '-'}`);
  const rss = samples.map((s) => s.bytes);
  return [
    `fuzz seed=${seed}: ${stats.sent} frames over ${stats.connections} connections in ${(ms / 1000).toFixed(1)} s (${Math.round(stats.sent / (ms / 1000))}/s), ${stats.openFailures} failed upgrades`,
    `  server RSS: start ${mb(rss[0] ?? 0)}, peak ${mb(Math.max(...rss))}, end ${mb(rss[rss.length - 1] ?? 0)} (${rss.length} samples); by tenths: ${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((t) => mb(rss[Math.min(rss.length - 1, Math.floor((t / 10) * rss.length) - 1)] ?? 0)).join(' ')}`,
    `  server heap low points by tenths of the frames: ${[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((t) => { const w = heap.filter((h) => h.progress >= (t / 10) * stats.sent && h.progress < ((t + 1) / 10) * stats.sent + 1).map((h) => h.bytes); return w.length ? mb(Math.min(...w)) : '-'; }).join(' ')}`,
    ...kinds,
    ...stats.findings.slice(0, 20).map((f) => `  FINDING: ${f}`),
  ].join('\n');
}

function mb(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}
