import type { Dependency } from '../../../shared/schema/entities.ts';

/**
 * The short label drawn on a dependency arrow, or null for the common case (finish-to-start
 * without lag), which stays unlabelled as in MS Project's network diagrams: 'SS +2d',
 * 'FF', 'FS -1d' (a lead). Lag is in working days.
 */
export function dependencyLabel(dep: Pick<Dependency, 'type' | 'lag'>): string | null {
  if (dep.type === 'FS' && dep.lag === 0) return null;
  if (dep.lag === 0) return dep.type;
  const days = Number.isInteger(dep.lag) ? String(Math.abs(dep.lag)) : String(Math.round(Math.abs(dep.lag) * 10) / 10);
  return `${dep.type} ${dep.lag > 0 ? '+' : '−'}${days}d`;
}
