import { describe, expect, it } from 'vitest';
import { formatTaskDates } from './taskDates.ts';

const NOW = new Date(2026, 5, 15); // 15 June 2026, local time

describe('formatTaskDates (the dates line of a task card)', () => {
  it.each([
    ['both dates this year', '2026-12-01', '2026-12-05', 'Dec 1 – Dec 5'],
    ['only a start', '2026-12-01', '', 'Dec 1'],
    ['only an end', '', '2026-12-05', 'Dec 5'],
    ['the same day twice', '2026-03-09', '2026-03-09', 'Mar 9'],
    ['nothing set', '', '', ''],
    ['an end in another year', '2026-12-28', '2027-01-03', 'Dec 28 – Jan 3, 2027'],
    ['both in another year', '2025-01-01', '2025-02-28', 'Jan 1, 2025 – Feb 28, 2025'],
    ['a single date in another year', '', '2024-02-29', 'Feb 29, 2024'],
    ['the first and last day of the year (no time-zone shift)', '2026-01-01', '2026-12-31', 'Jan 1 – Dec 31'],
  ])('%s: %j..%j -> %j', (_what, start, end, expected) => {
    expect(formatTaskDates(start, end, NOW, 'en-US')).toBe(expected);
  });

  it('shows what a foreign client wrote when it is not an ISO day', () => {
    expect(formatTaskDates('next week', '', NOW, 'en-US')).toBe('next week');
    expect(formatTaskDates('2026-02-30', '2026-13-01', NOW, 'en-US')).toBe('2026-02-30 – 2026-13-01');
  });

  it("follows the viewer's locale", () => {
    expect(formatTaskDates('2026-12-01', '2026-12-05', NOW, 'de-DE')).toBe('1. Dez. – 5. Dez.');
  });
});
