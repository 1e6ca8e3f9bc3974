import { useMemo, useRef } from 'react';
import type { Shape } from '../../shared/schema/entities.ts';
import type { BoardModel } from './boardModel.ts';
import type { ArrowItem } from './ShapeList.tsx';
import type { Viewport } from './store.ts';
import type { Rect, Size } from './viewport.ts';
import type { CanvasNodes } from './useCanvasNodes.ts';
import { cullRect } from './culling.ts';
import { detailFor, type Detail } from './lod.ts';
import { mountedItems } from './mountedItems.ts';
import { useRetiredDetail } from './useRetiredDetail.ts';

/** What the content layer mounts for the current view (see ShapeList's props of the same names). */
export interface MountedContent {
  /** The tile-quantized rectangle around the viewport whose cards are mounted (culling.ts). */
  cull: Rect;
  detail: Detail;
  visible: readonly Shape[];
  arrows: readonly ArrowItem[];
  /** Zoomed out: the full-detail nodes still mounted, hidden, none of them selected (useRetiredDetail.ts). */
  retiredShapes: readonly Shape[] | undefined;
  retiredArrows: readonly ArrowItem[] | undefined;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Viewport culling (through the model's spatial index) and level of detail: the cards and arrows
 * in a tile-quantized margin around the viewport, plus the selection; after a zoom-out, the
 * full-detail nodes kept mounted until idle time. Keeps `nodes.retiredIds` and
 * `nodes.retiredSinceZoomOut` in step, during render, as draw culling and the pan cache read them
 * in the very draw that follows the commit.
 */
export function useMountedContent(
  model: BoardModel,
  viewport: Viewport,
  size: Size,
  selection: ReadonlySet<string>,
  nodes: Pick<CanvasNodes, 'retiredIds' | 'retiredSinceZoomOut'>,
): MountedContent {
  const cull = cullRect(viewport, size);
  const cullKey = `${cull.x},${cull.y},${cull.w},${cull.h}`;
  const selectionIds = [...selection].join(',');
  const detail = detailFor(viewport.zoom);
  const { visible, arrows } = useMemo(
    () => mountedItems(model, cull, selectionIds ? selectionIds.split(',') : []),
    // cull is represented by cullKey; model.version covers every document change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [cullKey, model, model.version, selectionIds],
  );
  // After a zoom-out, the full-detail nodes stay mounted (hidden) until idle time; never the selected ones.
  const retired = useRetiredDetail(detail, visible, arrows);
  const { retiredShapes, retiredArrows } = useMemo(
    () => ({
      retiredShapes: retired ? retired.shapes.filter((s) => !selection.has(s.id)) : undefined,
      retiredArrows: retired ? retired.arrows.filter((a) => !selection.has(a.dep.id)) : undefined,
    }),
    [retired, selection],
  );
  // Rebuilt only when the retired lists change (a zoom-out, an idle chunk, a selection change),
  // not on every render: up to thousands of ids.
  const retiredIds = useMemo(
    () => (retiredShapes || retiredArrows ? new Set([...(retiredShapes ?? []).map((s) => s.id), ...(retiredArrows ?? []).map((a) => a.dep.id)]) : NONE),
    [retiredShapes, retiredArrows],
  );
  nodes.retiredIds.current = retiredIds;
  // Record each new set once: every id retired since the zoom-out stays in retiredSinceZoomOut
  // until nothing is retired any more.
  const recorded = useRef<ReadonlySet<string> | null>(null);
  if (recorded.current !== retiredIds) {
    recorded.current = retiredIds;
    if (retired) for (const id of retiredIds) nodes.retiredSinceZoomOut.current.add(id);
    else nodes.retiredSinceZoomOut.current.clear();
  }
  return { cull, detail, visible, arrows, retiredShapes, retiredArrows };
}
