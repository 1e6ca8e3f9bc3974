import { epochDay, isoDate, weekday } from '../../../shared/planning/calendar.ts';

/**
 * The timeline's horizontal axis: epoch days to pixels at one of three zoom levels, and the
 * labels of the two header bands. Pure, so it is unit-tested without a browser.
 */
export type TimeScaleName = 'day' | 'week' | 'month';

export const PX_PER_DAY: Record<TimeScaleName, number> = { day: 36, week: 14, month: 4 };

export interface TimeAxis {
  scale: TimeScaleName;
  pxPerDay: number;
  /** First epoch day drawn (x = 0). */
  firstDay: number;
  /** Days drawn. */
  days: number;
  width: number;
}

/** An axis covering [from, to] (ISO dates) with a margin, starting on a Monday (or a month's 1st). */
export function makeAxis(scale: TimeScaleName, from: string, to: string): TimeAxis {
  const pxPerDay = PX_PER_DAY[scale];
  let first = epochDay(from) - (scale === 'month' ? 31 : 7);
  if (scale === 'month') first = epochDay(`${isoDate(first).slice(0, 8)}01`);
  else first -= (weekday(first) + 6) % 7; // back to Monday
  const last = epochDay(to) + (scale === 'day' ? 21 : scale === 'week' ? 56 : 180);
  const days = Math.max(1, last - first + 1);
  return { scale, pxPerDay, firstDay: first, days, width: days * pxPerDay };
}

export function dayToX(axis: TimeAxis, day: number): number {
  return (day - axis.firstDay) * axis.pxPerDay;
}

/** The epoch day under pixel x (rounded to the nearest day boundary when `round`). */
export function xToDay(axis: TimeAxis, x: number, round: 'floor' | 'nearest' = 'floor'): number {
  const d = x / axis.pxPerDay;
  return axis.firstDay + (round === 'floor' ? Math.floor(d) : Math.round(d));
}

export interface AxisTick {
  x: number;
  width: number;
  label: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Header bands for the visible x range: an upper band (months or years) and a lower band (days, weeks or months). */
export function axisTicks(axis: TimeAxis, fromX: number, toX: number): { upper: AxisTick[]; lower: AxisTick[] } {
  const firstDay = Math.max(axis.firstDay, xToDay(axis, fromX) - 1);
  const lastDay = Math.min(axis.firstDay + axis.days, xToDay(axis, toX) + 1);
  const upper: AxisTick[] = [];
  const lower: AxisTick[] = [];
  const push = (list: AxisTick[], start: number, end: number, label: string) =>
    list.push({ x: dayToX(axis, start), width: (end - start) * axis.pxPerDay, label });
  // Upper band: months for day/week scales, years for the month scale.
  let d = firstDay;
  while (d <= lastDay) {
    const iso = isoDate(d);
    const y = Number(iso.slice(0, 4));
    const m = Number(iso.slice(5, 7));
    if (axis.scale === 'month') {
      const start = epochDay(`${y}-01-01`);
      const end = epochDay(`${y + 1}-01-01`);
      push(upper, start, end, String(y));
      d = end;
    } else {
      const start = epochDay(`${iso.slice(0, 8)}01`);
      const end = epochDay(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`);
      push(upper, start, end, `${MONTHS[m - 1]} ${y}`);
      d = end;
    }
  }
  d = firstDay;
  if (axis.scale === 'day') {
    for (; d <= lastDay; d++) push(lower, d, d + 1, String(Number(isoDate(d).slice(8, 10))));
  } else if (axis.scale === 'week') {
    d -= (weekday(d) + 6) % 7;
    for (; d <= lastDay; d += 7) {
      const iso = isoDate(d);
      push(lower, d, d + 7, `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}`);
    }
  } else {
    while (d <= lastDay) {
      const iso = isoDate(d);
      const y = Number(iso.slice(0, 4));
      const m = Number(iso.slice(5, 7));
      const start = epochDay(`${iso.slice(0, 8)}01`);
      const end = epochDay(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`);
      push(lower, start, end, MONTHS[m - 1]!);
      d = end;
    }
  }
  return { upper, lower };
}
