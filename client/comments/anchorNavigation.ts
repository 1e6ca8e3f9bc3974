import type { CommentAnchor, CommentThread } from '../../shared/comments/types.ts';
import type { BoardSession } from '../board/session.ts';
import { setBoardView, type BoardView } from '../app/boardView.ts';
import type { CommentsUiStore } from './commentsUi.ts';

/** "on task Design", "on a deleted task" or "on the canvas": where a thread is pinned, for people. */
export function anchorLabel(thread: CommentThread, titleOf: (taskId: string) => string | undefined): string {
  if (thread.anchor.kind === 'point') return 'on the canvas';
  if (thread.taskDeleted) return 'on a deleted task';
  return `on task ${titleOf(thread.anchor.taskId) || 'Untitled task'}`;
}

/**
 * Shows an anchor: a task is selected (and centred when the canvas is showing; the timeline
 * and board show it in their inspector); a point switches to the canvas and pans there.
 */
export function goToAnchor(anchor: CommentAnchor, view: BoardView, session: BoardSession, ui: CommentsUiStore): void {
  if (anchor.kind === 'task' && view !== 'canvas') {
    session.presence.setSelection([anchor.taskId]);
    return;
  }
  if (view !== 'canvas') setBoardView('canvas');
  ui.getState().requestReveal(anchor);
}
