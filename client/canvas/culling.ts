import type { Rect, Size } from './viewport.ts';
import { visibleRect } from './viewport.ts';
import type { Viewport } from './store.ts';

/**
 * The canvas rectangle to render: the visible rectangle plus a margin, snapped outward to a
 * grid of tiles (a power of two of the view size), so small pans and zooms give the very same
 * rectangle and the shape list is not re-computed or re-rendered on every wheel event.
 * The tile is a quarter of the view (it was half): mounted cards cost React and Konva memory and
 * every remote move re-renders the list, so ~2.5x fewer mounted cards than with half-view tiles,
 * at the price of a (smaller) strip of cards mounted about every quarter view of a pan.
 */
export function cullRect(vp: Viewport, size: Size): Rect {
  const view = visibleRect(vp, size.width > 0 ? size : { width: 1, height: 1 });
  const tile = 2 ** Math.ceil(Math.log2(Math.max(view.w, view.h, 1) / 4));
  const x0 = Math.floor((view.x - tile) / tile) * tile;
  const y0 = Math.floor((view.y - tile) / tile) * tile;
  const x1 = Math.ceil((view.x + view.w + tile) / tile) * tile;
  const y1 = Math.ceil((view.y + view.h + tile) / tile) * tile;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
