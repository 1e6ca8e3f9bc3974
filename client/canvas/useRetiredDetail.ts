import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Shape } from '../../shared/schema/entities.ts';
import type { ArrowItem } from './ShapeList.tsx';
import type { Detail } from './lod.ts';
import { whenIdle } from './idle.ts';

/** After a zoom-out to the low level of detail, how long the full-detail nodes stay before their unmounting starts. */
export const RETIRE_DELAY_MS = 100;
/** Full-detail cards (and as many arrows) unmounted per idle callback. */
export const RETIRE_CHUNK = 100;

/** Full-detail cards and arrows kept mounted, hidden, after a zoom-out (see useRetiredDetail). */
export interface Retired {
  shapes: readonly Shape[];
  arrows: readonly ArrowItem[];
  /** False until the first chunk is unmounted (the first waits RETIRE_DELAY_MS, the others only for idle time). */
  started: boolean;
}

/**
 * The full-detail cards and arrows that were mounted when the zoom went below the low level of
 * detail (lod.ts), kept mounted for a moment, then unmounted in idle time, a chunk at a time.
 *
 * A zoom-out from full detail used to unmount every mounted card and arrow in the same frame that
 * first draws the whole board in low detail: at 10k tasks ~20 ms of React and Konva `destroy` in
 * the zoom-to-fit frame. ShapeList keeps rendering these with their full-detail props (so React
 * skips them) and draw culling hides them (drawCulling.ts), so the frame only draws; the unmount
 * follows RETIRE_DELAY_MS later, RETIRE_CHUNK at a time in idle callbacks. Zooming back in
 * before that drops the list at once: the cards the new view shows are still mounted.
 */
export function useRetiredDetail(detail: Detail, shapes: readonly Shape[], arrows: readonly ArrowItem[]): Retired | null {
  // The full-detail cards and arrows of the last commit: what a zoom-out finds mounted. A ref set
  // after each commit, not state: at full detail the list changes with every remote edit, and
  // state set while rendering would run the whole canvas's render twice for each of them.
  const mountedAtFull = useRef<{ shapes: readonly Shape[]; arrows: readonly ArrowItem[] }>({ shapes: [], arrows: [] });
  useLayoutEffect(() => {
    if (detail === 'full') mountedAtFull.current = { shapes, arrows };
  }, [detail, shapes, arrows]);
  const [previousDetail, setPreviousDetail] = useState(detail);
  const [retired, setRetired] = useState<Retired | null>(null);
  // Safe state adjustment while rendering (react.dev, "Storing information from previous renders"):
  // only this component's own state, only when the detail changed, and the immediate re-render
  // finds previousDetail === detail, so it cannot loop. It has to happen in render: retiring in an
  // effect would first commit the zoom-out without the full-detail nodes, unmounting them all.
  if (previousDetail !== detail) {
    setPreviousDetail(detail);
    if (previousDetail === 'full' && detail === 'low') setRetired({ shapes: mountedAtFull.current.shapes, arrows: mountedAtFull.current.arrows, started: false });
    else if (detail === 'full' && retired) setRetired(null);
  }
  useEffect(() => {
    if (!retired) return;
    let cancelIdle: (() => void) | null = null;
    const next = () => {
      cancelIdle = whenIdle(() => {
        cancelIdle = null;
        setRetired((r) => (r === retired ? shrink(r) : r));
      }, 1000);
    };
    // Not before the zoom's own frame is presented; then one chunk per idle callback.
    const timer = retired.started ? null : setTimeout(next, RETIRE_DELAY_MS);
    if (retired.started) next();
    return () => {
      if (timer !== null) clearTimeout(timer);
      cancelIdle?.();
    };
  }, [retired]);
  return retired;
}

/** `r` without its last RETIRE_CHUNK cards and arrows; null once both are empty. */
export function shrink(r: Retired): Retired | null {
  const shapes = r.shapes.slice(0, Math.max(0, r.shapes.length - RETIRE_CHUNK));
  const arrows = r.arrows.slice(0, Math.max(0, r.arrows.length - RETIRE_CHUNK));
  return shapes.length === 0 && arrows.length === 0 ? null : { shapes, arrows, started: true };
}
