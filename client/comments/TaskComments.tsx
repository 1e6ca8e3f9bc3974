import type { BoardSession } from '../board/session.ts';
import { Composer } from './Composer.tsx';
import { useCommentsEnv } from './commentsEnv.ts';
import { VIEWERS_CANNOT_COMMENT } from './CommentsPanel.tsx';

/**
 * The "Comments (n)" section of the task inspector: the number of open threads on the task,
 * a link to each in the Comments panel, and a box to start a new thread on it.
 */
export function TaskComments({ session, taskId }: { session: BoardSession; taskId: string }) {
  const env = useCommentsEnv(session);
  const threads = env.comments.threads.filter((t) => t.anchor.kind === 'task' && t.anchor.taskId === taskId);
  const open = threads.filter((t) => !t.resolved);
  return (
    <section className="task-comments" aria-label="Task comments">
      <h3 className="inspector-subheading">Comments ({open.length})</h3>
      {threads.length > 0 && (
        <ul className="task-comments-list">
          {threads.map((t) => (
            <li key={t.id}>
              <button type="button" className="task-comments-link" onClick={() => env.ui.getState().openPanel(t.id)}>
                <strong>{t.messages[0]!.author}:</strong> {t.messages[0]!.text.slice(0, 80)}
                <span className="muted">
                  {' '}
                  · {t.messages.length} message{t.messages.length === 1 ? '' : 's'}
                  {t.resolved ? ' · resolved' : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {env.writer.canComment ? (
        <Composer
          names={env.names}
          placeholder="Comment on this task… (@ to mention)"
          submitLabel="Comment"
          onSubmit={async (text) => {
            const result = await env.writer.create({ kind: 'task', taskId }, text, env.author, env.names());
            if (!result.ok) return result.error;
            env.ui.getState().openPanel(result.threadId);
            return null;
          }}
        />
      ) : (
        <p className="comments-readonly-note">{VIEWERS_CANNOT_COMMENT}</p>
      )}
      {threads.length === 0 && <p className="muted task-comments-hint">No comments on this task yet.</p>}
    </section>
  );
}

