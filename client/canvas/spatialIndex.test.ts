import { describe, expect, it } from 'vitest';
import { SpatialIndex } from './spatialIndex.ts';

describe('SpatialIndex', () => {
  it('finds what intersects a rectangle and what is under a point', () => {
    const index = new SpatialIndex();
    index.upsert('a', { x: 0, y: 0, w: 100, h: 100 });
    index.upsert('b', { x: 500, y: 500, w: 50, h: 50 });
    expect(index.search({ x: 50, y: 50, w: 10, h: 10 })).toEqual(['a']);
    expect(index.search({ x: -1000, y: -1000, w: 3000, h: 3000 }).sort()).toEqual(['a', 'b']);
    expect(index.at(520, 520)).toEqual(['b']);
    expect(index.at(300, 300)).toEqual([]);
  });

  it('moves and removes entries incrementally', () => {
    const index = new SpatialIndex();
    index.upsert('a', { x: 0, y: 0, w: 10, h: 10 });
    index.upsert('a', { x: 1000, y: 1000, w: 10, h: 10 });
    expect(index.size).toBe(1);
    expect(index.at(5, 5)).toEqual([]);
    expect(index.at(1005, 1005)).toEqual(['a']);
    index.remove('a');
    index.remove('missing');
    expect(index.size).toBe(0);
    expect(index.at(1005, 1005)).toEqual([]);
  });

  it('answers viewport queries over thousands of shapes', () => {
    const index = new SpatialIndex();
    for (let i = 0; i < 5000; i++) index.upsert(`s${i}`, { x: (i % 100) * 300, y: Math.floor(i / 100) * 200, w: 220, h: 110 });
    const hits = index.search({ x: 0, y: 0, w: 1000, h: 600 });
    // columns 0..3 (x 0, 300, 600, 900) and rows 0..3 (y 0, 200, 400, 600)
    expect(hits.length).toBe(16);
  });
});
