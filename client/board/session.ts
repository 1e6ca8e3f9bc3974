import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { PresenceState } from '../../shared/protocol/presence.ts';

/** How the connection to the server is doing; always visible in the board header. */
/** 'closed': the server ended the connection for good (board deleted, access revoked); no more reconnects. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

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
  /** Start ({since: Date.now()}) or stop (null) presenting: everyone else follows this user. */
  setPresenting(presenting: PresenceState['presenting']): void;
  /** The client id this user follows, or null. */
  setFollowing(clientId: number | null): void;
  /** This user's laser trail (canvas coordinates, the last ~1 s), or null when idle. */
  setLaser(laser: PresenceState['laser']): void;
  /** Where this user's timeline is scrolled (followers scroll theirs there), or null. */
  setTimeline(position: PresenceState['timeline']): void;
  /** What this client publishes (as last set; the send itself may still be throttled). */
  getLocal(): Readonly<PresenceState>;
}
