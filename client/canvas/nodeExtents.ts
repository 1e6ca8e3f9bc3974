import type Konva from 'konva';
import type { Rect as Box } from './viewport.ts';

/**
 * Canvas units around its box that a task card clips what it paints to (TaskCard.tsx): a status
 * chip or badges wider than a narrow card, or an assignee line above a short one, would otherwise
 * paint outside the card's extent, and a redraw of only that extent would leave them behind.
 * Smaller than the extent's padding below, so the extent holds everything a card paints.
 */
export const CARD_CLIP_PAD = 4;

/** Screen pixels a card or arrow may paint outside its box or its points: strokes, anti-aliasing. */
const SCREEN_PAD_PX = 12;
/** Canvas units a sticky note's shadow reaches outside its box (blur 8, offset 2; scaled with the stage). */
const SHADOW_PAD = 12;
/** Canvas units around an arrow's end points that its head and its type/lag label may cover (as drawCulling.ts). */
const ARROW_PAD = 60;

/**
 * Where a mounted card or arrow paints, so a change to one of them redraws only there
 * (panCache.ts). The pan cache asks which tracked node a Konva node that asked for a draw
 * belongs to, and that node's extent before and after the change.
 */
export interface NodeExtents {
  /** The tracked node (a card or arrow group) that `node` is or lies in; null: not tracked. */
  ownerOf(node: Konva.Node): Konva.Node | null;
  /** The canvas rectangle everything `owner` paints lies in at `zoom`; null: unknown (redraw all). */
  extentOf(owner: Konva.Node, zoom: number): Box | null;
  /** Every tracked node in `layer`, for the snapshot taken at each full draw. */
  all(layer: Konva.Layer): Iterable<Konva.Node>;
  /** A tracked node that is hidden wherever it is (never drawn, whatever changes), e.g. a retired full-detail card. */
  alwaysHidden?(owner: Konva.Node): boolean;
}

/** What a card (a group with its own box) may paint: its box, its stroke and a note's shadow. */
export function cardExtent(box: Box, zoom: number): Box | null {
  if (![box.x, box.y, box.w, box.h, zoom].every(Number.isFinite) || !(zoom > 0)) return null;
  return grow(box, SCREEN_PAD_PX / zoom + SHADOW_PAD);
}

/** What an arrow from (x1, y1) to (x2, y2) may paint: its span, its head and its label. */
export function arrowExtent(points: readonly number[], zoom: number): Box | null {
  if (points.length < 4 || !points.slice(0, 4).every(Number.isFinite) || !(zoom > 0) || !Number.isFinite(zoom)) return null;
  const [x1, y1, x2, y2] = points as [number, number, number, number];
  const x = Math.min(x1, x2);
  const y = Math.min(y1, y2);
  return grow({ x, y, w: Math.max(x1, x2) - x, h: Math.max(y1, y2) - y }, ARROW_PAD + SCREEN_PAD_PX / zoom);
}

/**
 * Merges rectangles that overlap into their bounding box until none overlap, so an area is drawn
 * once: a moved card's old and new extents and its arrows usually become one rectangle.
 */
export function mergeOverlapping(rects: readonly Box[]): Box[] {
  const out = rects.map((r) => ({ ...r }));
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i]!;
        const b = out[j]!;
        if (a.x > b.x + b.w || b.x > a.x + a.w || a.y > b.y + b.h || b.y > a.y + a.h) continue;
        const x = Math.min(a.x, b.x);
        const y = Math.min(a.y, b.y);
        out[i] = { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
        out.splice(j, 1);
        merged = true;
        break;
      }
    }
  }
  return out;
}

/** The group names ShapeList gives a card (TaskCard, NoteShape) and a dependency arrow. */
const CARD_NAME = 'shape';
const ARROW_NAME = 'dep';

/**
 * The extents of the canvas's mounted cards and arrows: the groups named 'shape' and 'dep' right
 * under the content layer (ShapeList mounts nothing else as such a group). Found by name, not
 * through the canvas's node maps (useCanvasNodes.ts): React detaches a card's ref while it commits the card's new
 * attributes, which is exactly when the pan cache asks. A card's extent is its group's box; an
 * arrow's is its line's points. A transformed group (the resize handle scales it) has no known
 * extent: the whole layer is redrawn, as before.
 */
export function contentExtents(hiddenId: (id: string) => boolean = () => false): NodeExtents {
  const tracked = (n: Konva.Node) => {
    const parent = n.getParent();
    return n.nodeType === 'Group' && parent !== null && parent.nodeType === 'Layer' && (n.name() === CARD_NAME || n.name() === ARROW_NAME);
  };
  return {
    ownerOf(node) {
      // Cards and arrows are a few levels deep at most; stop at the layer.
      for (let n: Konva.Node | null = node; n && n.nodeType !== 'Layer' && n.nodeType !== 'Stage'; n = n.getParent()) {
        if (tracked(n)) return n;
      }
      return null;
    },
    extentOf(owner, zoom) {
      if (owner.scaleX() !== 1 || owner.scaleY() !== 1 || owner.rotation() !== 0 || owner.offsetX() !== 0 || owner.offsetY() !== 0) return null;
      if (owner.name() === CARD_NAME) return cardExtent({ x: owner.x(), y: owner.y(), w: owner.width(), h: owner.height() }, zoom);
      if (owner.name() !== ARROW_NAME || owner.x() !== 0 || owner.y() !== 0) return null;
      const line = (owner as Konva.Group).getChildren()[0];
      if (!line || line.name() !== 'dep-arrow') return null;
      return arrowExtent((line as Konva.Arrow).points(), zoom);
    },
    all(layer) {
      return layer.getChildren(tracked);
    },
    // Card and arrow groups carry their entity's id (TaskCard, NoteShape, DependencyArrow).
    alwaysHidden: (owner) => hiddenId(owner.id()),
  };
}

function grow(r: Box, by: number): Box {
  return { x: r.x - by, y: r.y - by, w: r.w + 2 * by, h: r.h + 2 * by };
}
