import { useStore } from 'zustand';
import type { BoardSession } from '../board/session.ts';
import { useComments } from './commentsModel.ts';
import { commentsUiFor } from './commentsUi.ts';

/** Toggles the Comments side sheet; shows how many threads are open. */
export function CommentsButton({ session }: { session: BoardSession }) {
  const ui = commentsUiFor(session.doc);
  const open = useStore(ui, (s) => s.panelOpen);
  const { openTotal } = useComments(session.doc);
  return (
    <button
      type="button"
      className={`button small comments-button${open ? ' is-active' : ''}`}
      aria-pressed={open}
      aria-label={`Comments (${openTotal} open)`}
      data-testid="comments-button"
      onClick={() => ui.getState().togglePanel()}
    >
      <BubbleIcon />
      Comments
      {openTotal > 0 && <span className="comments-count">{openTotal}</span>}
    </button>
  );
}

export function BubbleIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z" />
    </svg>
  );
}
