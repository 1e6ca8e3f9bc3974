import { createStore, type StoreApi } from 'zustand/vanilla';
import { currentPresenter, readPresence, type PresenceState, type PresenceUser } from '../../shared/protocol/presence.ts';
import type { BoardSession } from '../board/session.ts';
import { BOARD_VIEWS, parseBoardView, setBoardView, type BoardView } from '../app/boardView.ts';
import type { CanvasStore } from '../canvas/store.ts';
import type { Size } from '../canvas/viewport.ts';
import { followViewport, sameViewport } from './followMath.ts';

/**
 * What the follow UI shows. Changes only when someone starts or stops following or
 * presenting (or is renamed), never per frame: the per-frame part (the followed viewport)
 * goes straight into the canvas store.
 */
export interface FollowState {
  /** The client id this user follows, or null. */
  target: number | null;
  /** Why: clicked in the presence list, or someone presents. */
  reason: 'manual' | 'presenter' | null;
  /** Name and colour of the followed person. */
  targetUser: PresenceUser | null;
  /** Someone else who presents right now (followed or not), or null. */
  presenter: number | null;
  presenterUser: PresenceUser | null;
  /** True while this user presents. */
  presentingSelf: boolean;
  /** How many people follow this user (shown to a presenter). */
  audience: number;
}

const IDLE: FollowState = {
  target: null,
  reason: null,
  targetUser: null,
  presenter: null,
  presenterUser: null,
  presentingSelf: false,
  audience: 0,
};

interface AttachedCanvas {
  store: CanvasStore;
  size(): Size;
}

/** A mounted timeline: scrolls to a followed position (see PresenceState['timeline']). */
export type TimelineScroller = (position: { day: number; row: number }) => void;

/**
 * Follow mode and presenting for one open board. Reads every peer's awareness (validated),
 * moves this user's canvas viewport and view tab after the followed person, and stops when
 * the user pans, zooms, switches tab or presses Esc themselves: changes this controller
 * makes are told apart from the user's by a flag held while it applies them.
 *
 * Presenting: the presenter publishes `presenting: {since}`; every other client follows
 * the current presenter (`currentPresenter`: latest start wins) unless its user stepped out
 * of that presentation, and stops when the presentation ends or the presenter leaves.
 */
export class FollowController {
  readonly state: StoreApi<FollowState> = createStore<FollowState>()(() => IDLE);
  private peers = new Map<number, PresenceState>();
  private canvas: AttachedCanvas | null = null;
  private timeline: TimelineScroller | null = null;
  private lastTimeline: { day: number; row: number } | null = null;
  private applying = false;
  /** The presentation (`${clientId}:${since}`) this user stepped out of; not followed again by itself. */
  private declined: string | null = null;
  private destroyed = false;

  constructor(private readonly session: BoardSession) {
    session.awareness.on('change', this.sync);
    window.addEventListener('hashchange', this.onViewChange);
    document.addEventListener('keydown', this.onKeyDown, true);
    this.sync();
  }

  destroy(): void {
    this.destroyed = true;
    this.session.awareness.off('change', this.sync);
    window.removeEventListener('hashchange', this.onViewChange);
    document.removeEventListener('keydown', this.onKeyDown, true);
    this.canvas = null;
  }

  /** Follow a person (the presence list): their viewport and view tab, until the user moves. */
  follow(clientId: number): void {
    if (clientId === this.selfId || !this.peers.has(clientId)) return;
    const presenter = this.presenterKey();
    // Choosing someone other than the presenter means stepping out of the presentation.
    if (presenter && !presenter.startsWith(`${clientId}:`)) this.declined = presenter;
    if (this.state.getState().presentingSelf) this.stopPresenting();
    this.setTarget(clientId, 'manual');
  }

  /** Stop following (the banner's button, Esc, or the user's own pan, zoom or tab switch). */
  stop(): void {
    const { target, reason } = this.state.getState();
    if (target === null) return;
    if (reason === 'presenter') this.declined = this.presenterKey();
    this.setTarget(null, null);
  }

  /** "Follow again": rejoin the current presentation after stepping out of it. */
  followPresenter(): void {
    this.declined = null;
    this.sync();
  }

  startPresenting(): void {
    if (this.session.readOnly) return;
    this.setTarget(null, null);
    // Later than any presentation already running, whatever the clocks say: the one who
    // pressed Present last takes over (clients' clocks may disagree by minutes).
    let since = Date.now();
    for (const p of this.peers.values()) if (p.presenting && p.presenting.since >= since) since = p.presenting.since + 1;
    this.session.presence.setPresenting({ since });
  }

  stopPresenting(): void {
    this.session.presence.setPresenting(null);
  }

  /**
   * The canvas registers its store while it is mounted, so the followed viewport can be
   * applied to it; the user's own viewport changes stop following. Returns the detach.
   */
  attachCanvas(store: CanvasStore, size: () => Size): () => void {
    const attached: AttachedCanvas = { store, size };
    this.canvas = attached;
    const unsubscribe = store.subscribe((next, prev) => {
      if (next.viewport !== prev.viewport && !this.applying) this.stop();
    });
    this.applyViewport();
    return () => {
      unsubscribe();
      if (this.canvas === attached) this.canvas = null;
    };
  }

  /**
   * The timeline registers how to scroll itself while it is mounted; it calls `stop` itself
   * when the user scrolls it (wheel), since its scroll events cannot tell who scrolled.
   */
  attachTimeline(scrollTo: TimelineScroller): () => void {
    this.timeline = scrollTo;
    this.lastTimeline = null;
    this.applyTimeline();
    return () => {
      if (this.timeline === scrollTo) this.timeline = null;
    };
  }

  private get selfId(): number {
    return this.session.awareness.clientID;
  }

  private presenterKey(): string | null {
    const id = this.state.getState().presenter;
    const since = id === null ? undefined : this.peers.get(id)?.presenting?.since;
    return id === null || since === undefined ? null : `${id}:${since}`;
  }

  private readonly sync = (): void => {
    if (this.destroyed) return;
    const peers = new Map<number, PresenceState>();
    this.session.awareness.getStates().forEach((raw, clientId) => {
      const p = readPresence(raw);
      if (p) peers.set(clientId, p);
    });
    this.peers = peers;
    const self = this.selfId;
    const presenterId = currentPresenter(peers);
    const selfPresenting = peers.get(self)?.presenting != null;
    // Someone started presenting after us: the latest presenter wins, we stand down.
    if (selfPresenting && presenterId !== self) this.stopPresenting();
    const other = presenterId !== null && presenterId !== self ? presenterId : null;

    let { target, reason } = this.state.getState();
    if (target !== null && !peers.has(target)) {
      target = null; // they left
      reason = null;
    }
    if (reason === 'presenter' && target !== other) {
      target = null; // the presentation ended (or another one replaced it, picked up below)
      reason = null;
    }
    // A presentation takes over whatever this user followed, unless they stepped out of it.
    if (other !== null && target !== other) {
      const key = `${other}:${peers.get(other)!.presenting!.since}`;
      if (this.declined !== key) {
        target = other;
        reason = 'presenter';
      }
    }
    if (other === null) this.declined = null;

    let audience = 0;
    for (const [id, p] of peers) if (id !== self && p.following === self) audience++;
    this.publishState({
      target,
      reason,
      targetUser: target === null ? null : peers.get(target)!.user,
      presenter: other,
      presenterUser: other === null ? null : peers.get(other)!.user,
      presentingSelf: selfPresenting && presenterId === self,
      audience,
    });
    this.applyView();
    this.applyViewport();
    this.applyTimeline();
  };

  private setTarget(target: number | null, reason: FollowState['reason']): void {
    const current = this.state.getState();
    if (current.target === target && current.reason === reason) return;
    this.lastTimeline = null;
    this.publishState({ ...current, target, reason, targetUser: target === null ? null : (this.peers.get(target)?.user ?? null) });
    this.applyView();
    this.applyViewport();
    this.applyTimeline();
  }

  /** Sets the UI state only when something in it changed, and tells peers whom we follow. */
  private publishState(next: FollowState): void {
    const cur = this.state.getState();
    const same =
      cur.target === next.target &&
      cur.reason === next.reason &&
      cur.presenter === next.presenter &&
      cur.presentingSelf === next.presentingSelf &&
      cur.audience === next.audience &&
      sameUser(cur.targetUser, next.targetUser) &&
      sameUser(cur.presenterUser, next.presenterUser);
    if (!same) this.state.setState(next, true);
    this.session.presence.setFollowing(next.target);
  }

  private applyView(): void {
    const { target } = this.state.getState();
    const view = target === null ? undefined : this.peers.get(target)?.view;
    if (!view || !BOARD_VIEWS.some((v) => v.key === view)) return;
    if (parseBoardView(window.location.hash) === view) return;
    this.applying = true;
    try {
      setBoardView(view as BoardView);
    } finally {
      this.applying = false;
    }
  }

  private applyViewport(): void {
    const { target } = this.state.getState();
    const area = target === null ? null : this.peers.get(target)?.viewport;
    if (!area || !this.canvas) return;
    const next = followViewport(area, this.canvas.size());
    const { viewport, setViewport } = this.canvas.store.getState();
    if (!next || sameViewport(next, viewport)) return;
    this.applying = true;
    try {
      setViewport(next);
    } finally {
      this.applying = false;
    }
  }

  private applyTimeline(): void {
    const { target } = this.state.getState();
    const position = target === null ? null : this.peers.get(target)?.timeline;
    if (!position || !this.timeline) return;
    const last = this.lastTimeline;
    if (last && last.day === position.day && last.row === position.row) return;
    this.lastTimeline = position;
    this.timeline(position);
  }

  /** A tab switch the user made (not one we applied) stops following. */
  private readonly onViewChange = (): void => {
    if (this.applying) return;
    const { target } = this.state.getState();
    if (target === null) return;
    if (parseBoardView(window.location.hash) !== this.peers.get(target)?.view) this.stop();
  };

  private readonly onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && this.state.getState().target !== null) this.stop();
  };
}

function sameUser(a: PresenceUser | null, b: PresenceUser | null): boolean {
  return a === b || (!!a && !!b && a.name === b.name && a.color === b.color && a.role === b.role);
}

const controllers = new WeakMap<BoardSession, FollowController>();

/** Creates the board's follow controller (the board page does, next to the session). */
export function createFollow(session: BoardSession): FollowController {
  const controller = new FollowController(session);
  controllers.set(session, controller);
  return controller;
}

/** The open board's follow controller, or null before it exists or after it is destroyed. */
export function followFor(session: BoardSession): FollowController | null {
  return controllers.get(session) ?? null;
}

export function destroyFollow(session: BoardSession): void {
  controllers.get(session)?.destroy();
  controllers.delete(session);
}
