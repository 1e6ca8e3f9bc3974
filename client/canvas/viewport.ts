import { MAX_ZOOM, MIN_ZOOM, type Viewport } from './store.ts';

/**
 * Pure viewport math. A viewport maps canvas coordinates to stage (screen) coordinates:
 * screen = canvas * zoom + (x, y). Everything here is plain data in, plain data out.
 */
export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Size {
  width: number;
  height: number;
}

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

export function canvasToScreen(vp: Viewport, p: Point): Point {
  return { x: p.x * vp.zoom + vp.x, y: p.y * vp.zoom + vp.y };
}

export function screenToCanvas(vp: Viewport, p: Point): Point {
  return { x: (p.x - vp.x) / vp.zoom, y: (p.y - vp.y) / vp.zoom };
}

/** New viewport at `zoom` that keeps the canvas point under `anchor` (screen) in place. */
export function zoomAround(vp: Viewport, zoom: number, anchor: Point): Viewport {
  const next = clampZoom(zoom);
  const c = screenToCanvas(vp, anchor);
  return { zoom: next, x: anchor.x - c.x * next, y: anchor.y - c.y * next };
}

/** Zoom factor for one wheel event; pinch gestures arrive as ctrl+wheel with small deltas. */
export function wheelZoomFactor(deltaY: number): number {
  // One mouse-wheel notch (deltaY 100) zooms by about 22%; pinch deltas are small and stay smooth.
  const d = Math.max(-20, Math.min(20, deltaY));
  return Math.exp(-d * 0.01);
}

/** Pans by a screen-space delta. */
export function panBy(vp: Viewport, dx: number, dy: number): Viewport {
  return { ...vp, x: vp.x + dx, y: vp.y + dy };
}

/** The canvas rectangle the stage shows. */
export function visibleRect(vp: Viewport, size: Size): Rect {
  return { x: -vp.x / vp.zoom, y: -vp.y / vp.zoom, w: size.width / vp.zoom, h: size.height / vp.zoom };
}

/**
 * Viewport that shows `bounds` centred with `padding` screen pixels around it, never zooming
 * in past `maxZoom` (a single small card should not fill the screen).
 */
/**
 * The view zoom to fit shows (Shift+1, the fit button): every card and note, 64 px of margin, at
 * most 100 %. The fit picture (fitPictureScheduler.ts) is painted for exactly this view.
 */
export function zoomToFitView(bounds: Rect | null, size: Size): Viewport | null {
  return bounds ? fitBounds(bounds, size) : null;
}

export function fitBounds(bounds: Rect, size: Size, padding = 64, maxZoom = 1): Viewport {
  const availW = Math.max(1, size.width - padding * 2);
  const availH = Math.max(1, size.height - padding * 2);
  const zoom = clampZoom(Math.min(maxZoom, availW / Math.max(1, bounds.w), availH / Math.max(1, bounds.h)));
  const cx = bounds.x + bounds.w / 2;
  const cy = bounds.y + bounds.h / 2;
  return { zoom, x: size.width / 2 - cx * zoom, y: size.height / 2 - cy * zoom };
}

/** Screen pixels kept clear on each side of the stage (floating toolbar, zoom widget). */
export interface Insets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/**
 * Viewport that shows `bounds` centred in the part of the stage inside `insets`, never zooming
 * in past `maxZoom`. Unlike `fitBounds`, the margins may differ per side, so content can be
 * kept clear of the floating toolbar at the top and the zoom widget at the bottom.
 *
 * @example
 *   fitWithin({ x: 0, y: 0, w: 200, h: 100 }, { width: 800, height: 600 }, { top: 100, right: 0, bottom: 0, left: 0 })
 *   // -> { zoom: 1, x: 300, y: 300 }: centred in the 800 x 500 area below the top inset
 */
export function fitWithin(bounds: Rect, size: Size, insets: Insets, maxZoom = 1): Viewport {
  const availW = Math.max(1, size.width - insets.left - insets.right);
  const availH = Math.max(1, size.height - insets.top - insets.bottom);
  const zoom = clampZoom(Math.min(maxZoom, availW / Math.max(1, bounds.w), availH / Math.max(1, bounds.h)));
  const cx = bounds.x + bounds.w / 2;
  const cy = bounds.y + bounds.h / 2;
  return { zoom, x: insets.left + availW / 2 - cx * zoom, y: insets.top + availH / 2 - cy * zoom };
}

/** Smallest rectangle around all `rects`, or null for none. */
export function unionRects(rects: Iterable<Rect>): Rect | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const r of rects) {
    minX = Math.min(minX, r.x);
    minY = Math.min(minY, r.y);
    maxX = Math.max(maxX, r.x + r.w);
    maxY = Math.max(maxY, r.y + r.h);
  }
  return minX === Infinity ? null : { x: minX, y: minY, w: maxX - minX, h: maxY - minY };
}

/** Rectangle spanned by two corner points, in any order. */
export function rectFromPoints(a: Point, b: Point): Rect {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
}

export function snap(value: number, grid: number): number {
  return Math.round(value / grid) * grid;
}
