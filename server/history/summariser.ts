import { Worker } from 'node:worker_threads';
import type { VersionSummary } from '../../shared/history/summary.ts';
import type { Logger } from '../log.ts';
import { summariseStates } from './summarise.ts';

/** Computes a version's summary from the previous version's state and its own (summarise.ts). */
export interface Summariser {
  summarise(before: Uint8Array | null, after: Uint8Array): Promise<VersionSummary>;
  close(): Promise<void>;
}

/** On the calling thread: for tests and tools; the server uses `workerSummariser`. */
export const inlineSummariser: Summariser = {
  async summarise(before, after) {
    return summariseStates(before, after);
  },
  async close() {},
};

type Reply = { id: number; ok: true; summary: VersionSummary } | { id: number; ok: false; error: string } | { ready: true };

/**
 * Summaries in one worker thread, started on first use, so the ~1 s of decoding and diffing a
 * 10k-task board's versions never stalls the event loop that relays every board's edits.
 * Requests are answered in order. If the worker cannot start or dies, pending and later
 * requests are computed inline (logged): a version is never lost for want of a thread.
 */
export function workerSummariser(logger: Logger): Summariser {
  let worker: Worker | null = null;
  let broken = false;
  let nextId = 1;
  const pending = new Map<number, { before: Uint8Array | null; after: Uint8Array; resolve: (s: VersionSummary) => void; reject: (e: Error) => void }>();

  /** Summarises every job still waiting for the worker on this thread. */
  const finishPendingHere = () => {
    for (const [id, job] of pending) {
      pending.delete(id);
      try {
        job.resolve(summariseStates(job.before, job.after));
      } catch (e) {
        job.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
  };

  const fallBack = (err: unknown) => {
    if (broken) return;
    broken = true;
    logger.error('version summary worker failed; summarising on the main thread', { err });
    void worker?.terminate();
    worker = null;
    finishPendingHere();
  };

  const start = (): Worker => {
    const w = new Worker(new URL('./summaryWorker.mjs', import.meta.url));
    w.unref();
    w.on('message', (reply: Reply) => {
      if ('ready' in reply) return;
      const job = pending.get(reply.id);
      if (!job) return;
      pending.delete(reply.id);
      if (reply.ok) job.resolve(reply.summary);
      else job.reject(new Error(reply.error));
    });
    w.on('error', fallBack);
    w.on('exit', (code) => {
      if (worker === w && !broken && code !== 0) fallBack(new Error(`worker exited with code ${code}`));
      if (worker === w) worker = null;
    });
    return w;
  };

  return {
    summarise(before, after) {
      if (broken) return Promise.resolve().then(() => summariseStates(before, after));
      return new Promise<VersionSummary>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { before, after, resolve, reject });
        try {
          worker ??= start();
          worker.postMessage({ id, before, after });
        } catch (err) {
          fallBack(err);
        }
      });
    },
    async close() {
      const w = worker;
      worker = null;
      broken = true;
      // Whatever is still waiting is finished here rather than dropped.
      finishPendingHere();
      if (w) await w.terminate();
    },
  };
}
