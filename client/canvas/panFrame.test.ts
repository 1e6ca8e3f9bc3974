import { describe, expect, it } from 'vitest';
import { planPanFrame, type PanFrameInput } from './panFrame.ts';

const base = (over: Partial<PanFrameInput> = {}): PanFrameInput => ({
  drawn: { x: 10.25, y: -20, zoom: 0.5 },
  now: { x: 10.25, y: -20, zoom: 0.5 },
  pixelRatio: 1,
  size: { width: 1280, height: 800 },
  dirty: [],
  ...over,
});

describe('planPanFrame', () => {
  it('draws nothing when the stage has not moved and nothing changed', () => {
    expect(planPanFrame(base())).toEqual({ kind: 'partial', shift: { dx: 0, dy: 0 }, origin: { x: 10.25, y: -20 }, areas: [], inexact: false });
  });

  it('shifts by whole device pixels and draws the exposed column and row, in canvas units', () => {
    const plan = planPanFrame(base({ now: { x: 10.25 - 12, y: -20 + 5, zoom: 0.5 } }));
    expect(plan.kind).toBe('partial');
    if (plan.kind !== 'partial') return;
    expect(plan.shift).toEqual({ dx: -12, dy: 5 });
    expect(plan.inexact).toBe(false);
    // Moved left by 12 px: a 12 px column at the right; moved down by 5: a 5 px row at the top.
    const [column, row] = plan.areas;
    expect(column).toEqual({ x: (1268 - plan.origin.x) / 0.5, y: (0 - plan.origin.y) / 0.5, w: 24, h: 1600 });
    expect(row).toEqual({ x: (0 - plan.origin.x) / 0.5, y: (0 - plan.origin.y) / 0.5, w: 2560, h: 10 });
  });

  it('rounds a fractional pan and says the picture is not exact (a settle redraw follows)', () => {
    const plan = planPanFrame(base({ now: { x: 10.25 + 3.4, y: -20, zoom: 0.5 } }));
    if (plan.kind !== 'partial') throw new Error('expected a partial frame');
    expect(plan.shift).toEqual({ dx: 3, dy: 0 });
    expect(plan.origin.x).toBeCloseTo(13.25);
    expect(plan.inexact).toBe(true);
  });

  it('counts device pixels at a pixel ratio of 2', () => {
    const plan = planPanFrame(base({ pixelRatio: 2, size: { width: 2560, height: 1600 }, now: { x: 10.25 + 1.5, y: -20, zoom: 0.5 } }));
    if (plan.kind !== 'partial') throw new Error('expected a partial frame');
    expect(plan.shift).toEqual({ dx: 3, dy: 0 });
    expect(plan.origin.x).toBe(11.75);
    expect(plan.inexact).toBe(false);
  });

  it('redraws fully on a zoom change, a jump of half the view or more, or too many dirty rectangles', () => {
    expect(planPanFrame(base({ now: { x: 10.25, y: -20, zoom: 0.6 } })).kind).toBe('full');
    expect(planPanFrame(base({ now: { x: 10.25 + 641, y: -20, zoom: 0.5 } })).kind).toBe('full');
    expect(planPanFrame(base({ now: { x: 10.25, y: -20 - 401, zoom: 0.5 } })).kind).toBe('full');
    expect(planPanFrame(base({ dirty: null })).kind).toBe('full');
    expect(planPanFrame(base({ dirty: [{ x: 0, y: 0, w: Number.NaN, h: 1 }] })).kind).toBe('full');
  });

  it('snaps dirty rectangles outward to whole device pixels and clips them to the view', () => {
    const plan = planPanFrame(base({ drawn: { x: 0, y: 0, zoom: 0.5 }, now: { x: 0, y: 0, zoom: 0.5 }, dirty: [{ x: 101, y: 51, w: 10, h: 10 }, { x: 5000, y: 0, w: 10, h: 10 }, { x: -30, y: -30, w: 40, h: 40 }] }));
    if (plan.kind !== 'partial') throw new Error('expected a partial frame');
    // 101 * 0.5 = 50.5 -> 50; (111 * 0.5) = 55.5 -> 56 (screen px), back to canvas units.
    expect(plan.areas).toEqual([
      { x: 100, y: 50, w: 12, h: 12 },
      { x: 0, y: 0, w: 10, h: 10 },
    ]);
  });
});
