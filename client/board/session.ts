import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { PresenceState } from '../../shared/protocol/presence.ts';

/** How the connection to the server is doing; always visible in the board header. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/**
 * Everything a board view needs, built by client/sync for one open board and handed to the
 * canvas (and later the timeline, board and dashboard views). The document is the shared
 * state; presence is awareness; view-local state (tool, viewport, selection) lives in the
 * canvas store, not here.
 */
export interface BoardSession {
  boardId: string;
  doc: Y.Doc;
  awareness: Awareness;
  /** Tracks only `localOrigin`: undo never touches a remote peer's edit. */
  undoManager: Y.UndoManager;
  /** Pass as the origin of every local transaction (the shared/doc ops take it). */
  localOrigin: object;
  /** True for a view-only link: every edit control is hidden or disabled. */
  readOnly: boolean;
  /** Publishes this user's presence; throttled to ~30 Hz, never stored in the document. */
  presence: PresencePublisher;
}

export interface PresencePublisher {
  setCursor(cursor: PresenceState['cursor']): void;
  setSelection(ids: readonly string[]): void;
  setViewport(viewport: PresenceState['viewport']): void;
  /** The view tab this user is on (followers switch to it). */
  setView(view: string): void;
}
