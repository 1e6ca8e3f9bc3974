import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { CommentThread } from '../../shared/comments/types.ts';
import { commentsMap } from '../../shared/doc/comments.ts';
import type { BoardSession } from '../board/session.ts';
import { anchorLabel } from './anchorNavigation.ts';
import { Composer } from './Composer.tsx';
import { useCommentsEnv, type CommentsEnv } from './commentsEnv.ts';
import { commentsUiFor } from './commentsUi.ts';
import { ThreadCard } from './ThreadCard.tsx';
import { MentionToasts } from './MentionToasts.tsx';
import { useTaskTitles } from './useTaskTitles.ts';

export const VIEWERS_CANNOT_COMMENT = 'Only editors can comment on this board';

/**
 * The Comments side sheet: a new-thread box when a pin or a task is waiting for its first
 * comment, then open threads (newest activity first), then resolved ones (collapsed).
 * Mounted once per open board; hidden until opened. Also carries the "… mentioned you" toasts.
 */
export function CommentsPanel({ session, token }: { session: BoardSession; token: string }) {
  const ui = commentsUiFor(session.doc);
  useEffect(() => ui.getState().setToken(token), [ui, token]);
  // An editor's comment actions are undoable like any edit (Ctrl+Z outside a text box).
  useEffect(() => {
    if (!session.readOnly) session.undoManager.addToScope(commentsMap(session.doc));
  }, [session]);
  const open = useStore(ui, (s) => s.panelOpen);
  return (
    <>
      {open && <OpenPanel session={session} />}
      {/* Mounted with the board, not the panel: a mention must be noticed while the panel is closed. */}
      <MentionToasts session={session} />
    </>
  );
}

function lastActivity(thread: CommentThread): string {
  return thread.messages[thread.messages.length - 1]?.createdAt ?? thread.createdAt;
}

function OpenPanel({ session }: { session: BoardSession }) {
  const env = useCommentsEnv(session);
  const focused = useStore(env.ui, (s) => s.focusedThreadId);
  const draft = useStore(env.ui, (s) => s.draft);
  const [showResolved, setShowResolved] = useState(false);
  const byActivity = (a: CommentThread, b: CommentThread) => (lastActivity(a) < lastActivity(b) ? 1 : -1);
  const openThreads = env.comments.threads.filter((t) => !t.resolved).sort(byActivity);
  const resolved = env.comments.threads.filter((t) => t.resolved).sort(byActivity);
  // A focused resolved thread must be visible.
  const focusedResolved = focused !== null && resolved.some((t) => t.id === focused);
  const resolvedOpen = showResolved || focusedResolved;
  // Only the titles shown here: moving a task (a drag, local or remote) does not re-render the panel.
  const titledIds = [...new Set([...env.comments.threads.flatMap((t) => (t.anchor.kind === 'task' ? [t.anchor.taskId] : [])), ...(draft?.kind === 'task' ? [draft.taskId] : [])])];
  const titleOf = useTaskTitles(session.doc, titledIds);

  return (
    <aside className="comments-panel" aria-label="Comments">
      <header className="comments-panel-head">
        <h2>Comments</h2>
        <span className="muted">{openThreads.length} open</span>
        <button type="button" className="icon-button" aria-label="Close comments" onClick={() => env.ui.getState().closePanel()}>
          ×
        </button>
      </header>
      <div className="comments-panel-body">
        {!env.writer.canComment && <p className="comments-readonly-note">{VIEWERS_CANNOT_COMMENT}</p>}
        {draft && env.writer.canComment && <NewThread env={env} anchorText={draft.kind === 'point' ? 'New comment on the canvas' : `New comment on task ${titleOf(draft.taskId) || 'Untitled task'}`} />}
        {openThreads.length === 0 && !draft && (
          <p className="muted comments-empty">
            No open comments.{env.writer.canComment ? ' Press C and click the canvas, or open a task, to start a thread.' : ''}
          </p>
        )}
        {openThreads.map((t) => (
          <ThreadCard key={t.id} env={env} thread={t} anchorText={anchorLabel(t, titleOf)} focused={t.id === focused} />
        ))}
        {resolved.length > 0 && (
          <section className="comments-resolved">
            <button type="button" className="comments-resolved-toggle" aria-expanded={resolvedOpen} onClick={() => setShowResolved(!resolvedOpen)}>
              {resolvedOpen ? '▾' : '▸'} Resolved ({resolved.length})
            </button>
            {resolvedOpen &&
              resolved.map((t) => <ThreadCard key={t.id} env={env} thread={t} anchorText={anchorLabel(t, titleOf)} focused={t.id === focused} />)}
          </section>
        )}
      </div>
    </aside>
  );
}

function NewThread({ env, anchorText }: { env: CommentsEnv; anchorText: string }) {
  const draft = useStore(env.ui, (s) => s.draft);
  if (!draft) return null;
  return (
    <section className="comment-thread is-draft" aria-label={anchorText}>
      <header className="comment-thread-head">
        <span className="comment-anchor">{anchorText}</span>
      </header>
      <Composer
        key={JSON.stringify(draft)}
        names={env.names}
        placeholder="Write a comment… (@ to mention)"
        submitLabel="Comment"
        autoFocus
        onCancel={() => env.ui.getState().cancelDraft()}
        onSubmit={async (text) => {
          const result = await env.writer.create(draft, text, env.author, env.names());
          if (!result.ok) return result.error;
          env.ui.setState({ draft: null, focusedThreadId: result.threadId });
          return null;
        }}
      />
    </section>
  );
}
