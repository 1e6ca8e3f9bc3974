import type { Rect as Box } from './viewport.ts';

/** A stage transform: screen (CSS px) = canvas * zoom + (x, y). */
export interface StageTransform {
  x: number;
  y: number;
  zoom: number;
}

export interface PanFrameInput {
  /** The transform the picture on the layer's canvas was drawn with. */
  drawn: StageTransform;
  /** The stage's transform now. */
  now: StageTransform;
  pixelRatio: number;
  /** The layer canvas's bitmap size (device pixels). */
  size: { width: number; height: number };
  /** Canvas rectangles whose content changed since the last draw; null: too many to track. */
  dirty: readonly Box[] | null;
}

export type PanFrame =
  | { kind: 'full' }
  | {
      kind: 'partial';
      /** Move the picture by this many device pixels. */
      shift: { dx: number; dy: number };
      /** The transform the shifted picture corresponds to (within half a device pixel of `now`). */
      origin: { x: number; y: number };
      /** Canvas rectangles to draw afresh, snapped outward to whole device pixels, inside the view. */
      areas: Box[];
      /** The picture is not exactly where the stage is (a redraw once the pan rests fixes it). */
      inexact: boolean;
    };

/**
 * What one frame of the content layer must draw, given where its picture was drawn from and
 * where the stage is now (pure: panCache.ts does the drawing). Only a pan by less than half the
 * view at the same zoom is partial: the picture moves by whole device pixels (so what was drawn
 * stays pixel-identical) and the strips that came into view plus the dirty rectangles are drawn.
 */
export function planPanFrame({ drawn, now, pixelRatio: pr, size, dirty }: PanFrameInput): PanFrame {
  if (now.zoom !== drawn.zoom || dirty === null || !(pr > 0)) return { kind: 'full' };
  const dx = Math.round((now.x - drawn.x) * pr);
  const dy = Math.round((now.y - drawn.y) * pr);
  if (Math.abs(dx) * 2 > size.width || Math.abs(dy) * 2 > size.height) return { kind: 'full' };
  const origin = { x: drawn.x + dx / pr, y: drawn.y + dy / pr };
  const zoom = now.zoom;
  const width = size.width / pr;
  const height = size.height / pr;
  // Screen rectangles (CSS px) on whole device pixels -> canvas rectangles.
  const toCanvas = (sx0: number, sy0: number, sx1: number, sy1: number): Box => ({
    x: (sx0 - origin.x) / zoom,
    y: (sy0 - origin.y) / zoom,
    w: (sx1 - sx0) / zoom,
    h: (sy1 - sy0) / zoom,
  });
  const areas: Box[] = [];
  // The strips the shift exposed: a column at the left or right, a row at the top or bottom.
  if (dx > 0) areas.push(toCanvas(0, 0, dx / pr, height));
  else if (dx < 0) areas.push(toCanvas(width + dx / pr, 0, width, height));
  if (dy > 0) areas.push(toCanvas(0, 0, width, dy / pr));
  else if (dy < 0) areas.push(toCanvas(0, height + dy / pr, width, height));
  for (const r of dirty) {
    if (!(r.w >= 0 && r.h >= 0) || ![r.x, r.y, r.w, r.h].every(Number.isFinite)) return { kind: 'full' };
    // Outward to whole device pixels (a clip on a fractional edge would blend the old picture
    // into the new one), and inside the view.
    const sx0 = Math.max(0, Math.floor((r.x * zoom + origin.x) * pr) / pr);
    const sy0 = Math.max(0, Math.floor((r.y * zoom + origin.y) * pr) / pr);
    const sx1 = Math.min(width, Math.ceil(((r.x + r.w) * zoom + origin.x) * pr) / pr);
    const sy1 = Math.min(height, Math.ceil(((r.y + r.h) * zoom + origin.y) * pr) / pr);
    if (sx1 > sx0 && sy1 > sy0) areas.push(toCanvas(sx0, sy0, sx1, sy1));
  }
  return { kind: 'partial', shift: { dx, dy }, origin, areas, inexact: origin.x !== now.x || origin.y !== now.y };
}
