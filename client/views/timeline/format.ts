const thisYear = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const otherYear = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: '2-digit', timeZone: 'UTC' });

/**
 * 'Nov 16' for an ISO date this year, 'Jan 5, 27' in another (calendar days, formatted in UTC
 * so they never shift). Anything that is not an ISO date is shown as written.
 */
export function formatShortDate(iso: string, today: string = new Date().toISOString().slice(0, 10)): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return (iso.slice(0, 4) === today.slice(0, 4) ? thisYear : otherYear).format(date);
}
