import { describe, expect, it } from 'vitest';
import { ARROW_PAD, CARD_PAD, changedArrowRects, changedShapeRects, spanOf, touches } from './batchDiff.ts';

const card = (id: string, x: number, y: number) => ({ id, x, y, w: 240, h: 130 });
const grow = (r: { x: number; y: number; w: number; h: number }, by: number) => ({ x: r.x - by, y: r.y - by, w: r.w + 2 * by, h: r.h + 2 * by });

describe('changedShapeRects', () => {
  const a = card('a', 0, 0);
  const b = card('b', 300, 0);
  const c = card('c', 600, 0);

  it('is empty for the same list or the same objects', () => {
    const list = [a, b, c];
    expect(changedShapeRects(list, list, 8)).toEqual([]);
    expect(changedShapeRects(list, [a, b, c], 8)).toEqual([]);
  });

  it('gives where a moved card was and is, and where added and removed cards are', () => {
    const moved = card('b', 320, 10);
    const d = card('d', 900, 0);
    expect(changedShapeRects([a, b, c], [a, moved, d], 8)).toEqual([grow(b, CARD_PAD), grow(moved, CARD_PAD), grow(d, CARD_PAD), grow(c, CARD_PAD)]);
  });

  it('gives up (null) past the limit', () => {
    const before = Array.from({ length: 10 }, (_, i) => card(String(i), i * 300, 0));
    const after = before.map((s) => ({ ...s, x: s.x + 1 }));
    expect(changedShapeRects(before, after, 8)).toBeNull();
  });
});

describe('changedArrowRects', () => {
  const from = card('a', 0, 0);
  const to = card('b', 300, 200);
  const dep = { id: 'd1' };
  const other = { dep: { id: 'd2' }, from: card('x', 0, 1000), to: card('y', 300, 1000) };

  it('is empty when no link or end changed', () => {
    expect(changedArrowRects([{ dep, from, to }, other], [{ dep, from, to }, other], 8)).toEqual([]);
  });

  it('gives the old and new span of an arrow whose end moved', () => {
    const moved = card('b', 500, 400);
    expect(changedArrowRects([{ dep, from, to }, other], [{ dep, from, to: moved }, other], 8)).toEqual([
      grow(spanOf(from, to), ARROW_PAD),
      grow(spanOf(from, moved), ARROW_PAD),
    ]);
  });

  it('gives the span of a removed arrow', () => {
    expect(changedArrowRects([{ dep, from, to }, other], [other], 8)).toEqual([grow(spanOf(from, to), ARROW_PAD)]);
  });
});

describe('touches', () => {
  it('counts everything in a full draw and the padded overlap in a partial one', () => {
    const r = { x: 0, y: 0, w: 10, h: 10 };
    expect(touches(r, null, 0)).toBe(true);
    expect(touches(r, { x: 15, y: 0, w: 5, h: 5 }, 0)).toBe(false);
    expect(touches(r, { x: 15, y: 0, w: 5, h: 5 }, 5)).toBe(true);
  });
});
