/**
 * The dates line of a task card, short and readable: 'Dec 1 – Dec 5', with the year only on
 * a date outside the current year ('Dec 28 – Jan 3, 2027'), and a single date when only one
 * is set or both are the same day. Dates are the document's ISO 'YYYY-MM-DD' strings (calendar
 * days, no time zone), so they are formatted in UTC and never shift by a day. Anything that is
 * not such a date is shown as written.
 */
export function formatTaskDates(start: string, end: string, now: Date = new Date(), locale?: string): string {
  const a = start ? formatDay(start, now, locale) : '';
  const b = end ? formatDay(end, now, locale) : '';
  if (a && b) return start === end ? a : `${a} – ${b}`;
  return a || b;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string | undefined, withYear: boolean): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${withYear}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', year: withYear ? 'numeric' : undefined, timeZone: 'UTC' });
    formatters.set(key, f);
  }
  return f;
}

function formatDay(iso: string, now: Date, locale: string | undefined): string {
  const m = ISO_DAY.exec(iso);
  if (!m) return iso;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (date.getUTCMonth() !== Number(m[2]) - 1 || date.getUTCDate() !== Number(m[3])) return iso;
  // "This year" is the viewer's local year.
  return formatter(locale, date.getUTCFullYear() !== now.getFullYear()).format(date);
}
