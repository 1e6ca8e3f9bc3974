import { boardPagePath, type BoardRole } from '../../shared/protocol/api.ts';
import type { ResetLinkResponse } from '../../shared/protocol/links.ts';
import { resetLink, type ApiResult } from '../sync/api.ts';
import { beginLinkReset } from '../sync/linkReset.ts';
import { recordBoard } from './recentBoards.ts';
import { navigate } from './router.ts';

/** The expiries offered for a shared view link (seconds; null = never). */
export const LINK_EXPIRY_CHOICES: ReadonlyArray<{ label: string; seconds: number | null }> = [
  { label: 'Never', seconds: null },
  { label: '1 day', seconds: 86_400 },
  { label: '7 days', seconds: 7 * 86_400 },
  { label: '30 days', seconds: 30 * 86_400 },
];

/**
 * Resets a board's edit or view link and makes this browser carry on with the new one: the
 * recent-boards entry gets the new token, the open session switches to it in place (no reload,
 * local edits kept; linkReset.ts), and the address bar too when it held the old link.
 *
 * @example const result = await resetBoardLink(boardId, editToken, 'edit', editToken)
 */
export async function resetBoardLink(boardId: string, editToken: string, role: BoardRole, oldToken: string | undefined): Promise<ApiResult<ResetLinkResponse>> {
  const reset = beginLinkReset(boardId);
  let result: ApiResult<ResetLinkResponse> | null = null;
  try {
    result = await resetLink(boardId, editToken, role);
    if (result.ok) {
      const token = result.value.token;
      recordBoard(localStorage, { id: boardId, ...(role === 'edit' ? { editToken: token } : { viewToken: token }), touch: false });
      reset.finish({ role, token });
      if (oldToken && new URLSearchParams(location.search).get('token') === oldToken) navigate(boardPagePath(boardId, token), { replace: true });
    }
    return result;
  } finally {
    reset.finish(null);
  }
}

/** "expires 12 Mar 2026, 14:05" in the reader's locale. */
export function formatExpiry(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
