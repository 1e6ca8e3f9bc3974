/**
 * Resolves once this event-loop turn's I/O has been handled, and at the same moment for every
 * caller in the turn: one setImmediate for all of them, not one each.
 *
 * Why: every room waits for the end of the turn before storing its inbox (so that a batch holds
 * all the edits the turn delivered). With one shared wake-up the rooms' drains run back to back
 * in one microtask run and reach the store together, which lets the embedded store commit all of
 * their appends in one transaction (server/storage/sqliteGroupCommit.ts). With a wake-up each,
 * every room would commit alone.
 */
let turnEnd: Promise<void> | null = null;

export function endOfTurn(): Promise<void> {
  turnEnd ??= new Promise<void>((resolve) =>
    setImmediate(() => {
      turnEnd = null;
      resolve();
    }),
  );
  return turnEnd;
}
