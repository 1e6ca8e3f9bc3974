import { useEffect, useRef, type RefObject } from 'react';
import type Konva from 'konva';
import type { BoardSession } from '../board/session.ts';
import type { BoardModel } from './boardModel.ts';
import type { CanvasStore } from './store.ts';
import { PresenceLayer } from './PresenceLayer.ts';
import { installLaserTestHook } from '../follow/testHooks.ts';

/**
 * Presence on the canvas: remote cursors, selections and laser trails drawn imperatively on the
 * presence layer (PresenceLayer.ts, no React render per remote move), and the own selection
 * published. The own cursor and viewport go out from useCanvasInput and useViewportMirror.
 */
export interface CanvasPresenceOptions {
  session: BoardSession;
  store: CanvasStore;
  model: BoardModel;
  presenceRef: RefObject<Konva.Layer | null>;
  /** The presence layer exists once the Stage mounts (it has a size). */
  stageReady: boolean;
  zoom: number;
  selection: ReadonlySet<string>;
}

export function useCanvasPresence({ session, store, model, presenceRef, stageReady, zoom, selection }: CanvasPresenceOptions): void {
  const { awareness } = session;
  const presenceLayer = useRef<PresenceLayer | null>(null);
  useEffect(() => {
    const layer = presenceRef.current;
    if (!layer) return;
    const p = new PresenceLayer(layer, awareness, model);
    p.setZoom(store.getState().viewport.zoom);
    presenceLayer.current = p;
    const unhookLaser = installLaserTestHook(() => p.laserSnapshot());
    return () => {
      unhookLaser();
      p.destroy();
      presenceLayer.current = null;
    };
  }, [awareness, model, store, stageReady, presenceRef, presenceLayer]);
  useEffect(() => presenceLayer.current?.setZoom(zoom), [zoom, presenceLayer]);
  useEffect(() => session.presence.setSelection([...selection]), [session, selection]);
}
