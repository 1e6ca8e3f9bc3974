import { format, parseISO } from 'date-fns';
import { isComplete } from '../../../shared/planning/completion.ts';

/** What a Kanban card shows besides the task's own fields; plain functions of plain data. */

/**
 * Short scheduled dates: "Jan 5 – Jan 9", one date when start = finish, the years when the
 * range crosses one. '' when either date is missing or unreadable.
 */
export function formatDateRange(start: string, finish: string): string {
  if (!start || !finish) return '';
  const a = parseISO(start);
  const b = parseISO(finish);
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return '';
  if (start === finish) return format(a, 'MMM d');
  const pattern = a.getFullYear() === b.getFullYear() ? 'MMM d' : 'MMM d, yyyy';
  return `${format(a, pattern)} – ${format(b, pattern)}`;
}

/** Late: scheduled to finish before today (ISO dates compare as strings) and not complete (100 % or Done). */
export function isLate(finish: string, today: string, progress: number, status = ''): boolean {
  return finish !== '' && finish < today && !isComplete({ status }, progress);
}

/** "Ada Lovelace" → "AL", "grace" → "G": at most two letters, from the first and last word. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  if (!first) return '?';
  const last = words.length > 1 ? words[words.length - 1]! : '';
  return (firstLetter(first) + firstLetter(last)).toUpperCase();
}

function firstLetter(word: string): string {
  return [...word][0] ?? '';
}
