import type Database from 'better-sqlite3';

/**
 * Log rows that a compaction has covered (seq <= its snapshot's last_seq), deleted a few seconds
 * later for every board at once, in slices of the log, instead of inside each compaction.
 *
 * Why: boards under load write their rows interleaved, so one board's last 500 rows lie on
 * about 500 different table pages, and deleting them rewrites each of those pages into the WAL:
 * ~2 MB and 4–8 ms of one event-loop turn per compaction (50 boards at 2,000 edits/s compact four
 * times a second). Deleted together, slice by slice of seqs, the boards' rows share their pages
 * and each page is written once. Measured on this machine with 50 boards' rows interleaved (a
 * `.scratch` script, 100,000 appends, a compaction every 500 rows of a board): 1,560 ms of
 * deletes inside the compactions, against 160–240 ms for the same rows deleted later; deleted in
 * one transaction those took up to 93 ms at once, hence the slices, one per event-loop turn.
 *
 * Nothing reads a covered row: loads and log counts start after the snapshot's last_seq. A crash
 * before the sweep leaves covered rows behind, which the board's next load queues again.
 */
export interface CoveredRows {
  /** The board's rows up to `upToSeq` are in its snapshot now: delete them with the next sweep. */
  add(boardId: string, upToSeq: number): void;
  /** The board was deleted, and its rows with it. */
  forget(boardId: string): void;
  /** Deletes every covered row now, synchronously (before the store closes). */
  sweepAll(): void;
}

export interface LogRows {
  /** The board's oldest log row, or null when it has none. */
  firstSeq(boardId: string): number | null;
  /** Deletes the board's rows with fromSeq <= seq <= toSeq. */
  deleteRange(boardId: string, fromSeq: number, toSeq: number): void;
}

/** How long covered rows wait for other boards' to be deleted with them. */
export const SWEEP_DELAY_MS = 5_000;
/**
 * Seqs per slice: ~40 table pages of small rows. In the script above, with every one of the 50
 * boards covered in each slice: 1–2 ms a slice (4–20 ms with 4,096); a slice whose commit
 * triggers SQLite's WAL checkpoint takes 8–20 ms, as any commit then does.
 */
export const SWEEP_SLICE_SEQS = 1_024;

interface Sweep {
  bounds: ReadonlyArray<[string, number]>;
  at: number;
  end: number;
}

export function createCoveredRows(db: Database.Database, rows: LogRows, delayMs = SWEEP_DELAY_MS): CoveredRows {
  const pending = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let current: Sweep | null = null;

  const deleteSlice = db.transaction((bounds: ReadonlyArray<[string, number]>, from: number, to: number) => {
    for (const [boardId, upToSeq] of bounds) if (from <= upToSeq) rows.deleteRange(boardId, from, Math.min(to, upToSeq));
  });

  /** Puts a sweep's bounds back in `pending` (a failed sweep is retried by the next one). */
  const keep = (bounds: ReadonlyArray<[string, number]>): void => {
    for (const [boardId, upToSeq] of bounds) if ((pending.get(boardId) ?? 0) < upToSeq) pending.set(boardId, upToSeq);
  };

  /** Takes what is pending into a new sweep over the seqs those rows span (null: nothing to delete, or the log could not be read). */
  const begin = (): Sweep | null => {
    const bounds = [...pending];
    pending.clear();
    let at = Infinity;
    try {
      for (const [boardId] of bounds) at = Math.min(at, rows.firstSeq(boardId) ?? Infinity);
    } catch {
      keep(bounds);
      return null;
    }
    const end = Math.max(...bounds.map(([, upToSeq]) => upToSeq));
    return at <= end ? { bounds, at, end } : null;
  };

  /** One slice of the sweep; false once it is done. A failure keeps what was left for the next sweep. */
  const step = (sweep: Sweep): boolean => {
    try {
      deleteSlice(sweep.bounds, sweep.at, sweep.at + SWEEP_SLICE_SEQS - 1);
    } catch {
      // The disk refused (full, I/O error): the rows are harmless where they are, and the next
      // compaction schedules another sweep.
      keep(sweep.bounds);
      return false;
    }
    sweep.at += SWEEP_SLICE_SEQS;
    return sweep.at <= sweep.end;
  };

  const run = (): void => {
    timer = null;
    current ??= begin();
    if (current && step(current)) {
      setImmediate(run);
      return;
    }
    current = null;
    if (pending.size > 0) timer = setTimeout(run, delayMs).unref();
  };

  return {
    add(boardId, upToSeq) {
      if ((pending.get(boardId) ?? 0) >= upToSeq) return;
      pending.set(boardId, upToSeq);
      // Unref'd: a process with nothing else to do may exit; close() sweeps what is left.
      if (timer === null && current === null) timer = setTimeout(run, delayMs).unref();
    },
    forget(boardId) {
      pending.delete(boardId);
    },
    sweepAll() {
      if (timer) clearTimeout(timer);
      timer = null;
      while (current && step(current));
      current = null;
      if (pending.size === 0) return;
      const sweep = begin();
      while (sweep && step(sweep));
    },
  };
}
