import type Konva from 'konva';
import type { DrawAreaEvent } from './panCache.ts';

/** Also drawn: this fraction of the view around it (strokes and rounding at the edges). */
const DRAW_MARGIN = 0.05;
/**
 * Screen pixels around a partial draw's strip whose cards are drawn too: what a card paints
 * outside its box (a sticky note's shadow, the outer half of a border) reaches into the strip.
 */
const STRIP_PAD_PX = 12;
/** Canvas units around an arrow's end points that its head and its type/lag label may cover. */
const ARROW_PAD = 60;
const NOTHING: ReadonlySet<string> = new Set();

/**
 * Draw culling, separate from mount culling: React keeps the cards and arrows of a margin around
 * the view mounted (so a pan does not re-render on every frame), but Konva would draw every
 * mounted card on every frame, text and all, though ~90 % of them are off screen. Before each draw
 * of the content layer this hides the card and arrow groups outside the view (and shows those that
 * came in), from the stage transform that frame is drawn with, so a frame costs what is on screen.
 * Hidden cards are off screen, so they are also off the hit canvas without changing what a click
 * finds. `pinned` cards (selected, edited) are never hidden: the transformer and drags use them.
 * A partial draw (panCache.ts: the strip a pan exposed) names its canvas rectangle in the event;
 * then what touches that rectangle is shown and nothing is hidden (the pan cache visits only the
 * children that touch it).
 * `retired` cards and arrows (full-detail nodes still mounted after a zoom-out: useRetiredDetail.ts)
 * are always hidden: the low-detail batches draw them.
 * Returns the unsubscribe function.
 */
export function bindDrawCulling(
  layer: Konva.Layer,
  cards: () => ReadonlyMap<string, Konva.Group>,
  arrows: () => ReadonlyMap<string, Konva.Group>,
  pinned: () => { has(id: string): boolean },
  retired: () => { has(id: string): boolean } = () => NOTHING,
): () => void {
  const cull = (event?: DrawAreaEvent) => {
    const stage = layer.getStage();
    if (!stage) return;
    const zoom = stage.scaleX() || 1;
    const area = event?.area;
    const w = area ? area.w : stage.width() / zoom;
    const h = area ? area.h : stage.height() / zoom;
    const padX = area ? STRIP_PAD_PX / zoom : w * DRAW_MARGIN;
    const padY = area ? STRIP_PAD_PX / zoom : h * DRAW_MARGIN;
    const x0 = (area ? area.x : -stage.x() / zoom) - padX;
    const y0 = (area ? area.y : -stage.y() / zoom) - padY;
    const x1 = x0 + w + 2 * padX;
    const y1 = y0 + h + 2 * padY;
    const keep = pinned();
    const gone = retired();
    // Only on a change: setting an attribute asks for another draw. A partial draw only shows what
    // touches its area (the pan cache draws only those children); hiding the rest would clear
    // Konva's cached state of every card on screen, and the next full-view cull would undo it.
    const show = (node: Konva.Group, want: boolean) => node.visible() !== want && (want || !area) && node.visible(want);
    for (const [id, node] of cards()) {
      // The group's own attributes: where a drag or resize preview has put it this frame.
      const x = node.x();
      const y = node.y();
      show(node, !gone.has(id) && (keep.has(id) || (x < x1 && y < y1 && x + node.width() > x0 && y + node.height() > y0)));
    }
    for (const [id, node] of arrows()) {
      // An arrow's extent is its points (moved by drag previews too), plus its head and label.
      const line = node.getChildren()[0];
      const p = line && line.name() === 'dep-arrow' ? (line as Konva.Arrow).points() : null;
      if (!p || p.length < 4) {
        show(node, !gone.has(id));
        continue;
      }
      const pad = ARROW_PAD;
      const inView = Math.min(p[0]!, p[2]!) - pad < x1 && Math.max(p[0]!, p[2]!) + pad > x0 && Math.min(p[1]!, p[3]!) - pad < y1 && Math.max(p[1]!, p[3]!) + pad > y0;
      show(node, !gone.has(id) && (keep.has(id) || inView));
    }
  };
  // Konva hands the fired event object through, with the partial draw's area when there is one.
  layer.on('beforeDraw.drawCulling', (e) => cull(e as unknown as DrawAreaEvent));
  return () => {
    layer.off('beforeDraw.drawCulling');
    for (const map of [cards(), arrows()]) for (const node of map.values()) if (!node.visible()) node.visible(true);
  };
}
