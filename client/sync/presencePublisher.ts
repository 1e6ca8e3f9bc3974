import type { Awareness } from 'y-protocols/awareness';
import type { PresenceState, PresenceUser } from '../../shared/protocol/presence.ts';
import type { PresencePublisher } from '../board/session.ts';
import { createThrottle, type Timers } from './throttle.ts';

/** ~30 Hz: smooth cursors for peers without flooding the socket. */
export const PRESENCE_INTERVAL_MS = 33;

export interface LocalPresencePublisher extends PresencePublisher {
  /** Name, colour or role changed: published at once. */
  setUser(user: PresenceUser): void;
  /** The selection last given to setSelection (what this user has selected on the canvas). */
  getSelection(): readonly string[];
  /** Called (unthrottled) whenever setSelection changes the selection. */
  subscribeSelection(listener: () => void): () => void;
  /** Stops publishing and withdraws this client's presence. */
  destroy(): void;
}

/**
 * Publishes this user's presence as the awareness local state (never the document). Calls
 * are coalesced and sent at most every PRESENCE_INTERVAL_MS with a trailing flush, so the
 * last cursor position always arrives.
 */
export function createPresencePublisher(
  awareness: Awareness,
  user: PresenceUser,
  timers?: Timers,
): LocalPresencePublisher {
  const state: PresenceState = {
    user,
    cursor: null,
    selection: [],
    viewport: null,
    view: 'canvas',
    presenting: null,
    following: null,
    laser: null,
    timeline: null,
  };
  let destroyed = false;
  const selectionListeners = new Set<() => void>();
  const publish = () => {
    if (!destroyed) awareness.setLocalState({ ...state });
  };
  const throttle = createThrottle(publish, PRESENCE_INTERVAL_MS, timers);
  publish();

  return {
    setCursor(cursor) {
      state.cursor = cursor ? { x: cursor.x, y: cursor.y } : null;
      throttle.schedule();
    },
    setSelection(ids) {
      const next = [...ids];
      if (next.length === state.selection.length && next.every((id, i) => id === state.selection[i])) return;
      state.selection = next;
      throttle.schedule();
      for (const listener of selectionListeners) listener();
    },
    getSelection() {
      return state.selection;
    },
    subscribeSelection(listener) {
      selectionListeners.add(listener);
      return () => selectionListeners.delete(listener);
    },
    setViewport(viewport) {
      state.viewport = viewport ? { ...viewport } : null;
      throttle.schedule();
    },
    setView(view) {
      if (state.view === view) return;
      state.view = view;
      throttle.schedule();
    },
    setPresenting(presenting) {
      state.presenting = presenting ? { since: presenting.since } : null;
      // Starting or stopping a presentation is a rare, important event: send it at once.
      throttle.cancel();
      publish();
    },
    setFollowing(clientId) {
      if (state.following === clientId) return;
      state.following = clientId;
      throttle.schedule();
    },
    setLaser(laser) {
      if (!laser && !state.laser) return;
      state.laser = laser ? { points: laser.points.map((p) => ({ ...p })) } : null;
      throttle.schedule();
    },
    setTimeline(position) {
      const same = position && state.timeline ? position.day === state.timeline.day && position.row === state.timeline.row : position === state.timeline;
      if (same) return;
      state.timeline = position ? { day: position.day, row: position.row } : null;
      throttle.schedule();
    },
    getLocal() {
      return state;
    },
    setUser(next) {
      state.user = { ...next };
      throttle.cancel();
      publish();
    },
    destroy() {
      throttle.cancel();
      destroyed = true;
      selectionListeners.clear();
      awareness.setLocalState(null);
    },
  };
}
