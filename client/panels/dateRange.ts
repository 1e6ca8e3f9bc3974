/** Why a pair of ISO dates cannot be saved, or null when it can ('' means not set). */
export function dateRangeProblem(start: string, end: string): string | null {
  if (start && end && end < start) return 'The end date must be on or after the start date.';
  return null;
}
