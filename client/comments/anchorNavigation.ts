import type { CommentAnchor, CommentThread } from '../../shared/comments/types.ts';
import type { Task } from '../../shared/schema/entities.ts';
import type { BoardSession } from '../board/session.ts';
import { setBoardView, type BoardView } from '../app/boardView.ts';
import type { CommentsUiStore } from './commentsUi.ts';

/** "on task Design", "on a deleted task" or "on the canvas": where a thread is pinned, for people. */
export function anchorLabel(thread: CommentThread, tasks: ReadonlyMap<string, Task>): string {
  if (thread.anchor.kind === 'point') return 'on the canvas';
  if (thread.taskDeleted) return 'on a deleted task';
  return `on task ${tasks.get(thread.anchor.taskId)?.title || 'Untitled task'}`;
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

/** "just now", "5 min ago", "3 h ago", else the date: short, as comment lists show time. */
export function relativeTime(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const seconds = Math.round((now - t) / 1000);
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(t).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: seconds > 300 * 86_400 ? 'numeric' : undefined });
}
