/** "just now", "3 min ago", "2 h ago", "yesterday", "4 days ago", then the date. Pure: `now` is passed in. */
export function relativeTime(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (!Number.isFinite(then)) return '';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return new Date(then).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** Absolute local date and time, for the hover title. */
export function absoluteTime(iso: string): string {
  const then = Date.parse(iso);
  return Number.isFinite(then) ? new Date(then).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : iso;
}
