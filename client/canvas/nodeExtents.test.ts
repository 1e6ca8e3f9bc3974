import { describe, expect, it } from 'vitest';
import { arrowExtent, cardExtent, mergeOverlapping } from './nodeExtents.ts';
import { planPanFrame } from './panFrame.ts';

describe('cardExtent', () => {
  it('grows the box by 12 screen pixels plus a note shadow (canvas units)', () => {
    // zoom 0.5: 12 px = 24 canvas units, + 12 for the shadow = 36.
    expect(cardExtent({ x: 100, y: 50, w: 180, h: 90 }, 0.5)).toEqual({ x: 64, y: 14, w: 252, h: 162 });
    expect(cardExtent({ x: 0, y: 0, w: 10, h: 10 }, 2)).toEqual({ x: -18, y: -18, w: 46, h: 46 });
  });

  it('has no extent for values it cannot place', () => {
    expect(cardExtent({ x: Number.NaN, y: 0, w: 1, h: 1 }, 1)).toBeNull();
    expect(cardExtent({ x: 0, y: 0, w: 1, h: 1 }, 0)).toBeNull();
    expect(cardExtent({ x: 0, y: 0, w: Infinity, h: 1 }, 1)).toBeNull();
  });
});

describe('arrowExtent', () => {
  it('spans both end points, grown by the head and label reach plus 12 screen pixels', () => {
    // zoom 1: 60 + 12 = 72 on every side, whichever way the arrow points.
    expect(arrowExtent([300, 40, 100, 140], 1)).toEqual({ x: 28, y: -32, w: 344, h: 244 });
    expect(arrowExtent([100, 140, 300, 40], 1)).toEqual(arrowExtent([300, 40, 100, 140], 1));
  });

  it('has no extent without four finite points', () => {
    expect(arrowExtent([0, 0, 1], 1)).toBeNull();
    expect(arrowExtent([0, 0, 1, Number.NaN], 1)).toBeNull();
    expect(arrowExtent([0, 0, 1, 1], Number.NaN)).toBeNull();
  });
});

describe('mergeOverlapping', () => {
  it('merges chains of overlapping rectangles into their bounding box and keeps separate ones apart', () => {
    const merged = mergeOverlapping([
      { x: 0, y: 0, w: 10, h: 10 },
      { x: 100, y: 100, w: 5, h: 5 },
      { x: 8, y: 8, w: 10, h: 10 },
      { x: 17, y: 0, w: 3, h: 3 },
    ]);
    expect(merged).toEqual([
      { x: 0, y: 0, w: 20, h: 18 },
      { x: 100, y: 100, w: 5, h: 5 },
    ]);
  });

  it('returns copies, not the rectangles it was given', () => {
    const r = { x: 1, y: 2, w: 3, h: 4 };
    const [out] = mergeOverlapping([r]);
    expect(out).toEqual(r);
    expect(out).not.toBe(r);
  });
});

describe('a remote move of a mounted card', () => {
  it('redraws one rectangle covering where the card and its arrow were and are, not the layer', () => {
    const zoom = 0.5;
    // Card 180x90 moved 15 right and 10 down; its arrow to a card on its right moved with it.
    const before = cardExtent({ x: 260, y: 150, w: 180, h: 90 }, zoom)!;
    const after = cardExtent({ x: 275, y: 160, w: 180, h: 90 }, zoom)!;
    const arrowBefore = arrowExtent([440, 195, 520, 195], zoom)!;
    const arrowAfter = arrowExtent([455, 203, 520, 195], zoom)!;
    const dirty = mergeOverlapping([before, after, arrowBefore, arrowAfter]);
    expect(dirty).toHaveLength(1);
    const [r] = dirty;
    // Covers every pixel either card or arrow can paint, at both places...
    for (const e of [before, after, arrowBefore, arrowAfter]) {
      expect(r!.x).toBeLessThanOrEqual(e.x);
      expect(r!.y).toBeLessThanOrEqual(e.y);
      expect(r!.x + r!.w).toBeGreaterThanOrEqual(e.x + e.w);
      expect(r!.y + r!.h).toBeGreaterThanOrEqual(e.y + e.h);
    }
    // ...and the frame that follows draws just that area (snapped to device pixels), unshifted.
    const plan = planPanFrame({ drawn: { x: 0, y: 0, zoom }, now: { x: 0, y: 0, zoom }, pixelRatio: 1, size: { width: 1280, height: 800 }, dirty });
    if (plan.kind !== 'partial') throw new Error('expected a partial frame');
    expect(plan.shift).toEqual({ dx: 0, dy: 0 });
    expect(plan.areas).toHaveLength(1);
    expect(plan.areas[0]!.w * plan.areas[0]!.h).toBeLessThan((1280 / zoom) * (800 / zoom) * 0.1);
  });
});
