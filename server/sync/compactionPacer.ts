/**
 * Runs the compactions that edits schedule (a board's log reaching its threshold) one at a
 * time on this server, with a turn of the event loop between two of them. Boards under the
 * same load reach their threshold together (50 busy boards at 40 edits/s each reach 500 log
 * rows within the same second); run back to back, their synchronous SQLite rewrites held every
 * other board's edits for a quarter of a second in the benchmark (server event-loop delay
 * 250–300 ms). An unload's compaction and a forced one (size limit) do not wait here.
 *
 * A compaction is never urgent (the log holds everything until it runs), so waiting its turn
 * costs nothing but a few more rows read on a later load.
 */
const MAX_WAIT_MS = 1_000;

export class CompactionPacer {
  private readonly waiting: Array<() => Promise<unknown>> = [];
  private running = false;

  /** Queues `compaction`, which resolves when it has finished (a rejection is ignored here: the caller logs its own errors). */
  schedule(compaction: () => Promise<unknown>): void {
    this.waiting.push(compaction);
    if (!this.running) this.next();
  }

  private next(): void {
    const compaction = this.waiting.shift();
    this.running = compaction !== undefined;
    if (!compaction) return;
    // A board whose queue is held up (a slow store, a restore writing its backup) does not
    // hold the others' compactions beyond MAX_WAIT_MS: the next one starts, this one goes on.
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, MAX_WAIT_MS);
      timer.unref();
    });
    void Promise.race([compaction().catch(() => undefined), waited]).then(() => {
      clearTimeout(timer);
      setImmediate(() => this.next());
    });
  }
}

/** The server's pacer: one per process, shared by every room (a test server in the same process shares it too). */
export const compactionPacer = new CompactionPacer();
