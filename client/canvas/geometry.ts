import type { Point, Rect } from './viewport.ts';

/**
 * Where a dependency arrow meets its two cards: on the border of each rectangle, along the
 * line between their centres, so the arrow stays attached whichever way the cards move.
 */
export function rectCenter(r: Rect): Point {
  return { x: r.x + r.w / 2, y: r.y + r.h / 2 };
}

/** The point where the ray from the centre of `r` toward `toward` leaves the rectangle. */
export function borderPoint(r: Rect, toward: Point): Point {
  const c = rectCenter(r);
  const dx = toward.x - c.x;
  const dy = toward.y - c.y;
  if (dx === 0 && dy === 0) return c;
  const hw = r.w / 2;
  const hh = r.h / 2;
  // Scale the direction so that it just reaches the nearer of the two borders it heads for.
  const tx = dx === 0 ? Infinity : hw / Math.abs(dx);
  const ty = dy === 0 ? Infinity : hh / Math.abs(dy);
  const t = Math.min(tx, ty);
  return { x: c.x + dx * t, y: c.y + dy * t };
}

/**
 * Arrow points [x1, y1, x2, y2] from the border of `from` to the border of `to`, or null
 * when one card's centre lies inside the other (they overlap so much that there is nothing
 * sensible to draw). Cards that merely touch or overlap a little still get an arrow.
 */
export function arrowPoints(from: Rect, to: Rect): [number, number, number, number] | null {
  const cf = rectCenter(from);
  const ct = rectCenter(to);
  if (containsPoint(to, cf) || containsPoint(from, ct)) return null;
  const a = borderPoint(from, ct);
  const b = borderPoint(to, cf);
  return [a.x, a.y, b.x, b.y];
}

/** Arrow points from the border of `from` to a free point (the preview while linking). */
export function arrowToPoint(from: Rect, p: Point): [number, number, number, number] {
  const a = containsPoint(from, p) ? rectCenter(from) : borderPoint(from, p);
  return [a.x, a.y, p.x, p.y];
}

export function containsPoint(r: Rect, p: Point): boolean {
  return p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
}

export function rectsIntersect(a: Rect, b: Rect): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}
