import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type Konva from 'konva';
import type { BoardModel } from './boardModel.ts';
import type { CanvasStore } from './store.ts';
import type { Size } from './viewport.ts';
import type { LinkTone } from '../plan/cardInfo.ts';
import type { CanvasNodes } from './useCanvasNodes.ts';
import { bindDrawCulling } from './drawCulling.ts';
import { bindPanCache, type AreaInvalidator, type PanCache } from './panCache.ts';
import { contentExtents } from './nodeExtents.ts';
import { FitPicture } from './fitPicture.ts';
import { keepFitPicture } from './fitPictureScheduler.ts';

export interface ContentLayerCachesDeps {
  /** The content layer; bound again when `stageReady` turns true (the Stage mounts once it has a size). */
  contentRef: RefObject<Konva.Layer | null>;
  stageReady: boolean;
  nodes: CanvasNodes;
  store: CanvasStore;
  model: BoardModel;
  size: Size;
  sizeRef: RefObject<Size>;
  linkTones: ReadonlyMap<string, LinkTone>;
}

/**
 * How the content layer avoids drawing what it need not: draw culling (only the mounted cards on
 * screen, drawCulling.ts), the pan cache (a pan redraws only the strips it exposes, a remote move
 * only where the card was and is, panCache.ts) and the zoom-to-fit picture stroked ahead in idle
 * time (fitPicture.ts). Returns the stable `invalidate` and `fitPicture` ShapeList draws through.
 */
export function useContentLayerCaches({ contentRef, stageReady, nodes, store, model, size, sizeRef, linkTones }: ContentLayerCachesDeps): {
  invalidate: AreaInvalidator;
  fitPicture: FitPicture;
} {
  const { shapeNodes, arrowNodes, retiredIds, retiredSinceZoomOut } = nodes;
  // Selected and edited cards and arrows are drawn whatever their position or zoom.
  const pinned = useMemo(
    () => ({
      has: (id: string) => {
        const { selection, editingId } = store.getState();
        return id === editingId || selection.has(id);
      },
    }),
    [store],
  );
  // Draw only the mounted cards that are on screen (see drawCulling.ts), and the pinned ones.
  useEffect(() => {
    const layer = contentRef.current;
    if (!layer) return;
    return bindDrawCulling(layer, () => shapeNodes.current, () => arrowNodes.current, () => pinned, () => retiredIds.current);
  }, [stageReady, contentRef, shapeNodes, arrowNodes, retiredIds, pinned]);
  // A pan redraws only the strips it exposes, a remote move (batched or a mounted card and its
  // arrows) only where the card was and is (see panCache.ts).
  const panCache = useRef<PanCache | null>(null);
  useEffect(() => {
    const layer = contentRef.current;
    if (!layer) return;
    // Retired full-detail nodes (useRetiredDetail.ts) are always hidden: their changes draw nothing.
    const cache = bindPanCache(
      layer,
      // A pinned one is drawn whatever its zoom (draw culling): not hidden for good.
      contentExtents((id) => retiredSinceZoomOut.current.has(id) && !pinned.has(id)),
    );
    panCache.current = cache;
    return () => {
      panCache.current = null;
      cache.destroy();
    };
  }, [stageReady, contentRef, retiredSinceZoomOut, pinned]);
  const invalidate: AreaInvalidator = useMemo(
    () => ({
      rects: (rects) => (panCache.current ? panCache.current.invalidate(rects) : contentRef.current?.batchDraw()),
      all: () => (panCache.current ? panCache.current.invalidateAll() : contentRef.current?.batchDraw()),
    }),
    [contentRef],
  );
  // The arrows of the zoom-to-fit view, stroked ahead in idle time (fitPicture.ts).
  // State, not a memo: React may drop a memo value, and the batches and the scheduler must share one picture.
  const fitPicture = useState(() => new FitPicture())[0];
  const linkTonesRef = useRef(linkTones);
  linkTonesRef.current = linkTones;
  const fitPictureKeeper = useRef<{ poke(): void } | null>(null);
  useEffect(() => {
    const keeper = keepFitPicture({ model, store, picture: fitPicture, layer: () => contentRef.current, size: () => sizeRef.current, tones: () => linkTonesRef.current });
    fitPictureKeeper.current = keeper;
    return () => {
      fitPictureKeeper.current = null;
      keeper.destroy();
    };
  }, [model, store, fitPicture, stageReady, contentRef, sizeRef]);
  useEffect(() => fitPictureKeeper.current?.poke(), [size, linkTones]);
  return { invalidate, fitPicture };
}
