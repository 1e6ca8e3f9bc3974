import { describe, expect, it } from 'vitest';
import { cullRect } from './culling.ts';
import { visibleRect } from './viewport.ts';

const size = { width: 1200, height: 800 };

function contains(outer: { x: number; y: number; w: number; h: number }, inner: typeof outer): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}

describe('cullRect', () => {
  it('always covers the visible rectangle with a margin', () => {
    for (const vp of [
      { x: 0, y: 0, zoom: 1 },
      { x: -5000, y: 300, zoom: 0.05 },
      { x: 12345, y: -999, zoom: 4 },
    ]) {
      const view = visibleRect(vp, size);
      const cull = cullRect(vp, size);
      expect(contains(cull, view)).toBe(true);
      expect(cull.w).toBeGreaterThan(view.w);
    }
  });

  it('stays the same across small pans, so the shape list is not rebuilt per wheel event', () => {
    const base = cullRect({ x: 0, y: 0, zoom: 1 }, size);
    let same = 0;
    for (let dx = 0; dx < 200; dx += 10) if (JSON.stringify(cullRect({ x: -dx, y: 0, zoom: 1 }, size)) === JSON.stringify(base)) same++;
    expect(same).toBeGreaterThan(10);
  });
});
