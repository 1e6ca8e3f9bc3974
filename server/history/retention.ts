import type { VersionRecord } from '../storage/types.ts';

/**
 * Which versions of a board to forget, so history stays bounded while people edit for months.
 *
 * The policy (docs/api.md "Versions"):
 * - named versions and restore backups are kept forever (people asked for them);
 * - the newest KEEP_RECENT_AUTO automatic checkpoints are kept;
 * - older automatic checkpoints are thinned to one per UTC day: the newest of that day.
 *
 * Pure: the list in (newest first, as BoardStore.listVersions returns it), ids out.
 */
export const KEEP_RECENT_AUTO = 50;

export function versionsToPrune(versions: readonly VersionRecord[], keepRecent: number = KEEP_RECENT_AUTO): string[] {
  const auto = versions.filter((v) => v.kind === 'auto').sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  const prune: string[] = [];
  const daysKept = new Set<string>();
  auto.forEach((v, index) => {
    const day = v.createdAt.slice(0, 10);
    if (index < keepRecent) {
      daysKept.add(day);
      return;
    }
    if (daysKept.has(day)) prune.push(v.id);
    else daysKept.add(day);
  });
  return prune;
}
