import { performance } from 'node:perf_hooks';
import { percentile } from '../types.ts';
import { sleep, type LightClient } from './light.ts';

/**
 * Drives edits at a fixed total rate over groups of clients (one group per board) and
 * measures, in this process with one clock, receive time minus send time of every edit at
 * every measuring client of its board.
 *
 * The harness's own work is kept out of the measured window so that its floor is low for
 * every system alike: every edit of the run is made on its client's Y.Doc before the first
 * send (real Yjs updates, in order, one per send, each with its marker), and only the framed
 * bytes are sent while measuring; edits and cursor messages are spread evenly over time, not
 * fired in bursts; the garbage of that preparation is collected before the first send when
 * the process runs with --expose-gc (bench/run.ts does).
 */
export interface LoadOptions {
  /** Total edits per second over all boards. */
  rate: number;
  /** Measured window, ms (after warmupMs). */
  durationMs: number;
  warmupMs?: number;
  /** Fraction of clients that also send cursor awareness at 20 Hz. */
  awarenessFraction?: number;
  /** Clients per board that parse frames and record latency; the others are sinks. Default: all. */
  measuringPerBoard?: number;
  /** Wait after the last send for stragglers, ms. */
  drainMs?: number;
  /**
   * Stop sending once the step's p99 is certain to exceed this (more than 1 % of the step's
   * largest possible sample count already arrived later than it): an overloaded step then
   * leaves a smaller backlog for the server to work off. Default: never stop early.
   */
  stopAboveMs?: number;
}

export interface LoadResult {
  p50: number | null;
  p99: number | null;
  /** Samples received / samples expected (undelivered count as lost). */
  delivered: number;
  sent: number;
  /** Achieved send rate. */
  achievedRate: number;
  /** p99 counting undelivered samples as infinitely late. */
  p99WithLoss: number;
  /**
   * The clients can carry another run: every prepared edit was sent and every socket is
   * still open. When false, a client's doc is ahead of what the server has seen (or a
   * socket was closed), so the caller must open fresh clients.
   */
  reusable: boolean;
  /** Sending stopped early (stopAboveMs): p99 was already over it. */
  stoppedEarly: boolean;
}

const CURSOR_HZ = 20;

/** The marker number of the next edit any load run in this process makes. */
let nextEditNumber = 0;

/** `global.gc` when the process runs with --expose-gc. */
const collectGarbage = (globalThis as { gc?: () => void }).gc;

export async function runLoad(groups: LightClient[][], opts: LoadOptions): Promise<LoadResult> {
  const warmup = opts.warmupMs ?? 500;
  const drain = opts.drainMs ?? 500;
  // Interleave boards so consecutive edits hit different boards.
  const order: LightClient[] = [];
  const maxLen = Math.max(...groups.map((g) => g.length));
  for (let i = 0; i < maxLen; i++) for (const g of groups) if (g[i]) order.push(g[i]!);

  // Every edit of the run, made now: edit n is sent by order[n % order.length] and carries the
  // marker number first + n (unique in this process, so a straggler of an earlier run on the
  // same clients can never be taken for an edit of this one).
  const total = Math.floor((opts.rate * (warmup + opts.durationMs)) / 1000);
  const first = nextEditNumber;
  nextEditNumber += total;
  const frames: Uint8Array[] = new Array<Uint8Array>(total);
  for (let n = 0; n < total; n++) frames[n] = order[n % order.length]!.prepareEdit(first + n);
  // Send time of edit n (NaN: sent outside the measured window, or not sent).
  const sendTimes = new Float64Array(total).fill(NaN);
  // Every sample fits (each edit reaches at most its board's measurers): no allocation, so no
  // garbage, while measuring.
  const measurersMax = Math.max(...groups.map((g) => Math.min(g.length, opts.measuringPerBoard ?? g.length)));
  const samples = new Float64Array(total * measurersMax);
  let received = 0;
  let expected = 0;
  const stopAbove = opts.stopAboveMs ?? Infinity;
  // More late samples than this and p99 > stopAbove whatever the rest of the step does.
  const lateLimit = Math.ceil(0.01 * samples.length);
  let late = 0;

  const expectedPerSend: number[] = [];
  groups.forEach((g) => {
    const m = Math.min(g.length, opts.measuringPerBoard ?? g.length);
    g.forEach((c, i) => {
      // Measuring receivers of this client's edits: the board's measurers other than itself.
      expectedPerSend[c.cid] = m - (i < m ? 1 : 0);
      if (i < m) {
        c.onMarker = (sender, marker, now) => {
          const n = marker - first;
          // Some servers echo an update to its sender: that is not a delivery.
          if (sender === c.cid || n < 0 || n >= total) return;
          const t = sendTimes[n]!;
          if (t === t && received < samples.length) {
            samples[received++] = now - t;
            if (now - t > stopAbove) late++;
          }
        };
      } else {
        c.onMarker = null;
        c.sink();
      }
    });
  });

  const fraction = opts.awarenessFraction ?? 0;
  const every = fraction > 0 ? Math.max(1, Math.round(1 / fraction)) : 0;
  const cursorClients = every > 0 ? order.filter((_c, i) => i % every === 0) : [];
  const cursorRate = cursorClients.length * CURSOR_HZ;

  collectGarbage?.();
  await sleep(0);

  let sent = 0;
  let cursorsSent = 0;
  const start = performance.now();
  const measureFrom = start + warmup;
  const end = measureFrom + opts.durationMs;
  // The last edits fall due right at `end`; past this, the harness has fallen behind for good.
  const giveUp = end + 100;
  let measuredSent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      if (sent >= total || now >= giveUp || late > lateLimit) return resolve();
      const elapsed = (now - start) / 1000;
      const due = Math.min(total, Math.floor(elapsed * opts.rate));
      // Never try to catch up more than 50 ms of backlog in one tick.
      const cap = Math.max(1, Math.ceil(opts.rate / 20));
      let budget = Math.min(due - sent, cap);
      const measuring = now >= measureFrom;
      while (budget-- > 0) {
        const n = sent++;
        const c = order[n % order.length]!;
        if (measuring) {
          sendTimes[n] = performance.now();
          expected += expectedPerSend[c.cid]!;
          measuredSent++;
        }
        c.sendFrame(frames[n]!);
      }
      // Cursor messages at 20 Hz per cursor client, spread evenly over the 50 ms period.
      if (cursorRate > 0 && now < end) {
        const cursorDue = Math.floor(elapsed * cursorRate);
        while (cursorsSent < cursorDue) {
          const k = cursorsSent++;
          const round = Math.floor(k / cursorClients.length);
          cursorClients[k % cursorClients.length]!.sendAwareness(round % 1000, (round * 7) % 800);
        }
      }
      if (sent < due) setImmediate(tick);
      else setTimeout(tick, 1);
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  await sleep(drain);
  for (const g of groups) for (const c of g) c.onMarker = null;
  const latencies = samples.subarray(0, received).sort();
  const delivered = expected === 0 ? 1 : latencies.length / expected;
  // p99 where the undelivered samples sit at +infinity.
  const idx99 = Math.ceil(0.99 * expected) - 1;
  const p99WithLoss = expected === 0 ? 0 : idx99 < latencies.length ? latencies[idx99]! : Infinity;
  const open = groups.every((g) => g.every((c) => c.ws.readyState === c.ws.OPEN));
  return {
    p50: percentile(Array.from(latencies), 50),
    p99: percentile(Array.from(latencies), 99),
    delivered,
    sent: measuredSent,
    achievedRate: sent / elapsed,
    p99WithLoss,
    reusable: sent === total && open,
    stoppedEarly: late > lateLimit,
  };
}
