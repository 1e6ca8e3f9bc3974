import { isElapsedFormat, isPercentFormat } from './codes.ts';

/**
 * MSPDI durations and lags in Planvas units (working days of the board calendar).
 *
 * - Durations are xsd:duration strings of working time, "PT40H0M0S" (MS Project writes hours,
 *   minutes, seconds; other writers sometimes add days, "P1DT4H"). A working day is
 *   MinutesPerDay minutes (480 by default). Elapsed durations count 24-hour calendar days.
 * - LinkLag is an integer in TENTHS OF MINUTES of working time (elapsed formats: of wall-clock
 *   time), whatever LagFormat says: LagFormat only chooses the unit MS Project displays. For
 *   percent formats LinkLag is a percentage of the predecessor's duration.
 */

const ISO_DURATION =
  /^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Minutes in an xsd:duration ("PT7H30M0S" -> 450), or null when it is not one. Days count
 * 24 hours, weeks 7 days, months 30 days and years 365 days (only foreign writers use them).
 *
 * @example parseIsoDuration('PT40H0M0S') // 2400
 */
export function parseIsoDuration(text: string): number | null {
  const m = ISO_DURATION.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return null;
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  const minutes = n(2) * 525_600 + n(3) * 43_200 + n(4) * 10_080 + n(5) * 1440 + n(6) * 60 + n(7) + n(8) / 60;
  if (!Number.isFinite(minutes)) return null;
  return m[1] ? -minutes : minutes;
}

/** Working minutes -> "PT{h}H{m}M0S", the form MS Project writes. */
export function formatIsoDuration(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  return `PT${Math.floor(total / 60)}H${total % 60}M0S`;
}

/** A conversion and whether it lost information (the caller turns that into a warning). */
export interface Converted {
  days: number;
  /** The exact value before rounding, in days, when it was not a whole number of days. */
  inexact?: number;
  /** The value was elapsed (calendar) time, approximated in working days. */
  elapsed?: boolean;
}

/** Calendar days -> working days by the share of working weekdays (5 of 7 by default). */
function elapsedToWorking(calendarDays: number, workingDaysPerWeek: number): number {
  return (calendarDays * workingDaysPerWeek) / 7;
}

/**
 * A task duration in working days. Fractions round UP (a 1.5-day task occupies 2 days, as the
 * schema does); `inexact` says when that happened.
 *
 * @example durationDays(2400, 7, 480, 5) // { days: 5 }
 */
export function durationDays(minutes: number, format: number, minutesPerDay: number, workingDaysPerWeek: number): Converted {
  const elapsed = isElapsedFormat(format);
  const exact = elapsed ? elapsedToWorking(minutes / 1440, workingDaysPerWeek) : minutes / minutesPerDay;
  const days = Math.max(0, Math.ceil(exact - 1e-9));
  const out: Converted = { days };
  if (Math.abs(exact - Math.round(exact)) > 1e-9) out.inexact = exact;
  if (elapsed) out.elapsed = true;
  return out;
}

/**
 * A link lag in working days (negative = lead), rounded to the nearest whole day (what
 * Dependency.lag allows). `predecessorDays` is needed for percent lags.
 *
 * @example lagDays(4800, 7, 480, 5, 1) // { days: 1 }      (4800 tenths of minutes = 1 day)
 * @example lagDays(24000, 9, 480, 5, 1) // { days: 5 }     (1 week, displayed as "1w")
 * @example lagDays(14400, 8, 480, 5, 1) // { days: 1, elapsed: true, inexact: 0.714… } (1 elapsed day)
 */
export function lagDays(linkLag: number, format: number, minutesPerDay: number, workingDaysPerWeek: number, predecessorDays: number): Converted {
  let exact: number;
  let elapsed = false;
  if (isPercentFormat(format)) exact = (linkLag / 100) * predecessorDays;
  else if (isElapsedFormat(format)) {
    exact = elapsedToWorking(linkLag / 10 / 1440, workingDaysPerWeek);
    elapsed = true;
  } else exact = linkLag / 10 / minutesPerDay;
  const days = Math.round(exact) + 0; // + 0 turns -0 into 0
  const out: Converted = { days };
  if (Math.abs(exact - days) > 1e-9) out.inexact = exact;
  if (elapsed) out.elapsed = true;
  return out;
}
