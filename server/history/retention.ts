import type { VersionRecord } from '../storage/types.ts';

/**
 * Which versions of a board to forget, so history stays bounded while people edit for months.
 *
 * The policy (docs/api.md "Versions"):
 * - named versions and restore backups are kept forever (people asked for them);
 * - the newest KEEP_RECENT_AUTO automatic checkpoints are kept;
 * - older automatic checkpoints are thinned to one per UTC day (the newest of that day) for
 *   DAILY_FOR_DAYS days before the newest checkpoint, and to one per week (weeks start on
 *   Monday, UTC) before that.
 *
 * Why weekly: every version is a whole document (a 10k-task board is ~5 MB, ~1 MB stored
 * compressed), so one per day forever is ~365 MB a year for one busy big board; one per week
 * past the first month is ~50 MB a year.
 *
 * Pure: the list in (newest first, as BoardStore.listVersions returns it), ids out. "Now" is
 * the newest automatic checkpoint (pruning runs right after one is stored), which keeps the
 * policy deterministic and never thins a board that nobody edits.
 */
export const KEEP_RECENT_AUTO = 50;
export const DAILY_FOR_DAYS = 30;

const DAY_MS = 86_400_000;

export function versionsToPrune(versions: readonly VersionRecord[], keepRecent: number = KEEP_RECENT_AUTO): string[] {
  const auto = versions.filter((v) => v.kind === 'auto').sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  const newest = auto[0] ? Date.parse(auto[0].createdAt) : NaN;
  const prune: string[] = [];
  const bucketsKept = new Set<string>();
  auto.forEach((v, index) => {
    const bucket = bucketOf(v.createdAt, newest);
    if (index < keepRecent) {
      bucketsKept.add(bucket);
      return;
    }
    if (bucketsKept.has(bucket)) prune.push(v.id);
    else bucketsKept.add(bucket);
  });
  return prune;
}

/** 'd:YYYY-MM-DD' within DAILY_FOR_DAYS of `newest`, else 'w:<Monday of its week>'. */
function bucketOf(createdAt: string, newest: number): string {
  const time = Date.parse(createdAt);
  // An unreadable timestamp (a damaged row) is its own day bucket, as before: never a reason to throw.
  if (!Number.isFinite(time) || !Number.isFinite(newest) || newest - time <= DAILY_FOR_DAYS * DAY_MS) return `d:${createdAt.slice(0, 10)}`;
  const day = new Date(time);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return `w:${new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() - sinceMonday)).toISOString().slice(0, 10)}`;
}
