import { describe, expect, it } from 'vitest';
import { arrowPoints, arrowToPoint, borderPoint, rectsIntersect } from './geometry.ts';

const A = { x: 0, y: 0, w: 100, h: 50 };

describe('arrow geometry', () => {
  it('leaves the card on the side facing the target', () => {
    expect(borderPoint(A, { x: 500, y: 25 })).toEqual({ x: 100, y: 25 });
    expect(borderPoint(A, { x: -500, y: 25 })).toEqual({ x: 0, y: 25 });
    expect(borderPoint(A, { x: 50, y: 500 })).toEqual({ x: 50, y: 50 });
    expect(borderPoint(A, { x: 50, y: -500 })).toEqual({ x: 50, y: 0 });
  });

  it('a diagonal ray hits the nearer border', () => {
    const p = borderPoint(A, { x: 150, y: 125 }); // direction (100, 100) from the centre (50, 25)
    expect(p.x).toBeCloseTo(75);
    expect(p.y).toBeCloseTo(50);
  });

  it('connects two cards edge to edge, and follows when one moves', () => {
    const B = { x: 300, y: 0, w: 100, h: 50 };
    expect(arrowPoints(A, B)).toEqual([100, 25, 300, 25]);
    const movedB = { ...B, x: 0, y: 200 };
    expect(arrowPoints(A, movedB)).toEqual([50, 50, 50, 200]);
  });

  it('still draws between touching cards, not between deeply overlapping ones', () => {
    expect(arrowPoints(A, { x: 100, y: 30, w: 100, h: 50 })).not.toBeNull();
    expect(arrowPoints(A, { x: 10, y: 10, w: 100, h: 50 })).toBeNull();
  });

  it('preview to a free point starts at the border (or centre when inside)', () => {
    expect(arrowToPoint(A, { x: 300, y: 25 })).toEqual([100, 25, 300, 25]);
    expect(arrowToPoint(A, { x: 60, y: 30 })).toEqual([50, 25, 60, 30]);
  });

  it('rect intersection counts touching edges', () => {
    expect(rectsIntersect(A, { x: 100, y: 0, w: 1, h: 1 })).toBe(true);
    expect(rectsIntersect(A, { x: 101, y: 0, w: 1, h: 1 })).toBe(false);
  });
});
