import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { commentsMap } from '../../shared/doc/comments.ts';
import type { BoardSession } from '../board/session.ts';
import { identityStore } from '../app/identityStore.ts';
import { commentsModelFor } from './commentsModel.ts';
import { commentsUiFor } from './commentsUi.ts';
import { takeNewMentions, type MentionNotice } from './mentionNotices.ts';

/** How long a mention toast stays (it also goes when its thread is opened or it is dismissed). */
const NOTICE_MS = 12_000;
/** At most this many toasts at once; older ones make room. */
const MAX_NOTICES = 3;

/**
 * Whether a change reached this tab live from the server, after the board loaded. The sync
 * provider is the origin of every update it applies, and it is `synced` only once the
 * initial state (sync step 2) is in: so the messages a board already held when it opened,
 * or that piled up while this tab was offline, never make a toast, and neither does the
 * browser cache (IndexedDB) nor this user's own edits.
 */
function isLiveFromPeer(origin: unknown): boolean {
  return origin instanceof WebsocketProvider && origin.synced;
}

/**
 * "Ed mentioned you: “Can you own this?”  Show" — a toast when a message that @mentions this
 * user arrives from someone else. "Show" opens the thread in the Comments panel. Mounted once
 * per open board.
 */
export function MentionToasts({ session }: { session: BoardSession }) {
  const ui = commentsUiFor(session.doc);
  const self = useStore(identityStore, (s) => s.name);
  const [notices, setNotices] = useState<MentionNotice[]>([]);
  const seen = useRef<Set<string> | null>(null);
  const selfRef = useRef(self);
  selfRef.current = self;

  useEffect(() => {
    const doc = session.doc;
    const model = commentsModelFor(doc);
    // Retained before observing, for as long as this is mounted: the model's own observer is
    // registered first and stays, so it has dropped its stale snapshot by the time ours runs.
    const release = model.retain();
    // Everything there now counts as seen (loaded, or in the cache).
    seen.current = new Set();
    takeNewMentions(model.getSnapshot().threads, seen.current, selfRef.current, false);
    // Observed only to learn where a change came from; the threads come from the shared model.
    const onChange = (_events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction) => {
      if (!seen.current) return;
      const fresh = takeNewMentions(model.getSnapshot().threads, seen.current, selfRef.current, isLiveFromPeer(transaction.origin));
      if (fresh.length > 0) setNotices((current) => [...current, ...fresh].slice(-MAX_NOTICES));
    };
    const map = commentsMap(doc);
    map.observeDeep(onChange);
    return () => {
      map.unobserveDeep(onChange);
      release();
    };
  }, [session.doc]);

  // Opening the Comments panel shows the newest activity first: the toasts have done their job.
  useEffect(
    () =>
      ui.subscribe((state, previous) => {
        if (state.panelOpen && !previous.panelOpen) setNotices([]);
      }),
    [ui],
  );

  // Each toast goes by itself after a while.
  useEffect(() => {
    if (notices.length === 0) return;
    const oldest = notices[0]!;
    const timer = setTimeout(() => setNotices((current) => current.filter((n) => n.messageId !== oldest.messageId)), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notices]);

  if (notices.length === 0) return null;
  const dismiss = (id: string) => setNotices((current) => current.filter((n) => n.messageId !== id));
  return (
    <div className="mention-toasts">
      {notices.map((n) => (
        <div key={n.messageId} className="mention-toast" role="status" data-testid="mention-toast">
          <span className="mention-toast-avatar" style={{ background: n.color }} aria-hidden="true" />
          <span className="mention-toast-text">
            <strong>{n.author}</strong> mentioned you: “{n.excerpt}”
          </span>
          <button
            type="button"
            className="mention-toast-show"
            data-testid="mention-toast-show"
            onClick={() => {
              ui.getState().openPanel(n.threadId);
              dismiss(n.messageId);
            }}
          >
            Show
          </button>
          <button type="button" className="mention-toast-close" aria-label="Dismiss" onClick={() => dismiss(n.messageId)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
