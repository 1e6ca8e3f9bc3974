import { isoDate } from '../../../shared/planning/calendar.ts';
import type { RiskReason } from '../../../shared/planning/metrics.ts';

const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const longDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
const money = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** 'Jan 12' for an ISO date (UTC: ISO dates are calendar days, not instants). */
export function formatShortDate(iso: string): string {
  return safeFormat(shortDate, iso);
}

/** 'Jan 12, 2026'. */
export function formatDate(iso: string): string {
  return safeFormat(longDate, iso);
}

/** Anything that is not a date (a peer wrote it) is shown as written rather than thrown on. */
function safeFormat(format: Intl.DateTimeFormat, iso: string): string {
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : format.format(date);
}

/** Axis label for an epoch day. */
export function formatEpochDay(day: number): string {
  return formatShortDate(isoDate(day));
}

export function formatMoney(value: number): string {
  return money.format(value);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${Number.isInteger(n) ? n : n.toFixed(1)} ${n === 1 ? one : many}`;
}

/** Signed working-day variance: '+3 days late', '2 days early', 'on baseline'. */
export function formatVariance(days: number): string {
  if (days === 0) return 'on baseline';
  return days > 0 ? `${plural(days, 'working day')} late` : `${plural(-days, 'working day')} early`;
}

export function reasonText(reason: RiskReason): string {
  switch (reason.kind) {
    case 'overdue':
      return reason.days > 0 ? `Overdue by ${plural(reason.days, 'working day')}` : 'Overdue';
    case 'negative-float':
      return `Negative float: ${plural(reason.days, 'working day')} short`;
    case 'slip':
      return `Slipped ${plural(reason.days, 'working day')} (baseline ${formatShortDate(reason.baselineFinish)})`;
  }
}

/** Distinct colours for people and series, in a fixed order. */
export const PALETTE = ['#4f46e5', '#0891b2', '#16a34a', '#d97706', '#db2777', '#7c3aed', '#0d9488', '#ea580c', '#2563eb', '#65a30d'];
export const OVER_COLOR = '#dc2626';

export function colorAt(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}
