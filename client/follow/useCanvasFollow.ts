import { useEffect, type RefObject } from 'react';
import type { BoardSession } from '../board/session.ts';
import type { CanvasStore } from '../canvas/store.ts';
import type { Point, Size } from '../canvas/viewport.ts';
import { followFor } from './followController.ts';
import { bindLaser } from './laserInput.ts';

/**
 * Wires the canvas into follow mode (its viewport tracks the followed person; the user's own
 * pan or zoom stops following) and the laser tool (K). Nothing here re-renders React per
 * frame: the followed viewport is written to the canvas store, the laser to awareness.
 */
export function useCanvasFollow(
  session: BoardSession,
  store: CanvasStore,
  container: RefObject<HTMLDivElement | null>,
  size: Size,
  toCanvas: (e: PointerEvent) => Point,
): void {
  const { width, height } = size;
  useEffect(() => followFor(session)?.attachCanvas(store, () => ({ width, height })), [session, store, width, height]);
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    return bindLaser(el, store, toCanvas, session.presence);
  }, [session, store, container, toCanvas]);
}
