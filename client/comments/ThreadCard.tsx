import { useEffect, useRef, useState } from 'react';
import type { CommentThread } from '../../shared/comments/types.ts';
import { initials } from '../app/identity.ts';
import { MentionText } from './MentionText.tsx';
import { Composer } from './Composer.tsx';
import { relativeTime } from '../history/relativeTime.ts';
import type { CommentsEnv } from './commentsEnv.ts';

/** One thread: where it is, its messages, resolve or reopen, and a reply box. */
export function ThreadCard({ env, thread, anchorText, focused }: { env: CommentsEnv; thread: CommentThread; anchorText: string; focused: boolean }) {
  const ref = useRef<HTMLElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [focused]);

  const run = async (write: () => Promise<{ ok: true } | { ok: false; error: string }>) => {
    const result = await write();
    setError(result.ok ? null : result.error);
  };

  return (
    <article
      ref={ref}
      className={`comment-thread${thread.resolved ? ' is-resolved' : ''}${focused ? ' is-focused' : ''}`}
      data-thread-id={thread.id}
      aria-label={`Comment thread ${anchorText}`}
    >
      <header className="comment-thread-head">
        <button
          type="button"
          className="comment-anchor"
          disabled={thread.taskDeleted}
          title={thread.taskDeleted ? 'The task was deleted' : 'Show on the board'}
          onClick={() => env.goTo(thread.anchor)}
        >
          {anchorText}
        </button>
        {env.writer.canResolve &&
          (thread.resolved ? (
            <button type="button" className="button small" onClick={() => void run(() => env.writer.reopen(thread.id))}>
              Reopen
            </button>
          ) : (
            <button type="button" className="button small" onClick={() => void run(() => env.writer.resolve(thread.id, env.author))}>
              Resolve
            </button>
          ))}
      </header>
      {thread.resolved && <p className="comment-resolved-note">Resolved{thread.resolvedBy ? ` by ${thread.resolvedBy}` : ''}</p>}
      <ol className="comment-messages">
        {thread.messages.map((m) => (
          <li key={m.id} className="comment-message">
            <span className="comment-avatar" style={{ background: m.color }} aria-hidden="true">
              {initials(m.author)}
            </span>
            <div className="comment-body">
              <div className="comment-meta">
                <strong>{m.author}</strong>
                <time dateTime={m.createdAt} title={m.createdAt}>
                  {relativeTime(m.createdAt, Date.now())}
                  {m.editedAt ? ' (edited)' : ''}
                </time>
                {env.writer.canDelete && m.author === env.author.name && (
                  <button
                    type="button"
                    className="comment-delete"
                    aria-label="Delete this comment"
                    title="Delete"
                    onClick={() => void run(() => env.writer.deleteMessage(thread.id, m.id))}
                  >
                    ×
                  </button>
                )}
              </div>
              <MentionText text={m.text} mentions={m.mentions} self={env.author.name} />
            </div>
          </li>
        ))}
      </ol>
      {error && (
        <p className="field-hint error" role="alert">
          {error}
        </p>
      )}
      {env.writer.canComment && !thread.resolved && (
        <Composer
          names={env.names}
          placeholder="Reply… (@ to mention)"
          submitLabel="Reply"
          autoFocus={focused && env.focusComposer}
          onSubmit={async (text) => {
            const result = await env.writer.reply(thread.id, text, env.author, env.names());
            return result.ok ? null : result.error;
          }}
        />
      )}
    </article>
  );
}
