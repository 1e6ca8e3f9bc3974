import type Konva from 'konva';
import type { LinkTone } from '../plan/cardInfo.ts';
import type { BoardModel } from './boardModel.ts';
import type { CanvasStore } from './store.ts';
import type { FitPicture } from './fitPicture.ts';
import { cullRect } from './culling.ts';
import { detailFor } from './lod.ts';
import { mountedItems } from './mountedItems.ts';
import { fitBounds, unionRects, type Size } from './viewport.ts';
import { whenIdle } from './idle.ts';

/** How long the board, the selection and the view must stay unchanged before the picture is stroked. */
export const FIT_PICTURE_QUIET_MS = 150;
/** Fewer low-detail cards and arrows than this at the fit view: painting them in the fit frame is cheap enough. */
export const FIT_PICTURE_MIN_ITEMS = 1000;

export interface FitPictureDeps {
  model: BoardModel;
  store: CanvasStore;
  picture: FitPicture;
  /** The content layer (its canvas's size and pixel ratio), null before the stage exists. */
  layer(): Konva.Layer | null;
  size(): Size;
  tones(): ReadonlyMap<string, LinkTone>;
}

/**
 * Keeps the fit picture (fitPicture.ts) up to date: once the board, the selection and the view
 * have been still for FIT_PICTURE_QUIET_MS, in idle time, the low-detail batches of the view that
 * zoom to fit (Shift+1, the fit button: `view.zoomToFit`) would show are stroked into it, so that
 * action's frame copies two bitmaps instead of rasterizing thousands of rectangles and strokes
 * (painted in two idle callbacks, so neither is one long task). Nothing is stroked
 * while anything keeps changing (a pan, a stream of remote edits), when the fit view is already on
 * screen, or when it would show its cards in full detail or only a few arrows. Returns `poke`
 * (call it when something the picture depends on changed outside the model and the store: the
 * stage size, the link tones) and `destroy`.
 */
export function keepFitPicture(deps: FitPictureDeps): { poke(): void; destroy(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let cancelIdle: (() => void) | null = null;
  /** What the picture was last stroked from (or found not needed for). */
  let stroked: { version: number; selection: ReadonlySet<string>; tones: ReadonlyMap<string, LinkTone>; key: string } | null = null;

  const cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    cancelIdle?.();
    cancelIdle = null;
  };
  const poke = () => {
    cancel();
    timer = setTimeout(() => {
      timer = null;
      cancelIdle = whenIdle(() => {
        cancelIdle = null;
        update();
      }, 1000);
    }, FIT_PICTURE_QUIET_MS);
  };

  const update = () => {
    const { model, store, picture } = deps;
    const layer = deps.layer();
    const size = deps.size();
    if (!layer || size.width <= 0 || size.height <= 0) return;
    // The same view as the `view.zoomToFit` action computes (client/actions/registry.ts); if the
    // two ever differ, the picture is simply not used.
    const bounds = unionRects([...model.tasks.values(), ...model.notes.values()]);
    const fit = bounds ? fitBounds(bounds, size) : null;
    const { viewport, selection } = store.getState();
    const tones = deps.tones();
    const canvas = layer.getCanvas();
    const ratio = canvas.getPixelRatio();
    const key = fit ? `${fit.x},${fit.y},${fit.zoom}|${canvas.width}x${canvas.height}@${ratio}` : '';
    if (stroked && stroked.version === model.version && stroked.selection === selection && stroked.tones === tones && stroked.key === key) return;
    // On screen now: the layer draws it as usual (and a pan away pokes again).
    if (!fit || detailFor(fit.zoom) !== 'low' || (viewport.x === fit.x && viewport.y === fit.y && viewport.zoom === fit.zoom)) return;
    const painted = { version: model.version, selection, tones, key };
    stroked = null;
    const { visible, arrows } = mountedItems(model, cullRect(fit, size), [...selection]);
    // As ShapeList batches them: the selected cards and links are drawn as nodes of their own.
    const cards = visible.filter((s) => !selection.has(s.id));
    const links = arrows.filter((a) => !selection.has(a.dep.id));
    if (cards.length + links.length < FIT_PICTURE_MIN_ITEMS) {
      stroked = painted;
      return picture.clear();
    }
    const matrix = [ratio * fit.zoom, 0, 0, ratio * fit.zoom, ratio * fit.x, ratio * fit.y] as const;
    picture.renderCards(cards, matrix, canvas.width, canvas.height);
    // The arrows in an idle callback of their own: two shorter tasks (at 10k tasks ~25 and ~50 ms)
    // instead of one that a frame could wait for. A change meanwhile cancels it (poke) and the
    // next update paints both again.
    cancelIdle = whenIdle(() => {
      cancelIdle = null;
      picture.renderArrows(links, tones, matrix, canvas.width, canvas.height);
      stroked = painted;
    }, 1000);
  };

  const unsubscribe = [deps.model.subscribe(poke), deps.store.subscribe(poke)];
  poke();
  return {
    poke,
    destroy() {
      cancel();
      for (const off of unsubscribe) off();
      deps.picture.clear();
    },
  };
}
