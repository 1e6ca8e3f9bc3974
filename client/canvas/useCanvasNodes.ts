import { useMemo, useRef, type RefObject } from 'react';
import type Konva from 'konva';

/**
 * The Konva nodes of the mounted cards and arrows, by id, and which of them are retired
 * full-detail nodes kept mounted, hidden, after a zoom-out (useRetiredDetail.ts).
 *
 * Everything here is a ref or a stable function: draw culling, the pan cache, the pointer
 * controller and the test hooks read it synchronously while drawing or handling an event, so
 * it must be current without a React render.
 */
export interface CanvasNodes {
  shapeNodes: RefObject<Map<string, Konva.Group>>;
  arrowNodes: RefObject<Map<string, Konva.Group>>;
  /** Ids of the full-detail cards and arrows kept mounted, hidden, after a zoom-out (set by useMountedContent). */
  retiredIds: RefObject<ReadonlySet<string>>;
  /**
   * Every id retired since the zoom-out: a chunk's nodes are re-rendered and unmounted in the same
   * commit that drops them from `retiredIds`, and the pan cache must still know they draw nothing.
   */
  retiredSinceZoomOut: RefObject<Set<string>>;
  /** Ref callbacks ShapeList gives each card and arrow (stable). */
  registerShape(id: string, node: Konva.Group | null): void;
  registerArrow(id: string, node: Konva.Group | null): void;
  /** The shown node of a card or arrow, if any: a hidden, retired node is not the shape's node, so drags, resizes and tests never get it (stable). */
  liveShapeNode(id: string): Konva.Group | undefined;
  liveArrowNode(id: string): Konva.Group | undefined;
}

export function useCanvasNodes(): CanvasNodes {
  const shapeNodes = useRef(new Map<string, Konva.Group>());
  const arrowNodes = useRef(new Map<string, Konva.Group>());
  const retiredIds = useRef<ReadonlySet<string>>(new Set());
  const retiredSinceZoomOut = useRef(new Set<string>());
  return useMemo(
    () => ({
      shapeNodes,
      arrowNodes,
      retiredIds,
      retiredSinceZoomOut,
      registerShape: (id: string, node: Konva.Group | null) => {
        // React detaches the old ref (null) before attaching the new one, so delete is safe.
        if (node) shapeNodes.current.set(id, node);
        else shapeNodes.current.delete(id);
      },
      registerArrow: (id: string, node: Konva.Group | null) => {
        if (node) arrowNodes.current.set(id, node);
        else arrowNodes.current.delete(id);
      },
      liveShapeNode: (id: string) => (retiredIds.current.has(id) ? undefined : shapeNodes.current.get(id)),
      liveArrowNode: (id: string) => (retiredIds.current.has(id) ? undefined : arrowNodes.current.get(id)),
    }),
    [],
  );
}
