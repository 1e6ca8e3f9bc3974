import type { ApiError } from '../../shared/protocol/api.ts';
import type { CommentAnchor, CommentAuthor, CommentThread } from '../../shared/comments/types.ts';

/**
 * The comments REST endpoints (docs/api.md, "Comments"), used by VIEWERS: the server drops a
 * viewer's WebSocket updates, so a viewer's comment goes over HTTP and comes back through
 * the document like anyone's edit. Errors are values with a message for people.
 */
export type CommentApiResult = { ok: true; thread: CommentThread } | { ok: false; error: string };

async function post(boardId: string, token: string, path: string, body: unknown): Promise<CommentApiResult> {
  let response: Response;
  try {
    response = await fetch(`/api/boards/${encodeURIComponent(boardId)}/comments${path}`, {
      method: 'POST',
      cache: 'no-store',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: "Can't reach the server; your comment was not sent. Try again when you are online." };
  }
  let parsed: unknown = null;
  try {
    parsed = await response.json();
  } catch {
    parsed = null;
  }
  if (response.ok && parsed && typeof parsed === 'object') return { ok: true, thread: parsed as CommentThread };
  const detail = parsed && typeof parsed === 'object' ? (parsed as Partial<ApiError>).error : undefined;
  return { ok: false, error: detail ? capitalise(detail) + '.' : `The server answered ${response.status}.` };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const commentsApi = {
  create: (boardId: string, token: string, anchor: CommentAnchor, text: string, author: CommentAuthor) =>
    post(boardId, token, '', { anchor, text, author }),
  reply: (boardId: string, token: string, threadId: string, text: string, author: CommentAuthor) =>
    post(boardId, token, `/${encodeURIComponent(threadId)}/replies`, { text, author }),
  // No resolve / reopen: those routes are for the edit link, and editors write through the document.
};
