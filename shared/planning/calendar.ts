/**
 * Working-day arithmetic for one board's calendar. Pure: dates are ISO strings or integer
 * "epoch days" (days since 1970-01-01, UTC), never Date objects with a time zone.
 *
 * A calendar numbers its working days from an anchor (the project start): the anchor's first
 * working day on or after it is index 0, the next working day 1, and so on; working days
 * before the anchor have negative indexes. The scheduler works in these indexes, so a lag of
 * 2 working days is "+2" whatever weekends or holidays lie between.
 *
 * @example
 *   const cal = new WorkCalendar({ workingDays: [1, 2, 3, 4, 5], holidays: ['2026-12-25'] }, '2026-12-21');
 *   cal.indexOnOrAfter(epochDay('2026-12-26')) // 4 (Mon 28th: Fri 25th is a holiday, 26-27 a weekend)
 *   isoDate(cal.dayOf(4)) // '2026-12-28'
 */
export interface CalendarSpec {
  /** 0 = Sunday … 6 = Saturday. An empty list is treated as Monday to Friday. */
  workingDays: readonly number[];
  /** ISO dates that are not worked. */
  holidays: readonly string[];
}

const MS_PER_DAY = 86_400_000;

/** The range of days the planner works in; dates outside it are clamped, never thrown on. */
export const FIRST_DAY = -25_567; // 1900-01-01
export const LAST_DAY = 2_932_896; // 9999-12-31

/** Days since 1970-01-01 of an ISO date 'YYYY-MM-DD' (not validated: pass valid dates). */
export function epochDay(iso: string): number {
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  date.setUTCFullYear(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
  return Math.round(date.getTime() / MS_PER_DAY);
}

/**
 * The ISO date of an epoch day, clamped to 1900-01-01 … 9999-12-31 so that a plan pushed
 * absurdly far (a peer's 10,000-day lags) still yields dates that compare as strings.
 */
export function isoDate(day: number): string {
  const clamped = Math.min(LAST_DAY, Math.max(FIRST_DAY, Number.isFinite(day) ? day : 0));
  return new Date(clamped * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export class WorkCalendar {
  /** Index 0's epoch day (the first working day on or after the anchor). */
  readonly origin: number;
  private readonly working: boolean[];
  private readonly perWeek: number;
  /** Working-weekday holidays, ascending epoch days. */
  private readonly holidayDays: number[];
  private readonly holidaySet: Set<number>;
  /** Week start (a Sunday) on or before the origin; week arithmetic counts from here. */
  private readonly weekBase: number;
  /** Working weekdays per position 0..6 counted before that position in a week. */
  private readonly before: number[];

  constructor(spec: CalendarSpec, anchorIso: string) {
    const days = spec.workingDays.filter((d) => Number.isInteger(d) && d >= 0 && d <= 6);
    const set = new Set(days.length > 0 ? days : [1, 2, 3, 4, 5]);
    this.working = [0, 1, 2, 3, 4, 5, 6].map((d) => set.has(d));
    this.perWeek = set.size;
    this.before = [];
    let count = 0;
    for (let d = 0; d < 7; d++) {
      this.before.push(count);
      if (this.working[d]) count++;
    }
    const holidayDays = [...new Set(spec.holidays.map(epochDay))].filter((d) => Number.isFinite(d) && this.working[weekday(d)]!);
    holidayDays.sort((a, b) => a - b);
    this.holidayDays = holidayDays;
    this.holidaySet = new Set(holidayDays);
    const anchor = epochDay(anchorIso);
    this.weekBase = anchor - weekday(anchor);
    // Every working weekday being a holiday forever is impossible (holidays are finite), so this ends.
    let origin = anchor;
    while (!this.isWorkingDay(origin)) origin++;
    this.origin = origin;
  }

  isWorkingDay(day: number): boolean {
    return this.working[weekday(day)]! && !this.holidaySet.has(day);
  }

  /** Index of the first working day on or after `day`. */
  indexOnOrAfter(day: number): number {
    return this.rawCount(day) - this.rawCount(this.origin);
  }

  /** Index of the last working day on or before `day`. */
  indexOnOrBefore(day: number): number {
    const after = this.indexOnOrAfter(day);
    return this.isWorkingDay(day) ? after : after - 1;
  }

  /** The epoch day of working day `index`. */
  dayOf(index: number): number {
    // Count of working days strictly before a day is monotonic: search the day whose count
    // (from the origin) is `index` and that is itself a working day.
    const target = index + this.rawCount(this.origin);
    const estimate = this.weekBase + Math.floor(target / this.perWeek) * 7;
    // Gallop out to a bracket (holidays push the answer later than the estimate), then bisect
    // for the smallest day with more than `target` working days up to and including it.
    let lo = estimate;
    for (let step = 8; this.rawCount(lo + 1) > target; step *= 2) lo -= step;
    let hi = estimate;
    for (let step = 8; this.rawCount(hi + 1) <= target; step *= 2) hi += step;
    lo += 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.rawCount(mid + 1) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** ISO date of working day `index`. */
  dateOf(index: number): string {
    return isoDate(this.dayOf(index));
  }

  /** Working days in the inclusive date range [from, to] (0 when to < from). */
  workingDaysBetween(fromIso: string, toIso: string): number {
    const from = epochDay(fromIso);
    const to = epochDay(toIso);
    if (to < from) return 0;
    return this.rawCount(to + 1) - this.rawCount(from);
  }

  /** Working days strictly before `day`, counted from weekBase (may be negative). */
  private rawCount(day: number): number {
    const offset = day - this.weekBase;
    const weeks = Math.floor(offset / 7);
    const rest = offset - weeks * 7;
    return weeks * this.perWeek + this.before[rest]! - this.holidaysBefore(day) + this.holidaysBefore(this.weekBase);
  }

  /** Number of working-weekday holidays strictly before `day`. */
  private holidaysBefore(day: number): number {
    let lo = 0;
    let hi = this.holidayDays.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.holidayDays[mid]! < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
