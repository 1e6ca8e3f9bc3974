import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask } from '../../shared/doc/ops.ts';
import { initBoardDocument } from '../../shared/doc/init.ts';
import { BoardModel } from '../../client/canvas/boardModel.ts';
import { createCanvasStore } from '../../client/canvas/store.ts';
import { AUTO_FIT_INSETS, CanvasAutoFit, IMPORT_WAIT_MS } from '../../client/canvas/autoFit.ts';
import { fitWithin, visibleRect, type Rect } from '../../client/canvas/viewport.ts';
import { forgetCanvasViews, hasRememberedViewport, rememberCanvasView, rememberedCanvasView } from '../../client/canvas/viewMemory.ts';
import { barSpan, revealSpan } from '../../client/views/timeline/scrollToTask.ts';
import { makeAxis } from '../../client/views/timeline/timeScale.ts';

const SIZE = { width: 1000, height: 700 };

/** The canvas rect inside the insets, in canvas units, for a viewport. */
function clearArea(vp: { x: number; y: number; zoom: number }): Rect {
  const r = visibleRect(vp, SIZE);
  const i = AUTO_FIT_INSETS;
  return { x: r.x + i.left / vp.zoom, y: r.y + i.top / vp.zoom, w: r.w - (i.left + i.right) / vp.zoom, h: r.h - (i.top + i.bottom) / vp.zoom };
}

function contains(outer: Rect, inner: Rect): boolean {
  const eps = 1e-6;
  return inner.x >= outer.x - eps && inner.y >= outer.y - eps && inner.x + inner.w <= outer.x + outer.w + eps && inner.y + inner.h <= outer.y + outer.h + eps;
}

describe('fitWithin (zoom to fit, clear of the floating toolbar)', () => {
  it('centres small content in the area below the top inset, without zooming in past 100%', () => {
    const vp = fitWithin({ x: 0, y: 0, w: 200, h: 100 }, { width: 800, height: 600 }, { top: 100, right: 0, bottom: 0, left: 0 });
    expect(vp).toEqual({ zoom: 1, x: 300, y: 300 });
  });

  it('zooms out so large content fits inside the insets', () => {
    const bounds = { x: -500, y: 0, w: 4000, h: 300 };
    const vp = fitWithin(bounds, SIZE, AUTO_FIT_INSETS);
    expect(vp.zoom).toBeCloseTo((1000 - 96) / 4000);
    expect(contains(clearArea(vp), bounds)).toBe(true);
  });

  it('content at y = 0 ends up below the toolbar, not under it', () => {
    const bounds = { x: 0, y: 0, w: 1400, h: 120 };
    const vp = fitWithin(bounds, SIZE, AUTO_FIT_INSETS);
    expect(vp.y).toBeGreaterThanOrEqual(AUTO_FIT_INSETS.top);
  });
});

describe('revealSpan (timeline "Scroll to Task")', () => {
  const view = { scrollLeft: 1000, width: 800, maxScroll: 10_000 };
  it.each([
    ['a bar fully on screen needs no scroll', 1200, 1400, null],
    ['a bar far to the right is centred', 5000, 5200, 4700],
    ['a bar far to the left is centred (here: the chart start)', 100, 300, 0],
    ['a bar cut off at the right edge scrolls just enough (plus the margin)', 1700, 1900, 1900 + 48 - 800],
    ['a bar cut off at the left edge scrolls just enough (plus the margin)', 950, 1100, 950 - 48],
    ['a bar wider than the view whose start is on screen needs no scroll', 1100, 4000, null],
    ['a bar wider than the view whose start is off screen shows its start', 3000, 9000, 3000 - 48],
  ] as const)('%s', (_name, start, end, expected) => {
    const result = revealSpan(view, start, end);
    expect(result).toBe(expected === null ? null : Math.max(0, expected));
    if (result !== null && end - start <= view.width - 96) {
      // Afterwards the whole bar is on screen.
      expect(start).toBeGreaterThanOrEqual(result);
      expect(end).toBeLessThanOrEqual(result + view.width);
    }
  });

  it('never scrolls past the end of the chart', () => {
    expect(revealSpan({ scrollLeft: 0, width: 800, maxScroll: 2000 }, 2700, 2750)).toBe(2000);
  });

  it('measures bars the way the chart draws them', () => {
    const axis = makeAxis('day', '2026-01-05', '2026-03-01');
    const bar = barSpan(axis, { start: '2026-02-02', finish: '2026-02-06', milestone: false, summary: false });
    expect(bar.end - bar.start).toBe(5 * axis.pxPerDay);
    const milestone = barSpan(axis, { start: '2026-02-02', finish: '2026-02-02', milestone: true, summary: false });
    expect(milestone.end - milestone.start).toBe(16);
  });
});

describe('remembered canvas view (survives a tab switch)', () => {
  afterEach(() => forgetCanvasViews());

  it('a new store for the same board starts where the last one was left', () => {
    const first = createCanvasStore(rememberedCanvasView('b1'));
    const stop = rememberCanvasView('b1', first);
    expect(hasRememberedViewport('b1')).toBe(false);
    first.getState().setViewport({ x: -340, y: 120, zoom: 0.5 });
    first.getState().toggleSnap();
    first.getState().setTool('hand');
    stop(); // the canvas unmounts (tab switch)
    const second = createCanvasStore(rememberedCanvasView('b1'));
    expect(second.getState().viewport).toEqual({ x: -340, y: 120, zoom: 0.5 });
    expect(second.getState().snapToGrid).toBe(true);
    expect(second.getState().tool).toBe('hand');
    expect(hasRememberedViewport('b1')).toBe(true);
    // Another board is not affected.
    expect(createCanvasStore(rememberedCanvasView('b2')).getState().viewport).toEqual({ x: 0, y: 0, zoom: 1 });
  });

  it('a transient tool is not picked up again', () => {
    const store = createCanvasStore();
    const stop = rememberCanvasView('b1', store);
    store.getState().setTool('laser');
    stop();
    expect(rememberedCanvasView('b1').tool).toBe('select');
  });
});

describe('CanvasAutoFit', () => {
  function setup(opts: { loaded?: boolean; following?: boolean; fitOnOpen?: boolean } = {}) {
    const doc = new Y.Doc();
    if (opts.loaded !== false) initBoardDocument(doc, 'Plan', '2026-01-05T00:00:00.000Z');
    const model = new BoardModel(doc);
    model.start();
    const store = createCanvasStore();
    let size = { width: 0, height: 0 };
    let now = 0;
    const fit = new CanvasAutoFit({
      doc,
      model,
      store,
      size: () => size,
      following: () => opts.following ?? false,
      fitOnOpen: opts.fitOnOpen ?? true,
      now: () => now,
    });
    return {
      doc,
      model,
      store,
      fit,
      measure: () => {
        size = SIZE;
        fit.sizeChanged();
      },
      advance: (ms: number) => (now += ms),
    };
  }

  it('on open, fits the loaded content once the stage is measured, clear of the toolbar', () => {
    const { doc, store, measure } = setup();
    createTask(doc, { x: 0, y: 0, w: 240, h: 120 });
    createTask(doc, { x: 2800, y: 0, w: 240, h: 120 });
    expect(store.getState().viewport).toEqual({ x: 0, y: 0, zoom: 1 }); // not measured yet
    measure();
    const vp = store.getState().viewport;
    expect(vp.zoom).toBeLessThan(1);
    expect(contains(clearArea(vp), { x: 0, y: 0, w: 3040, h: 120 })).toBe(true);
  });

  it('waits for the document to load, then fits what arrived', () => {
    const { doc, store, measure } = setup({ loaded: false });
    measure();
    expect(store.getState().viewport).toEqual({ x: 0, y: 0, zoom: 1 });
    const server = new Y.Doc();
    initBoardDocument(server, 'Plan', '2026-01-05T00:00:00.000Z');
    createTask(server, { x: 500, y: 400, w: 240, h: 120 });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), 'provider');
    const vp = store.getState().viewport;
    expect(vp.zoom).toBe(1);
    expect(contains(clearArea(vp), { x: 500, y: 400, w: 240, h: 120 })).toBe(true);
  });

  it('fits only once: content added later does not move the view', () => {
    const { doc, store, measure } = setup();
    measure(); // an empty board: nothing to fit, the decision is made
    createTask(doc, { x: 3000, y: 3000, w: 240, h: 120 });
    expect(store.getState().viewport).toEqual({ x: 0, y: 0, zoom: 1 });
  });

  it('does not fit when the canvas was positioned before (a tab switch back) or while following', () => {
    for (const opts of [{ fitOnOpen: false }, { following: true }]) {
      const { doc, store, measure } = setup(opts);
      createTask(doc, { x: 3000, y: 3000, w: 240, h: 120 });
      measure();
      expect(store.getState().viewport).toEqual({ x: 0, y: 0, zoom: 1 });
    }
  });

  it('does not override a viewport the user (or follow mode) set before the fit could run', () => {
    const { doc, store, measure } = setup();
    createTask(doc, { x: 3000, y: 3000, w: 240, h: 120 });
    store.getState().setViewport({ x: 10, y: 20, zoom: 2 });
    measure();
    expect(store.getState().viewport).toEqual({ x: 10, y: 20, zoom: 2 });
  });

  it('after an import, fits the imported shapes only', () => {
    const { doc, store, fit, measure } = setup({ fitOnOpen: false });
    measure();
    const old = createTask(doc, { x: -5000, y: -5000, w: 240, h: 120 });
    const before = new Set([old]);
    createTask(doc, { x: 0, y: 0, w: 240, h: 120 });
    createTask(doc, { x: 0, y: 1200, w: 240, h: 120 });
    fit.imported({ before, applied: true });
    const area = clearArea(store.getState().viewport);
    expect(contains(area, { x: 0, y: 0, w: 240, h: 1320 })).toBe(true);
    expect(contains(area, { x: -5000, y: -5000, w: 240, h: 120 })).toBe(false);
  });

  it('after a server-side import, waits for the imported shapes to arrive over sync', () => {
    const { doc, store, fit, measure, advance } = setup({ fitOnOpen: false });
    measure();
    fit.imported({ before: new Set(), applied: false });
    expect(store.getState().viewport).toEqual({ x: 0, y: 0, zoom: 1 });
    advance(1000);
    createTask(doc, { x: 4000, y: 4000, w: 240, h: 120 });
    expect(contains(clearArea(store.getState().viewport), { x: 4000, y: 4000, w: 240, h: 120 })).toBe(true);
    // Only that import: later edits do not move the view.
    const vp = store.getState().viewport;
    createTask(doc, { x: -9000, y: 0, w: 240, h: 120 });
    expect(store.getState().viewport).toBe(vp);
    expect(IMPORT_WAIT_MS).toBeGreaterThan(1000);
  });

  it('stops listening when destroyed', () => {
    const { doc, store, fit } = setup();
    fit.destroy();
    createTask(doc, { x: 4000, y: 4000, w: 240, h: 120 });
    fit.sizeChanged();
    expect(store.getState().viewport).toEqual({ x: 0, y: 0, zoom: 1 });
  });
});
