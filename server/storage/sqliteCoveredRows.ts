import type Database from 'better-sqlite3';

/**
 * Log rows that a compaction has covered (seq <= its snapshot's last_seq), deleted a few seconds
 * later for every board at once instead of inside each compaction.
 *
 * Why: boards under load write their rows interleaved, so one board's last 500 rows lie on
 * about 500 different table pages, and deleting them rewrites each of those pages into the WAL:
 * ~2 MB and 4–8 ms of one event-loop turn per compaction (50 boards at 2,000 edits/s compact four
 * times a second). Deleted together, the boards' rows share their pages: measured on this machine
 * with 50 boards' rows interleaved (a `.scratch` script, 100,000 appends, a compaction every 500
 * rows of a board), 1,560 ms of deletes inside the compactions against 160 ms in sweeps of every
 * board compacted in the last 4,000 appends.
 *
 * Nothing reads a covered row: loads and log counts start after the snapshot's last_seq. A crash
 * before the sweep leaves covered rows behind, which the board's next load queues again.
 */
export interface CoveredRows {
  /** The board's rows up to `upToSeq` are in its snapshot now: delete them with the next sweep. */
  add(boardId: string, upToSeq: number): void;
  /** The board was deleted, and its rows with it. */
  forget(boardId: string): void;
  /** Deletes every covered row now, in one transaction (also before the store closes). */
  sweep(): void;
}

/** How long covered rows wait for other boards' to be deleted with them. */
export const SWEEP_DELAY_MS = 5_000;

export function createCoveredRows(db: Database.Database, deleteUpTo: (boardId: string, upToSeq: number) => void, delayMs = SWEEP_DELAY_MS): CoveredRows {
  const pending = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  const deleteAll = db.transaction((entries: ReadonlyArray<[string, number]>) => {
    for (const [boardId, upToSeq] of entries) deleteUpTo(boardId, upToSeq);
  });

  const sweep = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.size === 0) return;
    const entries = [...pending];
    pending.clear();
    try {
      deleteAll(entries);
    } catch {
      // The disk refused (full, I/O error): the rows are harmless where they are. Kept for the
      // next sweep, which the next compaction schedules; a caller's own call (close) is not failed.
      for (const [boardId, upToSeq] of entries) if ((pending.get(boardId) ?? 0) < upToSeq) pending.set(boardId, upToSeq);
    }
  };

  return {
    add(boardId, upToSeq) {
      if ((pending.get(boardId) ?? 0) >= upToSeq) return;
      pending.set(boardId, upToSeq);
      // Unref'd: a process with nothing else to do may exit; close() sweeps what is left.
      timer ??= setTimeout(sweep, delayMs).unref();
    },
    forget(boardId) {
      pending.delete(boardId);
    },
    sweep,
  };
}
