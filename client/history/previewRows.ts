import type { BoardSnapshot } from '../../shared/doc/read.ts';
import { planOutline } from '../../shared/planning/outline.ts';
import { changeParts, comparePlans, scheduledDates, type PlanChange } from './planChanges.ts';

/**
 * The rows of a version preview: every task of the version in outline order, with its
 * scheduled dates and status; comparing with now adds the change of each task (and the tasks
 * added since, which the version does not have). A task counts as changed when a field of it
 * changed or when its scheduled dates moved (planChanges.ts). Pure: readings of both boards
 * in, rows out.
 */
export interface PreviewRow {
  id: string;
  title: string;
  start: string;
  finish: string;
  status: string;
  /** Only when comparing: how the task changed from the version to now. */
  change?: PlanChange;
  /** For a task whose scheduled dates moved: its dates now. */
  nowStart?: string;
  nowFinish?: string;
}

export function previewRows(version: BoardSnapshot, live: BoardSnapshot | null, today: string): PreviewRow[] {
  const comparison = live ? comparePlans(version, live, today) : null;
  const versionPlan = comparison?.versionDates ?? scheduledDates(version, today);
  const rows: PreviewRow[] = [];
  const statusLabel = (board: BoardSnapshot, key: string) => board.meta.statuses.find((s) => s.key === key)?.label ?? key;
  for (const { id } of planOutline(version.tasks.values())) {
    const task = version.tasks.get(id)!;
    const dates = versionPlan.get(id);
    rows.push({ id, title: task.title, start: dates?.start ?? '', finish: dates?.finish ?? '', status: statusLabel(version, task.status) });
  }
  if (!live || !comparison) return rows;

  const { changes, liveDates } = comparison;
  for (const row of rows) {
    const change = changes.get(row.id);
    if (!change) continue;
    row.change = change;
    const now = liveDates.get(row.id);
    if (change.kind === 'changed' && change.datesMoved && now) {
      row.nowStart = now.start;
      row.nowFinish = now.finish;
    }
  }
  for (const { id } of planOutline(live.tasks.values())) {
    if (changes.get(id)?.kind !== 'added') continue;
    const task = live.tasks.get(id)!;
    const dates = liveDates.get(id);
    rows.push({ id, title: task.title, start: dates?.start ?? '', finish: dates?.finish ?? '', status: statusLabel(live, task.status), change: { kind: 'added' } });
  }
  return rows;
}

/** "Changed: renamed, rescheduled (by its links), moved, status" for a changed task. */
export function describeChange(change: PlanChange): string {
  if (change.kind === 'added') return 'Added since';
  if (change.kind === 'removed') return 'Removed since';
  return `Changed: ${changeParts(change).join(', ')}`;
}
