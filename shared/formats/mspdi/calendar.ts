import { DEFAULT_WORKING_DAYS, MAX_HOLIDAYS } from '../../schema/entities.ts';
import { child, children, dateTime, flag, int, nextDay, text, type XmlNode } from './values.ts';

/**
 * The project calendar of an MSPDI file as a Planvas board calendar: working weekdays and
 * non-working dates. Exceptions come in two shapes: WeekDay with DayType 0 and a TimePeriod
 * (Project 2003-2007, still written by later versions) and Exceptions/Exception (2010+).
 * Only one-off non-working periods map to Planvas holidays; working exceptions (a Saturday
 * worked) and recurring exceptions are reported instead.
 */
export interface ReadCalendar {
  workingDays: number[];
  holidays: string[];
}

/** Exception/Type of a one-off (daily) period; the others recur weekly, monthly or yearly. */
const EXCEPTION_DAILY = 1;
/** A period longer than this is not a holiday list (it would blank out the plan). */
const MAX_EXCEPTION_DAYS = 366;

export function readCalendar(project: XmlNode, warn: (message: string) => void): ReadCalendar {
  const calendars = children(child(project, 'Calendars'), 'Calendar');
  const byUid = new Map<number, XmlNode>();
  for (const c of calendars) {
    const uid = int(c, 'UID');
    if (uid !== null && !byUid.has(uid)) byUid.set(uid, c);
  }
  const wanted = int(project, 'CalendarUID');
  const calendar =
    (wanted !== null ? byUid.get(wanted) : undefined) ??
    calendars.find((c) => text(c, 'Name') === 'Standard') ??
    calendars.find((c) => flag(c, 'IsBaseCalendar')) ??
    calendars[0];
  if (!calendar) return { workingDays: [...DEFAULT_WORKING_DAYS], holidays: [] };

  // A derived calendar inherits every weekday it does not set from its base calendar.
  const chain: XmlNode[] = [calendar];
  for (let at = calendar, guard = 0; guard < 10; guard++) {
    const base = byUid.get(int(at, 'BaseCalendarUID') ?? -1);
    if (!base || chain.includes(base)) break;
    chain.unshift(base);
    at = base;
  }
  const defaults = new Set<number>(DEFAULT_WORKING_DAYS);
  const days = [0, 1, 2, 3, 4, 5, 6].map((d) => defaults.has(d));
  const holidays = new Set<string>();
  const calendarName = text(calendar, 'Name') || 'the project calendar';
  for (const c of chain) {
    for (const weekDay of children(child(c, 'WeekDays'), 'WeekDay')) {
      const type = int(weekDay, 'DayType');
      const isWorking = dayWorking(weekDay);
      if (type !== null && type >= 1 && type <= 7) days[type - 1] = isWorking;
      else if (type === 0) addPeriod(child(weekDay, 'TimePeriod'), isWorking, '', holidays, calendarName, warn);
    }
    for (const exception of children(child(c, 'Exceptions'), 'Exception')) {
      const type = int(exception, 'Type') ?? EXCEPTION_DAILY;
      const name = text(exception, 'Name');
      if (type !== EXCEPTION_DAILY) {
        warn(`Calendar "${calendarName}": the recurring exception ${name ? `"${name}" ` : ''}was not imported (only one-off non-working days become holidays)`);
        continue;
      }
      addPeriod(child(exception, 'TimePeriod'), dayWorking(exception), name, holidays, calendarName, warn);
    }
  }
  let workingDays = days.flatMap((on, d) => (on ? [d] : []));
  if (workingDays.length === 0) {
    warn(`Calendar "${calendarName}" has no working weekday; Monday to Friday is used`);
    workingDays = [...DEFAULT_WORKING_DAYS];
  }
  let list = [...holidays].sort();
  if (list.length > MAX_HOLIDAYS) {
    warn(`Calendar "${calendarName}" has ${list.length} non-working dates; the first ${MAX_HOLIDAYS} were imported`);
    list = list.slice(0, MAX_HOLIDAYS);
  }
  return { workingDays, holidays: list };
}

/** DayWorking when given; otherwise a day with working times is a working day. */
function dayWorking(node: XmlNode): boolean {
  if (text(node, 'DayWorking') !== '') return flag(node, 'DayWorking');
  return children(child(node, 'WorkingTimes'), 'WorkingTime').length > 0;
}

function addPeriod(
  period: XmlNode | undefined,
  isWorking: boolean,
  name: string,
  holidays: Set<string>,
  calendarName: string,
  warn: (message: string) => void,
): void {
  const from = dateTime(period, 'FromDate');
  const to = dateTime(period, 'ToDate') ?? from;
  const label = name ? `"${name}" ` : '';
  if (!from || !to) {
    warn(`Calendar "${calendarName}": an exception ${label}without a usable period was skipped`);
    return;
  }
  if (isWorking) {
    warn(`Calendar "${calendarName}": the working exception ${label}(${from.date} to ${to.date}) was not imported; Planvas calendars only have non-working dates`);
    return;
  }
  // A period ending at midnight does not include that day.
  const last = to.minutes === 0 && to.date > from.date ? previousDay(to.date) : to.date;
  let day = from.date;
  for (let n = 0; day <= last; n++, day = nextDay(day)) {
    if (n >= MAX_EXCEPTION_DAYS) {
      warn(`Calendar "${calendarName}": the exception ${label}from ${from.date} is longer than ${MAX_EXCEPTION_DAYS} days; only its first ${MAX_EXCEPTION_DAYS} days were imported`);
      return;
    }
    holidays.add(day);
  }
}

function previousDay(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}
