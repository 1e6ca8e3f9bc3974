import type { BoardMeta } from '../../schema/entities.ts';
import { epochDay, isoDate } from '../../planning/calendar.ts';
import type { XmlWriter } from './xml.ts';

/** The working day MS Project's Standard calendar has: 08:00-12:00 and 13:00-17:00 (480 minutes). */
export const WORKING_TIMES: ReadonlyArray<readonly [string, string]> = [
  ['08:00:00', '12:00:00'],
  ['13:00:00', '17:00:00'],
];
export const DAY_START = '08:00:00';
export const DAY_FINISH = '17:00:00';

/**
 * Writes the board calendar as the project's base calendar "Standard" (UID 1): the working
 * weekdays, and the holidays as non-working exceptions, both in the Project 2003-2007 form
 * (WeekDay with DayType 0) and the 2010+ form (Exceptions), as MS Project itself saves them.
 * Element order follows the schema's sequence for Calendar, WeekDay and Exception.
 */
export function writeCalendar(out: XmlWriter, meta: Pick<BoardMeta, 'workingDays' | 'holidays'>): void {
  const working = new Set(meta.workingDays);
  const ranges = holidayRanges(meta.holidays);
  out.open('Calendars');
  out.open('Calendar');
  out.leaf('UID', 1);
  out.leaf('Name', 'Standard');
  out.leaf('IsBaseCalendar', 1);
  out.leaf('BaseCalendarUID', -1);
  out.open('WeekDays');
  for (let day = 0; day < 7; day++) {
    out.open('WeekDay');
    out.leaf('DayType', day + 1);
    out.leaf('DayWorking', working.has(day) ? 1 : 0);
    if (working.has(day)) writeWorkingTimes(out);
    out.close('WeekDay');
  }
  for (const [from, to] of ranges) {
    out.open('WeekDay');
    out.leaf('DayType', 0);
    out.leaf('DayWorking', 0);
    writePeriod(out, from, to);
    out.close('WeekDay');
  }
  out.close('WeekDays');
  if (ranges.length > 0) {
    out.open('Exceptions');
    for (const [from, to] of ranges) {
      out.open('Exception');
      out.leaf('EnteredByOccurrences', 0);
      writePeriod(out, from, to);
      out.leaf('Occurrences', 1);
      out.leaf('Name', 'Holiday');
      out.leaf('Type', 1);
      out.leaf('DayWorking', 0);
      out.close('Exception');
    }
    out.close('Exceptions');
  }
  out.close('Calendar');
  out.close('Calendars');
}

function writeWorkingTimes(out: XmlWriter): void {
  out.open('WorkingTimes');
  for (const [from, to] of WORKING_TIMES) {
    out.open('WorkingTime');
    out.leaf('FromTime', from);
    out.leaf('ToTime', to);
    out.close('WorkingTime');
  }
  out.close('WorkingTimes');
}

function writePeriod(out: XmlWriter, from: string, to: string): void {
  out.open('TimePeriod');
  out.leaf('FromDate', `${from}T00:00:00`);
  out.leaf('ToDate', `${to}T23:59:00`);
  out.close('TimePeriod');
}

/** Sorted holidays merged into runs of consecutive dates: one exception per run. */
export function holidayRanges(holidays: readonly string[]): Array<[string, string]> {
  const days = [...new Set(holidays.map(epochDay))].sort((a, b) => a - b);
  const out: Array<[string, string]> = [];
  let start = NaN;
  let prev = NaN;
  for (const day of days) {
    if (day === prev + 1) {
      prev = day;
      continue;
    }
    if (!Number.isNaN(start)) out.push([isoDate(start), isoDate(prev)]);
    start = prev = day;
  }
  if (!Number.isNaN(start)) out.push([isoDate(start), isoDate(prev)]);
  return out;
}
