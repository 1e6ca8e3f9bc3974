import { CloseCode } from '../../shared/protocol/wire.ts';
import type { LinkRefusalReason } from '../../shared/protocol/links.ts';

/**
 * Why the server stopped syncing this board for good, as the client tells the person: the link
 * was reset or has expired (close 4401, or a refused reconnect that GET /api/boards/:id explains
 * with a `reason`), or the board reached its size limit (close 4413). The local copy is kept in
 * every case; only syncing stops. Pure, so every case is tested.
 */
export type ServerNotice = 'link-revoked' | 'link-expired' | 'board-too-large';

/** The notice for a close the server sent, or null for any other close (deleted, transient, ...). */
export function noticeForClose(code: number, reason: string): ServerNotice | null {
  if (code === CloseCode.boardTooLarge) return 'board-too-large';
  // One close code for both: the server says which in the reason ('link expired' / 'this link was reset').
  if (code === CloseCode.linkRevoked) return /expired/i.test(reason) ? 'link-expired' : 'link-revoked';
  return null;
}

/** The notice for a REST refusal's `reason` (a reconnect was refused; the browser only saw a failed socket). */
export function noticeForRefusal(reason: LinkRefusalReason): ServerNotice {
  return reason === 'expired' ? 'link-expired' : 'link-revoked';
}

/** Headline and explanation of a notice, shown full width above the board. */
export function describeNotice(notice: ServerNotice): { title: string; detail: string } {
  switch (notice) {
    case 'link-revoked':
      return {
        title: 'This link was reset',
        detail:
          'Someone with the edit link made a new one, so this link no longer opens the board. Ask the person who shared it for the new link. What you see here stays in this browser but no longer updates, and changes made here are not saved.',
      };
    case 'link-expired':
      return {
        title: 'This link has expired',
        detail:
          'This link was shared for a limited time. Ask the person who shared it for a new one. What you see here stays in this browser but no longer updates, and changes made here are not saved.',
      };
    case 'board-too-large':
      return {
        title: 'This board has reached its size limit',
        detail:
          'Your latest changes were not saved on the server. They are kept in this browser; remove content or ask the server operator to raise the limit, then reload.',
      };
  }
}

/** The non-blocking banner while the server cannot reach its database (shared/protocol/serverStatus.ts). */
export const STORAGE_PAUSED_MESSAGE =
  'Saving paused: the server cannot reach its database. Your edits are kept and will be saved when it is back.';
