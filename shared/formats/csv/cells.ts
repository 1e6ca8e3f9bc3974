import { isValid, parse } from 'date-fns';
import {
  DEPENDENCY_TYPES,
  MAX_ASSIGNEES,
  MAX_DURATION_DAYS,
  MAX_LAG_DAYS,
  MAX_MONEY,
  MAX_SHORT_TEXT_LENGTH,
  type DependencyType,
} from '../../schema/entities.ts';
import { MAX_PREDECESSORS_PER_ROW } from './columns.ts';

/**
 * Parsers for single CSV cells in the forms MS Project, ProjectLibre and spreadsheets write.
 * Each takes the trimmed cell text and returns the value or a message that names the column
 * and the text, ready to prefix with "row N: ". Pure: no clock, no locale (dates are read as
 * US month/day, MS Project's English export).
 */
export type Cell<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Cell<T> => ({ ok: true, value });
const bad = (message: string): Cell<never> => ({ ok: false, message });
const quote = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

const DAYS = /^(\d+(?:\.\d+)?|\.\d+)\s*(?:d|dy|dys|day|days)?\s*\??$/i;

/**
 * Working days: "5 days", "5d", "5", "1 day", "0 days", "2.5d" (fractions round up to the next
 * whole day, as the document stores whole days); a trailing "?" (MS Project's estimated
 * duration) is accepted.
 *
 * @example parseDuration('5 days?') // { ok: true, value: 5 }
 */
export function parseDuration(text: string): Cell<number> {
  const match = DAYS.exec(text);
  if (!match) return bad(`Duration ${quote(text)} is not a number of days`);
  const days = Math.max(0, Math.ceil(Number(match[1]) - 1e-9));
  if (days > MAX_DURATION_DAYS) return bad(`Duration ${quote(text)} is longer than ${MAX_DURATION_DAYS} days`);
  return ok(days);
}

const WEEKDAY = /^(sun|mon|tue|wed|thu|fri|sat)[a-z]*\.?,?\s+/i;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const TIME = /\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?$/i;
/** Tried in order; the two-digit year form first so "1/5/26" is 2026, not the year 26. */
const DATE_FORMATS = ['yyyy-MM-dd', 'M/d/yy', 'M/d/yyyy', 'MMMM d, yyyy', 'MMM d, yyyy', 'MMMM d yyyy', 'MMM d yyyy', 'd MMMM yyyy', 'd MMM yyyy'];
/** Two-digit years are read as 1950..2049 (date-fns picks the year nearest this reference). */
const REFERENCE = new Date(2000, 0, 1);

/**
 * A date as an ISO 'YYYY-MM-DD': "2026-01-05", "1/5/2026", "1/5/26", "Mon 1/5/26",
 * "January 5, 2026", each optionally followed by a time ("8:00 AM", "17:00", ignored). A
 * weekday that does not fall on the date is an error: it means the file uses another
 * day/month order than US month/day.
 *
 * @example parseDate('Mon 1/5/26 8:00 AM', 'Start') // { ok: true, value: '2026-01-05' }
 */
export function parseDate(text: string, column: string): Cell<string> {
  const failure = bad(`${column} ${quote(text)} is not a date (use 2026-01-05, 1/5/2026 or January 5, 2026)`);
  let rest = text;
  let weekday = -1;
  const day = WEEKDAY.exec(rest);
  if (day) {
    weekday = WEEKDAYS.indexOf(day[1]!.toLowerCase());
    rest = rest.slice(day[0].length);
  }
  const time = TIME.exec(rest);
  if (time) {
    const hours = Number(time[1]);
    const minutes = Number(time[2]);
    const max = time[4] ? 12 : 23;
    if (hours > max || (time[4] && hours === 0) || minutes > 59 || Number(time[3] ?? 0) > 59) return failure;
    rest = rest.slice(0, time.index);
  }
  rest = rest.trim();
  for (const format of DATE_FORMATS) {
    const date = parse(rest, format, REFERENCE);
    if (!isValid(date)) continue;
    const year = date.getFullYear();
    if (year < 1900 || year > 2200) return bad(`${column} ${quote(text)} is outside the years 1900 to 2200`);
    if (weekday >= 0 && date.getDay() !== weekday) return bad(`${column} ${quote(text)}: the weekday does not match the date (dates are read as month/day/year)`);
    const iso = `${String(year).padStart(4, '0')}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
    return ok(iso);
  }
  return failure;
}

export interface PredecessorRef {
  /** The ID (ID column) of the predecessor row. */
  id: number;
  type: DependencyType;
  /** Working days; negative is a lead. */
  lag: number;
}

const LINK = /^(\d+)\s*(FS|SS|FF|SF)?\s*(?:([+-])\s*(\d+(?:\.\d+)?|\.\d+)\s*(d|dy|dys|day|days)?\s*\??)?$/i;

/**
 * MS Project's Predecessors cell: IDs separated by ";" or ",", each with an optional type
 * (FS by default) and lag in days: "3;4SS+2 days;5FF-1d", "4SS+2 days", "5FF-1 day".
 * Fractional lags are rounded to whole working days.
 *
 * @example parsePredecessors('3;4SS+2 days') // [{id:3,type:'FS',lag:0},{id:4,type:'SS',lag:2}]
 */
export function parsePredecessors(text: string): Cell<PredecessorRef[]> {
  if (text === '') return ok([]);
  const out: PredecessorRef[] = [];
  const parts = text.split(/[;,]/);
  if (parts.length > MAX_PREDECESSORS_PER_ROW) return bad(`Predecessors lists ${parts.length} tasks; at most ${MAX_PREDECESSORS_PER_ROW} per task`);
  for (const part of parts) {
    const item = part.trim();
    if (item === '') continue;
    const match = LINK.exec(item);
    if (!match) {
      return bad(`Predecessors ${quote(item)} is not a predecessor (use an ID with an optional type and lag in days, e.g. 3, 4SS+2 days, 5FF-1d)`);
    }
    const type = (match[2]?.toUpperCase() ?? 'FS') as DependencyType;
    const magnitude = match[4] === undefined ? 0 : Math.round(Number(match[4]));
    const lag = match[3] === '-' ? -magnitude : magnitude;
    if (Math.abs(lag) > MAX_LAG_DAYS) return bad(`Predecessors ${quote(item)}: the lag is more than ${MAX_LAG_DAYS} days`);
    if (!DEPENDENCY_TYPES.includes(type)) return bad(`Predecessors ${quote(item)}: unknown link type`);
    out.push({ id: Number(match[1]), type, lag: lag === 0 ? 0 : lag });
  }
  return ok(out);
}

/**
 * Percent complete, "50%" or "50", 0..100.
 *
 * @example parsePercent('50%') // { ok: true, value: 50 }
 */
export function parsePercent(text: string): Cell<number> {
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*%?$/.exec(text);
  const value = match ? Number(match[1]) : NaN;
  if (!match || value > 100) return bad(`% Complete ${quote(text)} is not a percentage from 0 to 100`);
  return ok(value);
}

/**
 * Money: "$1,200.50", "1200", "1 200", "€ 300"; currency symbols, spaces and thousands commas
 * are dropped. Negative amounts are refused (a task's cost is >= 0).
 *
 * @example parseCost('$1,200.50') // { ok: true, value: 1200.5 }
 */
export function parseCost(text: string, column = 'Cost'): Cell<number> {
  const stripped = text.replace(/[\s$€£¥]|\b(USD|EUR|GBP)\b/gi, '');
  const valid = /^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^\.\d+$/.test(stripped);
  const value = valid ? Number(stripped.replace(/,/g, '')) : NaN;
  if (!valid || !Number.isFinite(value)) return bad(`${column} ${quote(text)} is not an amount of money (e.g. 1200 or $1,200.50)`);
  if (value > MAX_MONEY) return bad(`${column} ${quote(text)} is too large`);
  return ok(value);
}

/**
 * Yes/No, true/false, 1/0, Y/N; empty is No.
 *
 * @example parseYesNo('Yes', 'Milestone') // { ok: true, value: true }
 */
export function parseYesNo(text: string, column: string): Cell<boolean> {
  const key = text.toLowerCase();
  if (['yes', 'y', 'true', '1'].includes(key)) return ok(true);
  if (['no', 'n', 'false', '0', ''].includes(key)) return ok(false);
  return bad(`${column} ${quote(text)} is not Yes or No`);
}

/**
 * Outline level: a whole number >= 1 (1 = top level).
 *
 * @example parseOutlineLevel('2') // { ok: true, value: 2 }
 */
export function parseOutlineLevel(text: string): Cell<number> {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 100) return bad(`Outline Level ${quote(text)} is not a whole number from 1 to 100`);
  return ok(Number(text));
}

/**
 * Resource names separated by "," or ";". MS Project's units suffix ("Ann[50%]") is dropped;
 * names are trimmed and de-duplicated.
 *
 * @example parseResources('Ann[50%], Bo; Ann') // { ok: true, value: ['Ann', 'Bo'] }
 */
export function parseResources(text: string): Cell<string[]> {
  const names = [
    ...new Set(
      text
        .split(/[;,]/)
        .map((n) => n.replace(/\[[^\]]*\]\s*$/, '').trim())
        .filter((n) => n !== ''),
    ),
  ];
  if (names.length > MAX_ASSIGNEES) return bad(`Resource Names has ${names.length} names; a task takes at most ${MAX_ASSIGNEES}`);
  const long = names.find((n) => n.length > MAX_SHORT_TEXT_LENGTH);
  if (long) return bad(`Resource Names: the name ${quote(long)} is longer than ${MAX_SHORT_TEXT_LENGTH} characters`);
  return ok(names);
}

/**
 * A row's ID: a whole number >= 1.
 *
 * @example parseRowId('12') // { ok: true, value: 12 }
 */
export function parseRowId(text: string): Cell<number> {
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) return bad(`ID ${quote(text)} is not a whole number from 1`);
  return ok(Number(text));
}
