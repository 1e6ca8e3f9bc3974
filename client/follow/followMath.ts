import { clampZoom, type Size } from '../canvas/viewport.ts';
import type { Viewport } from '../canvas/store.ts';

/** The canvas rectangle a peer sees (their awareness `viewport`, in canvas units). */
export interface VisibleArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The viewport that shows a followed person's visible area in a window of `size`: the same
 * centre, and the zoom that fits all of their area in (a smaller window zooms out, a larger
 * one zooms in), within the canvas zoom limits. Null when there is nothing sensible to fit.
 *
 * @example
 *   followViewport({ x: 0, y: 0, width: 1000, height: 500 }, { width: 500, height: 500 })
 *   // -> { zoom: 0.5, x: 0, y: 125 }: all 1000 units across fit in 500 pixels
 */
export function followViewport(area: VisibleArea, size: Size): Viewport | null {
  if (size.width <= 0 || size.height <= 0 || !(area.width > 0) || !(area.height > 0)) return null;
  const zoom = clampZoom(Math.min(size.width / area.width, size.height / area.height));
  const cx = area.x + area.width / 2;
  const cy = area.y + area.height / 2;
  return { zoom, x: size.width / 2 - cx * zoom, y: size.height / 2 - cy * zoom };
}

/** Two viewports closer than a hundredth of a pixel / zoom step are the same (no redundant writes). */
export function sameViewport(a: Viewport, b: Viewport): boolean {
  return Math.abs(a.x - b.x) < 0.01 && Math.abs(a.y - b.y) < 0.01 && Math.abs(a.zoom - b.zoom) < 1e-6;
}
