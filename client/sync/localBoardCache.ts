import { removeRecentBoard } from '../app/recentBoards.ts';

/** The IndexedDB database y-indexeddb keeps a board's offline copy in. */
export function boardCacheName(boardId: string): string {
  return `planvas-board-${boardId}`;
}

/**
 * Forgets a deleted board in this browser: its entry in the recent boards and its offline
 * copy, so nothing is left to open or to push back to the server. Deleting the database waits
 * for an open session's connection to close (y-indexeddb closes it on destroy).
 */
export function forgetBoardLocally(boardId: string): Promise<void> {
  removeRecentBoard(localStorage, boardId);
  return new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve();
    const request = indexedDB.deleteDatabase(boardCacheName(boardId));
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    // Blocked: a session still has it open; the delete completes when that closes. Not worth waiting for.
    request.onblocked = () => resolve();
  });
}
