import { memo, useCallback, useLayoutEffect, useRef } from 'react';
import { Shape as KonvaShape } from 'react-konva';
import type Konva from 'konva';
import type { Shape } from '../../shared/schema/entities.ts';
import { CARD_PAD, changedShapeRects, touches } from './batchDiff.ts';
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
export const BatchShapes = memo(function BatchShapes({ shapes, invalidate }: { shapes: readonly Shape[]; invalidate: AreaInvalidator }) {
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
    const ctx = context._context;
    // Runs of equal colour are filled together; order is kept between runs.
    let i = 0;
    while (i < list.length) {
      const color = list[i]!.color;
      ctx.beginPath();
      while (i < list.length && list[i]!.color === color) {
        const s = list[i]!;
        if (touches(s, area, CARD_PAD)) ctx.rect(s.x, s.y, s.w, s.h);
        i++;
      }
      ctx.fillStyle = color;
      ctx.fill();
    }
    ctx.beginPath();
    for (const s of list) if (s.kind === 'task' && touches(s, area, CARD_PAD)) ctx.rect(s.x, s.y, s.w, s.h);
    // A hairline whatever the zoom: one device pixel.
    ctx.lineWidth = 1 / Math.max(1e-6, Math.abs(ctx.getTransform().a));
    ctx.strokeStyle = '#94a3b8';
    ctx.stroke();
  }, []);
  return <KonvaShape listening={false} perfectDrawEnabled={false} sceneFunc={sceneFunc} />;
});
