import { memo, useCallback, useLayoutEffect, useRef } from 'react';
import { Shape as KonvaShape } from 'react-konva';
import type Konva from 'konva';
import type { Shape } from '../../shared/schema/entities.ts';
import { changedShapeRects } from './batchDiff.ts';
import { paintCards } from './batchPaint.ts';
import type { FitPicture } from './fitPicture.ts';
import { areaBeingDrawn, type AreaInvalidator } from './panCache.ts';

/** More changed cards than this in one update: redraw the whole layer. */
const MAX_CHANGED = 16;

/**
 * Level of detail for a zoomed-out board: every (unselected) shape drawn by ONE Konva node,
 * one fill per colour and one stroke pass, instead of thousands of nodes. Not listening:
 * clicks find shapes through the spatial index. Shapes are already in draw order.
 *
 * The node's draw function never changes (it reads the latest list from a ref), so a remote
 * move does not change a Konva attribute and redraw the whole layer: the cards that changed
 * ask the pan cache to redraw only where they were and are (panCache.ts), and a partial draw
 * skips the cards outside its area.
 */
export const BatchShapes = memo(function BatchShapes({
  shapes,
  invalidate,
  picture,
}: {
  shapes: readonly Shape[];
  invalidate: AreaInvalidator;
  /** These cards painted ahead of time for one view (zoom to fit): copied instead when current. */
  picture?: FitPicture;
}) {
  const drawnList = useRef(shapes);
  useLayoutEffect(() => {
    const previous = drawnList.current;
    drawnList.current = shapes;
    if (previous === shapes) return;
    const rects = changedShapeRects(previous, shapes, MAX_CHANGED);
    if (rects === null) invalidate.all();
    else invalidate.rects(rects);
  }, [shapes, invalidate]);
  const sceneFunc = useCallback((context: Konva.Context, node: Konva.Shape) => {
    const list = drawnList.current;
    const area = areaBeingDrawn(node.getLayer());
    // A full draw at the view the picture was painted for, of the cards it holds: copy it.
    if (!area && picture?.drawCardsIfCurrent(context._context, list)) return;
    paintCards(context._context, list, area);
  }, [picture]);
  return <KonvaShape listening={false} perfectDrawEnabled={false} sceneFunc={sceneFunc} />;
});
