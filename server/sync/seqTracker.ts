/**
 * Which rows of a board's log a room has applied: every seq up to `synced`, plus the seqs in
 * `ahead` (applied out of order: a fan-out message that overtook another, or this instance's
 * own append while another instance's row is still on its way).
 *
 * On a shared store seqs are gap-free per board (server/storage/types.ts), so a seq in
 * `ahead` means a row below it was missed: the room reads the log from `synced`. On a store
 * only this process writes (SQLite), seqs may skip numbers (one counter for every board), so
 * an applied seq simply moves `synced` forward.
 *
 * @example
 *   const t = new SeqTracker(10, true);
 *   t.applied(12); t.hasGap // true: 11 is missing
 *   t.applied(11); t.synced // 12
 */
export class SeqTracker {
  private readonly ahead = new Set<number>();

  constructor(
    private syncedSeq: number,
    private readonly gapFree: boolean,
  ) {}

  /** Every row with a seq up to this one is applied. */
  get synced(): number {
    return this.syncedSeq;
  }

  /** Rows above `synced` were applied but one below them was not (only on a gap-free log). */
  get hasGap(): boolean {
    return this.ahead.size > 0;
  }

  /** The newest seq applied, in order or not. */
  get newest(): number {
    let max = this.syncedSeq;
    for (const seq of this.ahead) if (seq > max) max = seq;
    return max;
  }

  /** True when this row is already in the document (so it need not be applied again). */
  has(seq: number): boolean {
    return seq <= this.syncedSeq || this.ahead.has(seq);
  }

  /** Records that the row `seq` is in the document. */
  applied(seq: number): void {
    if (seq <= this.syncedSeq) return;
    if (!this.gapFree) {
      this.syncedSeq = seq;
      return;
    }
    this.ahead.add(seq);
    while (this.ahead.delete(this.syncedSeq + 1)) this.syncedSeq++;
  }

  /** Records that every row up to `seq` is in the document (read from the log). */
  caughtUpTo(seq: number): void {
    if (seq > this.syncedSeq) this.syncedSeq = seq;
    for (const s of this.ahead) if (s <= this.syncedSeq) this.ahead.delete(s);
    while (this.ahead.delete(this.syncedSeq + 1)) this.syncedSeq++;
  }

  /** True when the log's newest seq is `head` and some row up to it is not applied yet. */
  isBehind(head: number): boolean {
    if (head <= this.syncedSeq) return false;
    if (!this.gapFree) return true;
    // More missing seqs than rows held ahead: behind, without walking the range.
    if (head - this.syncedSeq > this.ahead.size) return true;
    for (let s = this.syncedSeq + 1; s <= head; s++) if (!this.ahead.has(s)) return true;
    return false;
  }
}
