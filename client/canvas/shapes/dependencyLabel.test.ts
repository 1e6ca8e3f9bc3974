import { describe, expect, it } from 'vitest';
import { dependencyLabel } from './dependencyLabel.ts';

describe('dependencyLabel (the label on a dependency arrow)', () => {
  it.each([
    ['FS', 0, null],
    ['SS', 2, 'SS +2d'],
    ['FS', 3, 'FS +3d'],
    ['FS', -1, 'FS −1d'],
    ['FF', 0, 'FF'],
    ['SF', 0.5, 'SF +0.5d'],
  ] as const)('%s with lag %d -> %j', (type, lag, expected) => {
    expect(dependencyLabel({ type, lag })).toBe(expected);
  });
});
