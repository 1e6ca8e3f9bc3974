import fs from 'node:fs';

/**
 * Resident memory of another process (the server child), sampled with the progress of the
 * run, so a test can tell "grew while warming up" from "grows with every frame".
 */
export interface RssSample {
  /** Frames sent when the sample was taken. */
  progress: number;
  bytes: number;
}

/** VmRSS of `pid` in bytes (Linux /proc), or null when the process is gone. */
export function readRss(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Samples `pid` every `intervalMs` until stopped; `progress()` says how far the run is. */
export function sampleRss(pid: number, progress: () => number, intervalMs = 200): { samples: RssSample[]; stop(): void } {
  const samples: RssSample[] = [];
  const take = () => {
    const bytes = readRss(pid);
    if (bytes !== null) samples.push({ progress: progress(), bytes });
  };
  take();
  const timer = setInterval(take, intervalMs);
  return { samples, stop: () => clearInterval(timer) };
}

/**
 * Samples the server's V8 heap in use (nodejs_heap_used_bytes on /metrics) every `intervalMs`.
 * RSS keeps memory the allocator has not returned; the heap's low points (right after a
 * collection) are what the process really holds, so a leak shows as rising low points.
 */
export function sampleHeap(baseUrl: string, progress: () => number, intervalMs = 250): { samples: RssSample[]; stop(): Promise<void> } {
  const samples: RssSample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = progress();
      try {
        const text = await (await fetch(`${baseUrl}/metrics`)).text();
        const match = /^nodejs_heap_used_bytes(?:\{\})? (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
        if (match) samples.push({ progress: at, bytes: Number(match[1]) });
      } catch {
        // The server is busy or gone; the run's own checks say which.
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    samples,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** Lowest sample whose progress lies in [from, to) of `total`. */
export function lowestIn(samples: readonly RssSample[], total: number, from: number, to: number): number {
  const inWindow = samples.filter((s) => s.progress >= from * total && s.progress < to * total).map((s) => s.bytes);
  if (inWindow.length === 0) throw new Error(`no memory sample between ${from * 100}% and ${to * 100}% of the run`);
  return Math.min(...inWindow);
}

/** Median RSS of the samples whose progress lies in [from, to) of `total`. */
export function medianRss(samples: readonly RssSample[], total: number, from: number, to: number): number {
  const inWindow = samples.filter((s) => s.progress >= from * total && s.progress < to * total).map((s) => s.bytes);
  if (inWindow.length === 0) throw new Error(`no memory sample between ${from * 100}% and ${to * 100}% of the run`);
  inWindow.sort((a, b) => a - b);
  return inWindow[Math.floor(inWindow.length / 2)]!;
}

export const MB = 1024 * 1024;
