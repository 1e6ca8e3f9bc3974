import { memo, useCallback, useLayoutEffect, useRef } from 'react';
import { Shape as KonvaShape } from 'react-konva';
import type Konva from 'konva';
import type { LinkTone } from '../plan/cardInfo.ts';
import { arrowPoints } from './geometry.ts';
import type { ArrowItem } from './ShapeList.tsx';
import { LINK_TONE_COLORS } from './shapes/linkStyle.ts';
import { ARROW_PAD, changedArrowRects, spanOf, touches } from './batchDiff.ts';
import { areaBeingDrawn, type AreaInvalidator } from './panCache.ts';

/** More changed arrows than this in one update: redraw the whole layer. */
const MAX_CHANGED = 32;

/**
 * Level of detail for dependency arrows on a zoomed-out board: every (unselected) arrow drawn
 * by ONE Konva node, one stroke per colour, instead of one listening node per arrow (10k arrow
 * nodes made each frame of a zoomed-out pan cost hundreds of milliseconds). Not listening:
 * arrows are selected when zoomed in. Like BatchShapes, its draw function never changes: the
 * arrows that changed ask for their spans to be redrawn, a new set of tones for everything.
 */
export const BatchArrows = memo(function BatchArrows({ arrows, tones, invalidate }: { arrows: readonly ArrowItem[]; tones: ReadonlyMap<string, LinkTone>; invalidate: AreaInvalidator }) {
  const drawn = useRef({ arrows, tones });
  useLayoutEffect(() => {
    const previous = drawn.current;
    drawn.current = { arrows, tones };
    if (previous.tones !== tones) return invalidate.all();
    if (previous.arrows === arrows) return;
    const rects = changedArrowRects(previous.arrows, arrows, MAX_CHANGED);
    if (rects === null) invalidate.all();
    else invalidate.rects(rects);
  }, [arrows, tones, invalidate]);
  const sceneFunc = useCallback((context: Konva.Context, node: Konva.Shape) => {
    const { arrows: list, tones: toneOf } = drawn.current;
    const area = areaBeingDrawn(node.getLayer());
    const ctx = context._context;
    const scale = Math.max(1e-6, Math.abs(ctx.getTransform().a));
    ctx.lineWidth = 1.5 / scale;
    const head = 6 / scale;
    for (const tone of ['normal', 'critical', 'cycle'] as const) {
      ctx.beginPath();
      let any = false;
      for (const { dep, from, to } of list) {
        if ((toneOf.get(dep.id) ?? 'normal') !== tone) continue;
        if (area && !touches(spanOf(from, to), area, ARROW_PAD)) continue;
        const p = arrowPoints(from, to);
        if (!p) continue;
        const [x1, y1, x2, y2] = p;
        ctx.moveTo(x1, y1);
        ctx.lineTo(x2, y2);
        // A small open arrowhead at the successor's end.
        const angle = Math.atan2(y2 - y1, x2 - x1);
        ctx.moveTo(x2 - head * Math.cos(angle - 0.5), y2 - head * Math.sin(angle - 0.5));
        ctx.lineTo(x2, y2);
        ctx.lineTo(x2 - head * Math.cos(angle + 0.5), y2 - head * Math.sin(angle + 0.5));
        any = true;
      }
      if (!any) continue;
      ctx.strokeStyle = LINK_TONE_COLORS[tone];
      ctx.stroke();
    }
  }, []);
  return <KonvaShape listening={false} perfectDrawEnabled={false} sceneFunc={sceneFunc} />;
});
