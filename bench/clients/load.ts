import { performance } from 'node:perf_hooks';
import { percentile } from '../types.ts';
import { sleep, type LightClient } from './light.ts';

/**
 * Drives edits at a fixed total rate over groups of clients (one group per board) and
 * measures, in this process with one clock, receive time minus send time of every edit at
 * every measuring client of its board.
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
}

export async function runLoad(groups: LightClient[][], opts: LoadOptions): Promise<LoadResult> {
  const warmup = opts.warmupMs ?? 500;
  const drain = opts.drainMs ?? 500;
  const sendTimes = new Map<string, number>();
  const latencies: number[] = [];
  let expected = 0;
  let measuring = false;
  const senders: LightClient[] = [];
  const boardOf = new Map<LightClient, number>();
  const measurersPerBoard: number[] = [];
  groups.forEach((g, b) => {
    const m = Math.min(g.length, opts.measuringPerBoard ?? g.length);
    measurersPerBoard.push(m);
    g.forEach((c, i) => {
      senders.push(c);
      boardOf.set(c, b);
      if (i < m) {
        const own = `@@${c.cid}.`;
        c.onMarker = (marker, now) => {
          // Some servers echo an update to its sender: that is not a delivery.
          if (marker.startsWith(own)) return;
          const t = sendTimes.get(marker);
          if (t !== undefined) latencies.push(now - t);
        };
      } else {
        c.onMarker = null;
        c.sink();
      }
    });
  });
  // Interleave boards so consecutive edits hit different boards.
  const order: LightClient[] = [];
  const maxLen = Math.max(...groups.map((g) => g.length));
  for (let i = 0; i < maxLen; i++) for (const g of groups) if (g[i]) order.push(g[i]!);

  const cursorClients = order.filter((_c, i) => i % Math.round(1 / (opts.awarenessFraction || 1)) === 0 && (opts.awarenessFraction ?? 0) > 0);
  let awarenessTimer: NodeJS.Timeout | null = null;
  if (cursorClients.length > 0) {
    let k = 0;
    awarenessTimer = setInterval(() => {
      k++;
      for (const c of cursorClients) c.sendAwareness(k % 1000, (k * 7) % 800);
    }, 50);
  }

  let n = 0;
  let next = 0;
  let sent = 0;
  const start = performance.now();
  const measureFrom = start + warmup;
  const end = measureFrom + opts.durationMs;
  let measuredSent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      if (now >= end) return resolve();
      measuring = now >= measureFrom;
      const due = Math.floor(((now - start) / 1000) * opts.rate);
      // Never try to catch up more than 50 ms of backlog in one tick.
      const cap = Math.max(1, Math.ceil(opts.rate / 20));
      let budget = Math.min(due - sent, cap);
      while (budget-- > 0) {
        const c = order[next]!;
        next = (next + 1) % order.length;
        const marker = `@@${c.cid}.${n}@@`;
        const t = performance.now();
        if (measuring) {
          sendTimes.set(marker, t);
          const b = boardOf.get(c)!;
          const idx = groups[b]!.indexOf(c);
          expected += measurersPerBoard[b]! - (idx < measurersPerBoard[b]! ? 1 : 0);
          measuredSent++;
        }
        c.edit(n);
        n++;
        sent++;
      }
      if (sent < due) setImmediate(tick);
      else setTimeout(tick, 1);
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  await sleep(drain);
  if (awarenessTimer) clearInterval(awarenessTimer);
  for (const g of groups) for (const c of g) c.onMarker = null;
  const delivered = expected === 0 ? 1 : latencies.length / expected;
  latencies.sort((a, b) => a - b);
  // p99 where the undelivered samples sit at +infinity.
  const idx99 = Math.ceil(0.99 * expected) - 1;
  const p99WithLoss = expected === 0 ? 0 : idx99 < latencies.length ? latencies[idx99]! : Infinity;
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    delivered,
    sent: measuredSent,
    achievedRate: sent / elapsed,
    p99WithLoss,
  };
}
