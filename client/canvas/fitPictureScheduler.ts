import type Konva from 'konva';
import type { LinkTone } from '../plan/cardInfo.ts';
import type { BoardModel } from './boardModel.ts';
import type { CanvasStore } from './store.ts';
import type { FitPicture } from './fitPicture.ts';
import { cullRect } from './culling.ts';
import { detailFor } from './lod.ts';
import { mountedItems } from './mountedItems.ts';
import { zoomToFitView, type Size } from './viewport.ts';
import { whenIdle } from './idle.ts';

/** How long the board, the selection and the view must stay unchanged before the picture is stroked. */
export const FIT_PICTURE_QUIET_MS = 150;
/** Fewer low-detail cards and arrows than this at the fit view: painting them in the fit frame is cheap enough. */
export const FIT_PICTURE_MIN_ITEMS = 1000;
/**
 * Idle time an idle callback must still have to start painting (a browser's idle period is at
 * most 50 ms): painting one bitmap takes up to ~50 ms at 10k tasks and cannot be interrupted, so
 * it starts only at the beginning of a long idle period, never on the timeout of a busy page.
 */
export const FIT_PICTURE_MIN_IDLE_MS = 40;
/**
 * Canvases larger than this (device pixels; 2560 x 1600, a 1280 x 800 view at pixel ratio 2) get
 * no picture: two bitmaps of the canvas's size would cost 4 bytes a pixel each, for good.
 */
export const FIT_PICTURE_MAX_PIXELS = 2560 * 1600;

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
  /** Runs `paint` at the start of a long enough idle period (optional work: no timeout). */
  const inIdleTime = (paint: () => void) => {
    cancelIdle = whenIdle((deadline) => {
      cancelIdle = null;
      if (deadline && (deadline.didTimeout || deadline.timeRemaining() < FIT_PICTURE_MIN_IDLE_MS)) return inIdleTime(paint);
      paint();
    });
  };
  const poke = () => {
    cancel();
    timer = setTimeout(() => {
      timer = null;
      inIdleTime(update);
    }, FIT_PICTURE_QUIET_MS);
  };

  const update = () => {
    const { model, store, picture } = deps;
    const layer = deps.layer();
    const size = deps.size();
    if (!layer || size.width <= 0 || size.height <= 0) return;
    const canvas = layer.getCanvas();
    if (canvas.width * canvas.height > FIT_PICTURE_MAX_PIXELS) return picture.clear();
    // The view the `view.zoomToFit` action shows (the picture is used only if they match exactly).
    const fit = zoomToFitView(model.bounds(), size);
    const { viewport, selection } = store.getState();
    const tones = deps.tones();
    const ratio = canvas.getPixelRatio();
    const key = fit ? `${fit.x},${fit.y},${fit.zoom}|${canvas.width}x${canvas.height}@${ratio}` : '';
    if (stroked && stroked.version === model.version && stroked.selection === selection && stroked.tones === tones && stroked.key === key) return;
    // No fit view, or one in full detail: no picture to keep (its bitmaps are memory).
    if (!fit || detailFor(fit.zoom) !== 'low') return picture.clear();
    // On screen now: the layer draws it as usual (and a pan away pokes again).
    if (viewport.x === fit.x && viewport.y === fit.y && viewport.zoom === fit.zoom) return;
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
    inIdleTime(() => {
      picture.renderArrows(links, tones, matrix, canvas.width, canvas.height);
      stroked = painted;
    });
  };

  // The user starting something (a press, a key, the wheel) cancels painting that has not
  // started yet, so it does not begin just as their first frame is due.
  const interaction = () => {
    if (timer !== null || cancelIdle !== null) poke();
  };
  const events = ['pointerdown', 'keydown', 'wheel'] as const;
  for (const type of events) window.addEventListener(type, interaction, { capture: true, passive: true });
  const unsubscribe = [deps.model.subscribe(poke), deps.store.subscribe(poke), () => {
    for (const type of events) window.removeEventListener(type, interaction, { capture: true });
  }];
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
