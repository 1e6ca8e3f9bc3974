const short = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: '2-digit', timeZone: 'UTC' });

/** 'Jan 5, 26' for an ISO date (a calendar day, formatted in UTC so it never shifts). */
export function formatShortDate(iso: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return short.format(new Date(`${iso}T00:00:00Z`));
}
