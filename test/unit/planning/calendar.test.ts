import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkCalendar, epochDay, isoDate, weekday } from '../../../shared/planning/calendar.ts';
import type { CalendarSpec } from '../../../shared/planning/calendar.ts';

/**
 * WorkCalendar against a naive day-by-day reference: walk the days from the anchor and
 * number the working ones. Slow but obviously right, so it is the oracle for the examples.
 */
function naiveIsWorking(spec: CalendarSpec, day: number): boolean {
  const days = spec.workingDays.length > 0 ? spec.workingDays : [1, 2, 3, 4, 5];
  return days.includes(weekday(day)) && !spec.holidays.some((h) => epochDay(h) === day);
}

/** Map of working-day index -> epoch day over [from, to] (days), numbered from the anchor. */
function naiveIndexes(spec: CalendarSpec, anchorIso: string, from: number, to: number): Map<number, number> {
  const anchor = epochDay(anchorIso);
  let origin = anchor;
  while (!naiveIsWorking(spec, origin)) origin++;
  const out = new Map<number, number>();
  let index = 0;
  for (let day = origin; day <= to; day++) {
    if (naiveIsWorking(spec, day)) out.set(index++, day);
  }
  index = -1;
  for (let day = origin - 1; day >= from; day--) {
    if (naiveIsWorking(spec, day)) out.set(index--, day);
  }
  return out;
}

const MON_FRI = [1, 2, 3, 4, 5];

describe('epochDay / isoDate / weekday', () => {
  it('converts ISO dates and knows the weekday', () => {
    expect(epochDay('1970-01-01')).toBe(0);
    expect(epochDay('1969-12-31')).toBe(-1);
    expect(isoDate(epochDay('2028-02-29'))).toBe('2028-02-29');
    expect(weekday(epochDay('1970-01-01'))).toBe(4); // Thursday
    expect(weekday(epochDay('2026-01-05'))).toBe(1); // Monday
    expect(weekday(epochDay('2026-01-04'))).toBe(0); // Sunday
    expect(weekday(epochDay('1965-03-06'))).toBe(6); // a Saturday before 1970: negative epoch day
  });
});

describe('WorkCalendar', () => {
  it('matches the documented example (Christmas on a Friday, then a weekend)', () => {
    const cal = new WorkCalendar({ workingDays: MON_FRI, holidays: ['2026-12-25'] }, '2026-12-21');
    expect(cal.indexOnOrAfter(epochDay('2026-12-26'))).toBe(4);
    expect(isoDate(cal.dayOf(4))).toBe('2026-12-28');
    expect(cal.dateOf(3)).toBe('2026-12-24');
    expect(cal.dateOf(0)).toBe('2026-12-21');
  });

  it('round-trips index <-> date over several years with weekends and holidays', () => {
    const spec: CalendarSpec = {
      workingDays: MON_FRI,
      holidays: ['2026-01-01', '2026-04-03', '2026-12-25', '2027-01-01', '2027-12-24', '2028-02-29', '2029-07-04', '2026-01-10' /* a Saturday: no effect */],
    };
    const anchor = '2026-01-05';
    const cal = new WorkCalendar(spec, anchor);
    const from = epochDay('2025-06-01');
    const to = epochDay('2030-01-31');
    const reference = naiveIndexes(spec, anchor, from, to);
    expect(reference.size).toBeGreaterThan(1000);
    for (const [index, day] of reference) {
      expect(cal.dayOf(index)).toBe(day);
      expect(cal.indexOnOrAfter(day)).toBe(index);
      expect(cal.indexOnOrBefore(day)).toBe(index);
    }
    expect(cal.dateOf(0)).toBe('2026-01-05');
    expect(cal.dateOf(5)).toBe('2026-01-12');
    // 2028-02-29 (a Tuesday) is a holiday: the Monday before is followed by the Wednesday.
    const monday = cal.indexOnOrAfter(epochDay('2028-02-28'));
    expect(cal.dateOf(monday + 1)).toBe('2028-03-01');
  });

  it('indexOnOrAfter / indexOnOrBefore skip weekends and holidays in the right direction', () => {
    // Wednesday 2026-01-07 is a holiday. Indexes: Mon 5th 0, Tue 6th 1, Thu 8th 2, Fri 9th 3, Mon 12th 4.
    const cal = new WorkCalendar({ workingDays: MON_FRI, holidays: ['2026-01-07'] }, '2026-01-05');
    const at = (iso: string) => [cal.indexOnOrAfter(epochDay(iso)), cal.indexOnOrBefore(epochDay(iso))];
    expect(at('2026-01-06')).toEqual([1, 1]);
    expect(at('2026-01-07')).toEqual([2, 1]); // holiday: next is Thursday, previous Tuesday
    expect(at('2026-01-10')).toEqual([4, 3]); // Saturday
    expect(at('2026-01-11')).toEqual([4, 3]); // Sunday
    expect(at('2026-01-12')).toEqual([4, 4]);
    expect(at('2026-01-04')).toEqual([0, -1]); // Sunday before the anchor
    expect(at('2026-01-03')).toEqual([0, -1]); // Saturday before the anchor
    expect(cal.isWorkingDay(epochDay('2026-01-07'))).toBe(false);
    expect(cal.isWorkingDay(epochDay('2026-01-08'))).toBe(true);
  });

  it('gives negative indexes to working days before the anchor', () => {
    const spec: CalendarSpec = { workingDays: MON_FRI, holidays: ['2025-12-25', '2025-12-26', '2026-01-01'] };
    const cal = new WorkCalendar(spec, '2026-01-05');
    expect(cal.dateOf(-1)).toBe('2026-01-02'); // Friday
    expect(cal.dateOf(-2)).toBe('2025-12-31'); // Thursday 1st is a holiday
    expect(cal.dateOf(-3)).toBe('2025-12-30');
    expect(cal.dateOf(-5)).toBe('2025-12-24'); // 25th and 26th are holidays, then a weekend
    expect(cal.indexOnOrAfter(epochDay('2025-12-25'))).toBe(-4); // Monday 29th
    expect(cal.indexOnOrBefore(epochDay('2025-12-27'))).toBe(-5); // Wednesday 24th
    const reference = naiveIndexes(spec, '2026-01-05', epochDay('2023-01-01'), epochDay('2026-01-05'));
    for (const [index, day] of reference) {
      expect(cal.dayOf(index)).toBe(day);
      expect(cal.indexOnOrAfter(day)).toBe(index);
    }
  });

  it('supports a four-day week (Monday to Thursday)', () => {
    const spec: CalendarSpec = { workingDays: [1, 2, 3, 4], holidays: ['2026-01-08'] };
    const cal = new WorkCalendar(spec, '2026-01-05');
    // Mon 5 = 0, Tue 6 = 1, Wed 7 = 2, (Thu 8 holiday, Fri-Sun off), Mon 12 = 3 ... Thu 15 = 6, Mon 19 = 7.
    expect(cal.dateOf(2)).toBe('2026-01-07');
    expect(cal.dateOf(3)).toBe('2026-01-12');
    expect(cal.dateOf(6)).toBe('2026-01-15');
    expect(cal.dateOf(7)).toBe('2026-01-19');
    expect(cal.dateOf(-1)).toBe('2026-01-01'); // Thursday before
    expect(cal.indexOnOrAfter(epochDay('2026-01-16'))).toBe(7); // Friday is not worked
    expect(cal.isWorkingDay(epochDay('2026-01-09'))).toBe(false);
    const reference = naiveIndexes(spec, '2026-01-05', epochDay('2025-01-01'), epochDay('2028-01-01'));
    for (const [index, day] of reference) expect(cal.dayOf(index)).toBe(day);
    expect(cal.workingDaysBetween('2026-01-05', '2026-01-18')).toBe(7);
  });

  it('starts index 0 on the first working day after an anchor on a Saturday', () => {
    const spec: CalendarSpec = { workingDays: MON_FRI, holidays: ['2026-01-05'] };
    const cal = new WorkCalendar(spec, '2026-01-03'); // Saturday; Monday 5th is a holiday too
    expect(cal.dateOf(0)).toBe('2026-01-06');
    expect(isoDate(cal.origin)).toBe('2026-01-06');
    expect(cal.dateOf(-1)).toBe('2026-01-02');
    expect(cal.indexOnOrAfter(epochDay('2026-01-03'))).toBe(0);
    expect(cal.indexOnOrBefore(epochDay('2026-01-03'))).toBe(-1);
    expect(cal.indexOnOrAfter(epochDay('2026-01-05'))).toBe(0);
    expect(cal.dateOf(4)).toBe('2026-01-12');
    const weekends = new WorkCalendar({ workingDays: [0, 6], holidays: [] }, '2026-01-03');
    expect(weekends.dateOf(0)).toBe('2026-01-03');
    expect(weekends.dateOf(1)).toBe('2026-01-04');
    expect(weekends.dateOf(2)).toBe('2026-01-10');
    expect(weekends.dateOf(-1)).toBe('2025-12-28');
  });

  it('treats an empty working-day list as Monday to Friday and ignores invalid weekdays', () => {
    const cal = new WorkCalendar({ workingDays: [], holidays: [] }, '2026-01-03');
    expect(cal.dateOf(0)).toBe('2026-01-05');
    expect(cal.dateOf(5)).toBe('2026-01-12');
    const odd = new WorkCalendar({ workingDays: [1, 7, -1, 2.5], holidays: [] }, '2026-01-05');
    expect(odd.dateOf(1)).toBe('2026-01-12'); // only Mondays
  });

  it('counts working days in an inclusive date range', () => {
    const cal = new WorkCalendar({ workingDays: MON_FRI, holidays: ['2026-01-07', '2026-01-10'] }, '2026-01-05');
    expect(cal.workingDaysBetween('2026-01-05', '2026-01-09')).toBe(4); // Wednesday off
    expect(cal.workingDaysBetween('2026-01-05', '2026-01-05')).toBe(1);
    expect(cal.workingDaysBetween('2026-01-10', '2026-01-11')).toBe(0); // weekend
    expect(cal.workingDaysBetween('2026-01-09', '2026-01-05')).toBe(0); // reversed
    expect(cal.workingDaysBetween('2025-12-29', '2026-01-04')).toBe(5); // before the anchor
    expect(cal.workingDaysBetween('2026-01-01', '2026-12-31')).toBe(260); // 261 weekdays in 2026, one holiday
  });

  it('property: dayOf and indexOnOrAfter are inverse, land on working days and increase strictly', () => {
    const base = epochDay('2026-01-05');
    const arbitrary = fc.record({
      workingDays: fc.subarray([0, 1, 2, 3, 4, 5, 6], { minLength: 1 }),
      holidayOffsets: fc.array(fc.oneof(fc.integer({ min: -60, max: 400 }), fc.integer({ min: -16_000, max: 150_000 })), { maxLength: 80 }),
      anchorOffset: fc.integer({ min: -400, max: 400 }),
      indexes: fc.array(fc.integer({ min: -2000, max: 20_000 }), { minLength: 1, maxLength: 30 }),
    });
    fc.assert(
      fc.property(arbitrary, ({ workingDays, holidayOffsets, anchorOffset, indexes }) => {
        const spec: CalendarSpec = { workingDays, holidays: holidayOffsets.map((o) => isoDate(base + o)) };
        const anchor = base + anchorOffset;
        const cal = new WorkCalendar(spec, isoDate(anchor));
        expect(cal.dayOf(0)).toBe(cal.origin);
        expect(cal.origin).toBeGreaterThanOrEqual(anchor);
        for (let d = anchor; d < cal.origin; d++) expect(naiveIsWorking(spec, d)).toBe(false);
        for (const i of [...indexes, 0, -1]) {
          const day = cal.dayOf(i);
          const next = cal.dayOf(i + 1);
          expect(cal.indexOnOrAfter(day)).toBe(i);
          expect(cal.indexOnOrBefore(day)).toBe(i);
          expect(cal.isWorkingDay(day)).toBe(true);
          expect(naiveIsWorking(spec, day)).toBe(true);
          expect(next).toBeGreaterThan(day);
          // Nothing worked in between: the numbering skips no working day.
          for (let d = day + 1; d < next; d++) expect(naiveIsWorking(spec, d)).toBe(false);
          expect(cal.indexOnOrAfter(day + 1)).toBe(i + 1);
          expect(cal.indexOnOrBefore(next - 1)).toBe(i);
        }
      }),
      { seed: 20260105, numRuns: 300 },
    );
  });
});
