import { useEffect, type RefObject } from 'react';
import type Konva from 'konva';
import type { BoardSession } from '../board/session.ts';
import type { CanvasStore, Viewport } from './store.ts';
import type { Size } from './viewport.ts';
import { visibleRect } from './viewport.ts';
import { dotGridStyle } from './dotGrid.ts';

/**
 * Follows every viewport change imperatively: the stage's position and scale, the dot grid and the
 * own viewport published to presence (follow mode reads it). The viewport changes on every frame
 * of a pan or zoom gesture, and BoardCanvas re-renders only when what it mounts changes, so a pan
 * frame costs no React render.
 */
export interface ViewportMirrorDeps {
  session: BoardSession;
  store: CanvasStore;
  stageRef: RefObject<Konva.Stage | null>;
  gridRef: RefObject<HTMLDivElement | null>;
  size: Size;
  sizeRef: RefObject<Size>;
}

export function useViewportMirror({ session, store, stageRef, gridRef, size, sizeRef }: ViewportMirrorDeps): void {
  useEffect(() => {
    const publish = (vp: Viewport) => {
      const current = sizeRef.current;
      if (current.width === 0) return;
      const r = visibleRect(vp, current);
      session.presence.setViewport({ x: r.x, y: r.y, zoom: vp.zoom, width: r.w, height: r.h });
    };
    publish(store.getState().viewport);
    return store.subscribe((state, previous) => {
      if (state.viewport === previous.viewport) return;
      const vp = state.viewport;
      // What a render would set, set at once (a render follows only when viewKey changes).
      stageRef.current?.setAttrs({ x: vp.x, y: vp.y, scaleX: vp.zoom, scaleY: vp.zoom });
      const grid = gridRef.current;
      if (grid) Object.assign(grid.style, dotGridStyle(vp));
      publish(vp);
    });
  }, [session, store, size, sizeRef, stageRef, gridRef]);
}
