/**
 * Appends to one board, one write at a time, in the order they were asked for — and the ones
 * that queue up meanwhile go together in the next write (group commit).
 *
 * Why: a networked store runs statements on several connections at once, so two appends to a
 * board issued back to back could commit (and be numbered) in the opposite order. The room
 * relies on "appended first, numbered first" (its own rows' seqs increase in the order it
 * sent them), which the embedded SQLite store gives by being synchronous. Batching keeps the
 * cost of that order at one round trip per burst instead of one per update.
 *
 * A failed write rejects every append that was in it (all or none, as appendUpdates promises).
 */
export type WriteBatch = (boardId: string, updates: readonly Uint8Array[]) => Promise<number[]>;

interface Pending {
  updates: readonly Uint8Array[];
  resolve(seqs: number[]): void;
  reject(err: unknown): void;
}

/** Bounds of one combined write, so a burst never becomes one enormous statement. */
const MAX_BATCH_UPDATES = 1_000;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

export function createAppendQueue(write: WriteBatch): (boardId: string, updates: readonly Uint8Array[]) => Promise<number[]> {
  const queues = new Map<string, Pending[]>();

  const drain = async (boardId: string, queue: Pending[]): Promise<void> => {
    while (queue.length > 0) {
      const batch: Pending[] = [];
      let count = 0;
      let bytes = 0;
      while (queue.length > 0) {
        const next = queue[0]!;
        const size = next.updates.reduce((n, u) => n + u.byteLength, 0);
        if (batch.length > 0 && (count + next.updates.length > MAX_BATCH_UPDATES || bytes + size > MAX_BATCH_BYTES)) break;
        batch.push(queue.shift()!);
        count += next.updates.length;
        bytes += size;
      }
      try {
        const seqs = await write(boardId, batch.flatMap((p) => p.updates));
        let at = 0;
        for (const p of batch) {
          p.resolve(seqs.slice(at, at + p.updates.length));
          at += p.updates.length;
        }
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    queues.delete(boardId);
  };

  return (boardId, updates) =>
    new Promise<number[]>((resolve, reject) => {
      const existing = queues.get(boardId);
      if (existing) {
        existing.push({ updates, resolve, reject });
        return;
      }
      const queue: Pending[] = [{ updates, resolve, reject }];
      queues.set(boardId, queue);
      void drain(boardId, queue);
    });
}
