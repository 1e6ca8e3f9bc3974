import { memo, useCallback, useLayoutEffect, useRef } from 'react';
import { Shape as KonvaShape } from 'react-konva';
import type Konva from 'konva';
import type { LinkTone } from '../plan/cardInfo.ts';
import type { ArrowItem } from './ShapeList.tsx';
import { changedArrowRects } from './batchDiff.ts';
import { strokeArrows } from './batchPaint.ts';
import type { FitPicture } from './fitPicture.ts';
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
export const BatchArrows = memo(function BatchArrows({
  arrows,
  tones,
  invalidate,
  picture,
}: {
  arrows: readonly ArrowItem[];
  tones: ReadonlyMap<string, LinkTone>;
  invalidate: AreaInvalidator;
  /** These arrows stroked ahead of time for one view (zoom to fit): copied instead when current. */
  picture?: FitPicture;
}) {
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
    // A full draw at the view the picture was stroked for, of the links it holds: copy it.
    if (!area && picture?.drawArrowsIfCurrent(context._context, list, toneOf)) return;
    strokeArrows(context._context, list, toneOf, area);
  }, [picture]);
  return <KonvaShape listening={false} perfectDrawEnabled={false} sceneFunc={sceneFunc} />;
});
