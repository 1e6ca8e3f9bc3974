import type { Rect as Box } from './viewport.ts';

/** Canvas units around a batched card that its hairline stroke may cover (1 px at the lowest zoom, 0.05). */
export const CARD_PAD = 20;
/** Canvas units around a batched arrow's span that its head and stroke may cover (8 px at zoom 0.05). */
export const ARROW_PAD = 160;

interface Placed extends Box {
  id: string;
}

interface Linked {
  dep: { id: string };
  from: Box;
  to: Box;
}

/**
 * The canvas rectangles a batch of cards must redraw after its list changed from `prev` to
 * `next`: where each changed, added or removed card was and is (the model gives a changed card
 * a new object, so identity says what changed). Null when more than `limit` changed: redraw all.
 */
export function changedShapeRects(prev: readonly Placed[], next: readonly Placed[], limit: number): Box[] | null {
  if (prev === next) return [];
  const before = new Map<string, Placed>();
  for (const s of prev) before.set(s.id, s);
  const out: Box[] = [];
  for (const s of next) {
    const old = before.get(s.id);
    before.delete(s.id);
    if (old === s) continue;
    if (old) out.push(pad(old, CARD_PAD));
    out.push(pad(s, CARD_PAD));
    if (out.length > limit) return null;
  }
  for (const old of before.values()) {
    out.push(pad(old, CARD_PAD));
    if (out.length > limit) return null;
  }
  return out;
}

/** The same for a batch of arrows: an arrow changed when its link or either end's card did. */
export function changedArrowRects(prev: readonly Linked[], next: readonly Linked[], limit: number): Box[] | null {
  if (prev === next) return [];
  const before = new Map<string, Linked>();
  for (const a of prev) before.set(a.dep.id, a);
  const out: Box[] = [];
  for (const a of next) {
    const old = before.get(a.dep.id);
    before.delete(a.dep.id);
    if (old && old.dep === a.dep && old.from === a.from && old.to === a.to) continue;
    if (old) out.push(pad(spanOf(old.from, old.to), ARROW_PAD));
    out.push(pad(spanOf(a.from, a.to), ARROW_PAD));
    if (out.length > limit) return null;
  }
  for (const old of before.values()) {
    out.push(pad(spanOf(old.from, old.to), ARROW_PAD));
    if (out.length > limit) return null;
  }
  return out;
}

/** The rectangle spanned by two cards. */
export function spanOf(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

function pad(r: Box, by: number): Box {
  return { x: r.x - by, y: r.y - by, w: r.w + 2 * by, h: r.h + 2 * by };
}

/** Whether `r` grown by `by` touches `area` (null: a full draw, everything counts). */
export function touches(r: Box, area: Box | null, by: number): boolean {
  if (!area) return true;
  return r.x - by <= area.x + area.w && area.x <= r.x + r.w + by && r.y - by <= area.y + area.h && area.y <= r.y + r.h + by;
}
