/**
 * REST contract of the server (see docs/api.md). Outside clients use these names exactly.
 */

/** POST /api/boards body (JSON). */
export interface CreateBoardRequest {
  title?: string;
}

/** POST /api/boards -> 201. */
export interface CreateBoardResponse {
  id: string;
  title: string;
  editToken: string;
  viewToken: string;
  /** Absolute URL of the board page with the edit token. */
  editUrl: string;
  /** Absolute URL of the board page with the view-only token. */
  viewUrl: string;
}

/** GET /api/boards/:id (view or edit token) -> 200. */
export interface BoardInfoResponse {
  id: string;
  title: string;
  createdAt: string;
  /** What the presented token allows. */
  role: BoardRole;
  /**
   * The board's view-only link token, given only to an edit token (whoever may edit may hand
   * out a read-only link; a view token never learns the edit token).
   */
  viewToken?: string;
}

export type BoardRole = 'edit' | 'view';

/** Every error response body. */
export interface ApiError {
  error: string;
}

/** Path of a board page in the client: `/b/<id>?token=<token>`. */
export function boardPagePath(id: string, token: string): string {
  return `/b/${encodeURIComponent(id)}?token=${encodeURIComponent(token)}`;
}

/**
 * DELETE /api/boards/:id must carry this header with the board's id: a delete is never one
 * stray request away (a replayed or mistyped call names no board).
 */
export const CONFIRM_DELETE_HEADER = 'X-Confirm-Delete';
