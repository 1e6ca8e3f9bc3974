import { CONFIRM_DELETE_HEADER } from '../../shared/protocol/api.ts';

export type DeleteResult = { ok: true } | { ok: false; message: string };

/** DELETE /api/boards/:id with the edit token and the confirmation header; errors are messages for people. */
export async function requestBoardDelete(boardId: string, editToken: string): Promise<DeleteResult> {
  let res: Response;
  try {
    res = await fetch(`/api/boards/${encodeURIComponent(boardId)}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${editToken}`, [CONFIRM_DELETE_HEADER]: boardId },
      cache: 'no-store',
    });
  } catch {
    return { ok: false, message: "Can't reach the Planvas server; the board was not deleted. Try again when you are online." };
  }
  if (res.status === 204) return { ok: true };
  if (res.status === 404) return { ok: true }; // already gone (someone else deleted it): same outcome
  if (res.status === 403) return { ok: false, message: 'Only the edit link can delete this board.' };
  let detail = '';
  try {
    detail = ((await res.json()) as { error?: string }).error ?? '';
  } catch {
    detail = '';
  }
  return { ok: false, message: `The board was not deleted: the server answered ${res.status}${detail ? ` (${detail})` : ''}.` };
}
