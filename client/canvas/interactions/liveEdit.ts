import type * as Y from 'yjs';

/**
 * A gesture that peers watch while it happens (a drag, a resize). The latest state is
 * written to the document at most once per animation frame and about 30 times a second, so
 * a peer sees motion rather than a jump at the end, and a burst of pointer events costs one
 * small update. The final state is written exactly when the gesture ends.
 *
 * What must stay true: the whole gesture is ONE undo step, however long it lasts and however
 * long the pointer rests in between (Y.UndoManager would otherwise start a new step after
 * `captureTimeout` without a write). Capturing is cut at the start and at the end, and the
 * capture window is held open in between.
 */

/** Live writes per second at most (awareness uses the same rate for cursors). */
export const LIVE_WRITES_PER_SECOND = 30;
const INTERVAL_MS = 1000 / LIVE_WRITES_PER_SECOND;
/** Frame timestamps jitter; without slack a 60 Hz display would write every third frame. */
const SLACK_MS = 4;

export interface FrameScheduler {
  request(callback: (now: number) => void): number;
  cancel(handle: number): void;
}

export const animationFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export type GestureUndo = Pick<Y.UndoManager, 'stopCapturing' | 'captureTimeout'>;

/**
 * The capture window each undo manager had before its first open gesture, and how many are
 * open: overlapping gestures (a resize begun while a drag's last write is pending) must give
 * the manager back its own timeout, never another gesture's "forever".
 */
const held = new WeakMap<GestureUndo, { timeout: number; open: number }>();

function holdCapture(undo: GestureUndo): void {
  const h = held.get(undo);
  if (h) h.open++;
  else held.set(undo, { timeout: undo.captureTimeout, open: 1 });
  undo.captureTimeout = Number.POSITIVE_INFINITY;
}

function releaseCapture(undo: GestureUndo): void {
  const h = held.get(undo);
  if (!h || --h.open > 0) return;
  held.delete(undo);
  undo.captureTimeout = h.timeout;
}

export class LiveEdit<T> {
  private pending: T | null = null;
  private frame: number | null = null;
  private lastWrite = -Infinity;
  private open = true;
  /** Whether anything reached the document yet (a cancel must then write the start back). */
  wrote = false;

  /** Starts the gesture: a new undo step begins with its first write. */
  constructor(
    private readonly write: (state: T) => void,
    private readonly undo: GestureUndo,
    private readonly frames: FrameScheduler = animationFrames,
  ) {
    undo.stopCapturing();
    holdCapture(undo);
  }

  /** The gesture's current state; written on a coming frame (the latest one wins). */
  update(state: T): void {
    if (!this.open) return;
    this.pending = state;
    if (this.frame === null) this.frame = this.frames.request(this.onFrame);
  }

  /** Ends the gesture: writes `final` (or what is pending) now and closes the undo step. */
  finish(final?: T): void {
    if (!this.open) return;
    if (this.frame !== null) this.frames.cancel(this.frame);
    this.frame = null;
    const last = final ?? this.pending;
    this.pending = null;
    if (last !== null) this.flush(last);
    this.open = false;
    this.undo.stopCapturing();
    releaseCapture(this.undo);
  }

  private readonly onFrame = (now: number): void => {
    this.frame = null;
    if (!this.open || this.pending === null) return;
    if (now - this.lastWrite < INTERVAL_MS - SLACK_MS) {
      this.frame = this.frames.request(this.onFrame);
      return;
    }
    this.lastWrite = now;
    const state = this.pending;
    this.pending = null;
    this.flush(state);
  };

  private flush(state: T): void {
    this.wrote = true;
    this.write(state);
  }
}
