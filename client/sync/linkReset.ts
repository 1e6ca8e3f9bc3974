import type { BoardRole } from '../../shared/protocol/api.ts';

/**
 * Tells this tab's open board session that its own user is resetting a link, so the session
 * does not mistake the server closing its socket (4401, which a reset sends to every connection
 * of the old link, the resetter's own included) for "your link was taken away". The session
 * waits instead, and once the new token is known it switches to it and reconnects in place:
 * no reload, local edits and undo history kept.
 *
 * @example
 *   const reset = beginLinkReset(boardId);
 *   const result = await resetLink(boardId, editToken, 'edit');
 *   reset.finish(result.ok ? { role: 'edit', token: result.value.token } : null);
 */
export interface LinkResetWatcher {
  /** The link of `role` now has this token (sessions on that role switch to it). */
  replaced(role: BoardRole, token: string): void;
  /** No reset of this board is under way any more (a held session that got no new token gives up). */
  settled(): void;
}

const pending = new Map<string, number>();
const watchers = new Map<string, Set<LinkResetWatcher>>();

/** Whether this tab is resetting a link of the board right now. */
export function linkResetPending(boardId: string): boolean {
  return (pending.get(boardId) ?? 0) > 0;
}

/** Registers a session of the board; returns the unsubscribe function. */
export function watchLinkResets(boardId: string, watcher: LinkResetWatcher): () => void {
  let set = watchers.get(boardId);
  if (!set) watchers.set(boardId, (set = new Set()));
  set.add(watcher);
  return () => {
    set.delete(watcher);
    if (set.size === 0 && watchers.get(boardId) === set) watchers.delete(boardId);
  };
}

/** Marks a reset as under way until `finish` (with the new link, or null when it failed). */
export function beginLinkReset(boardId: string): { finish(result: { role: BoardRole; token: string } | null): void } {
  pending.set(boardId, (pending.get(boardId) ?? 0) + 1);
  let finished = false;
  return {
    finish(result) {
      if (finished) return;
      finished = true;
      const left = (pending.get(boardId) ?? 1) - 1;
      if (left > 0) pending.set(boardId, left);
      else pending.delete(boardId);
      const current = [...(watchers.get(boardId) ?? [])];
      if (result) for (const w of current) w.replaced(result.role, result.token);
      for (const w of current) w.settled();
    },
  };
}
