/**
 * The read model of comment threads (top-level Y.Map `comments`, see docs/schema.md). Produced
 * only by `readComments` (shared/doc/comments.ts) from the document, validated, never trusted
 * straight from a peer.
 */

/** Where a thread is pinned: on a task (follows the task everywhere it is shown) or on a free point of the canvas. */
export type CommentAnchor = { kind: 'task'; taskId: string } | { kind: 'point'; x: number; y: number };

/** Who wrote something: the display name and colour people pick when they join a board. */
export interface CommentAuthor {
  name: string;
  /** '#rrggbb' */
  color: string;
}

export interface CommentMessage {
  id: string;
  author: string;
  color: string;
  /** Plain text, at most MAX_COMMENT_TEXT_LENGTH characters. */
  text: string;
  /** ISO timestamp. */
  createdAt: string;
  /** Names of the people @mentioned in `text`, resolved when the message was written. */
  mentions: string[];
  /** ISO timestamp of the last edit; '' when never edited. */
  editedAt: string;
}

export interface CommentThread {
  id: string;
  anchor: CommentAnchor;
  resolved: boolean;
  /** Name of whoever resolved it last; '' when open. */
  resolvedBy: string;
  createdAt: string;
  createdBy: CommentAuthor;
  /** Oldest first; never empty (a thread without a readable message is skipped on read). */
  messages: CommentMessage[];
  /** True when the anchor is a task that no longer exists: the thread is kept and shown "on a deleted task". */
  taskDeleted: boolean;
}

export const MAX_THREADS_PER_BOARD = 5_000;
export const MAX_MESSAGES_PER_THREAD = 500;
export const MAX_COMMENT_TEXT_LENGTH = 4_000;
export const MAX_AUTHOR_NAME_LENGTH = 100;
export const MAX_MENTIONS_PER_MESSAGE = 50;
