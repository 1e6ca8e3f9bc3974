import { describe, expect, it } from 'vitest';
import { compareZ, isValidZ, nKeysAbove, nKeysBelow, zAbove, zBelow } from '../../shared/schema/zorder.ts';

describe('fractional z-order', () => {
  it('puts a new key above or below every existing key', () => {
    const keys = ['a0', 'a5', 'Zz', 'b01'];
    expect(keys.every((k) => zAbove(keys) > k)).toBe(true);
    expect(keys.every((k) => zBelow(keys) < k)).toBe(true);
  });

  it('ignores unusable keys a peer wrote', () => {
    expect(zAbove(['a0', 'not valid!', ''])).toBe('a1');
    expect(isValidZ('zzz')).toBe(false);
    expect(isValidZ('a0')).toBe(true);
  });

  it('makes n ascending keys that keep a group in order', () => {
    const above = nKeysAbove(['a3'], 3);
    expect(above).toEqual([...above].sort());
    expect(above[0]! > 'a3').toBe(true);
    const below = nKeysBelow(['a3'], 2);
    expect(below[1]! < 'a3').toBe(true);
  });

  it('breaks ties between equal keys by id, the same on every client', () => {
    const shapes = [{ z: 'a1', id: 'b' }, { z: 'a1', id: 'a' }, { z: 'a0', id: 'z' }];
    expect([...shapes].sort(compareZ).map((s) => s.id)).toEqual(['z', 'a', 'b']);
  });
});
