import { describe, expect, it } from 'vitest';
import { dateRangeProblem } from './dateRange.ts';

describe('dateRangeProblem', () => {
  it.each([
    ['', '', null],
    ['2026-01-05', '', null],
    ['', '2026-01-05', null],
    ['2026-01-05', '2026-01-05', null],
    ['2026-01-05', '2026-02-01', null],
  ])('accepts %j..%j', (start, end, expected) => {
    expect(dateRangeProblem(start, end)).toBe(expected);
  });
  it('refuses an end before the start', () => {
    expect(dateRangeProblem('2026-02-01', '2026-01-31')).toMatch(/end date/);
  });
});
