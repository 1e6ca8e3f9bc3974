import { describe, expect, it } from 'vitest';
import { canvasToScreen, fitBounds, panBy, rectFromPoints, screenToCanvas, snap, unionRects, visibleRect, wheelZoomFactor, zoomAround } from './viewport.ts';
import { MAX_ZOOM, MIN_ZOOM } from './store.ts';

describe('viewport math', () => {
  it('converts canvas <-> screen both ways', () => {
    const vp = { x: 100, y: -50, zoom: 2 };
    expect(canvasToScreen(vp, { x: 10, y: 20 })).toEqual({ x: 120, y: -10 });
    expect(screenToCanvas(vp, { x: 120, y: -10 })).toEqual({ x: 10, y: 20 });
  });

  it('zooming around a point keeps the canvas point under it fixed', () => {
    const vp = { x: 37, y: -12, zoom: 0.8 };
    const anchor = { x: 400, y: 300 };
    const before = screenToCanvas(vp, anchor);
    for (const zoom of [0.1, 0.5, 1, 3.3]) {
      const next = zoomAround(vp, zoom, anchor);
      const after = screenToCanvas(next, anchor);
      expect(after.x).toBeCloseTo(before.x, 9);
      expect(after.y).toBeCloseTo(before.y, 9);
    }
  });

  it('clamps zoom to the store limits', () => {
    expect(zoomAround({ x: 0, y: 0, zoom: 1 }, 1000, { x: 0, y: 0 }).zoom).toBe(MAX_ZOOM);
    expect(zoomAround({ x: 0, y: 0, zoom: 1 }, 0, { x: 0, y: 0 }).zoom).toBe(MIN_ZOOM);
  });

  it('wheel: up zooms in, down zooms out, one notch is bounded', () => {
    expect(wheelZoomFactor(-100)).toBeGreaterThan(1);
    expect(wheelZoomFactor(100)).toBeLessThan(1);
    expect(wheelZoomFactor(-1000)).toBe(wheelZoomFactor(-20));
    expect(wheelZoomFactor(-100)).toBeCloseTo(1.22, 2);
    expect(wheelZoomFactor(0)).toBe(1);
  });

  it('pans by a screen delta', () => {
    expect(panBy({ x: 1, y: 2, zoom: 3 }, 10, -5)).toEqual({ x: 11, y: -3, zoom: 3 });
  });

  it('visible rect is the canvas area the stage shows', () => {
    expect(visibleRect({ x: -200, y: 100, zoom: 2 }, { width: 800, height: 600 })).toEqual({ x: 100, y: -50, w: 400, h: 300 });
  });

  it('fit bounds centres the rectangle and never zooms past maxZoom', () => {
    const size = { width: 1000, height: 800 };
    const big = { x: 0, y: 0, w: 4000, h: 1000 };
    const vp = fitBounds(big, size, 50);
    expect(vp.zoom).toBeCloseTo(900 / 4000);
    const centre = canvasToScreen(vp, { x: 2000, y: 500 });
    expect(centre.x).toBeCloseTo(500);
    expect(centre.y).toBeCloseTo(400);
    expect(fitBounds({ x: 0, y: 0, w: 10, h: 10 }, size).zoom).toBe(1);
  });

  it('union, rect from points, snap', () => {
    expect(unionRects([])).toBeNull();
    expect(unionRects([{ x: 0, y: 0, w: 10, h: 10 }, { x: -5, y: 20, w: 5, h: 5 }])).toEqual({ x: -5, y: 0, w: 15, h: 25 });
    expect(rectFromPoints({ x: 10, y: 0 }, { x: 0, y: 10 })).toEqual({ x: 0, y: 0, w: 10, h: 10 });
    expect(snap(29, 20)).toBe(20);
    expect(snap(31, 20)).toBe(40);
    expect(snap(-11, 20)).toBe(-20);
  });
});
