import { describe, expect, it } from 'vitest';
import { dotGridStyle, gridSpacing } from './dotGrid.ts';
import { GRID_SIZE } from './store.ts';

describe('dotGridStyle', () => {
  it('puts the dots where a background at (vp.x, vp.y) would, moved by a transform only', () => {
    const step = gridSpacing(1);
    expect(step).toBe(GRID_SIZE);
    for (const x of [0, 7.5, -13.25, 3 * step + 2]) {
      const style = dotGridStyle({ x, y: -x, zoom: 1 });
      const [tx, ty] = /translate\((-?[\d.]+)px, (-?[\d.]+)px\)/.exec(style.transform)!.slice(1).map(Number) as [number, number];
      // The element starts one step up and left of the canvas, so it covers it whatever the offset.
      expect(tx).toBeLessThan(0);
      expect(tx).toBeGreaterThanOrEqual(-step);
      // A dot at tx + k * step for whole k lands on x + m * step.
      expect((((tx - x) % step) + step) % step).toBeCloseTo(0);
      expect((((ty + x) % step) + step) % step).toBeCloseTo(0);
    }
  });

  it('coarsens the spacing when zoomed out and sizes the element one step beyond the canvas', () => {
    const style = dotGridStyle({ x: 0, y: 0, zoom: 0.05 });
    const step = gridSpacing(0.05);
    expect(step).toBeGreaterThanOrEqual(12);
    expect(style.backgroundSize).toBe(`${step}px ${step}px`);
    expect(style.width).toBe(`calc(100% + ${2 * step}px)`);
  });

  it('stays finite on a viewport it cannot use', () => {
    const style = dotGridStyle({ x: Number.NaN, y: Infinity, zoom: 0 });
    expect(style.transform).not.toMatch(/NaN|Infinity/);
    expect(style.backgroundSize).not.toMatch(/NaN|Infinity/);
  });
});
