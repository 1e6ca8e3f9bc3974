import type { BoardSnapshot } from '../../shared/doc/read.ts';
import { taskChanges, type TaskChange } from '../../shared/history/diff.ts';
import { planOutline } from '../../shared/planning/outline.ts';
import { scheduleReport } from '../../shared/planning/report.ts';

/**
 * The rows of a version preview: every task of the version in outline order, with its
 * scheduled dates and status; comparing with now adds the change of each task (and the tasks
 * added since, which the version does not have). Pure: readings of both boards in, rows out.
 */
export interface PreviewRow {
  id: string;
  title: string;
  start: string;
  finish: string;
  status: string;
  /** Only when comparing: how the task changed from the version to now. */
  change?: TaskChange;
  /** For a rescheduled task: its dates now. */
  nowStart?: string;
  nowFinish?: string;
}

export function previewRows(version: BoardSnapshot, live: BoardSnapshot | null, today: string): PreviewRow[] {
  const versionPlan = scheduleDates(version, today);
  const rows: PreviewRow[] = [];
  const statusLabel = (board: BoardSnapshot, key: string) => board.meta.statuses.find((s) => s.key === key)?.label ?? key;
  for (const { id } of planOutline(version.tasks.values())) {
    const task = version.tasks.get(id)!;
    const dates = versionPlan.get(id);
    rows.push({ id, title: task.title, start: dates?.start ?? '', finish: dates?.finish ?? '', status: statusLabel(version, task.status) });
  }
  if (!live) return rows;

  const changes = taskChanges(version, live);
  const livePlan = scheduleDates(live, today);
  for (const row of rows) {
    const change = changes.get(row.id);
    if (!change) continue;
    row.change = change;
    const now = livePlan.get(row.id);
    if (change.kind === 'changed' && now && (now.start !== row.start || now.finish !== row.finish)) {
      row.nowStart = now.start;
      row.nowFinish = now.finish;
    }
  }
  for (const { id } of planOutline(live.tasks.values())) {
    if (changes.get(id)?.kind !== 'added') continue;
    const task = live.tasks.get(id)!;
    const dates = livePlan.get(id);
    rows.push({ id, title: task.title, start: dates?.start ?? '', finish: dates?.finish ?? '', status: statusLabel(live, task.status), change: { kind: 'added' } });
  }
  return rows;
}

function scheduleDates(board: BoardSnapshot, today: string): Map<string, { start: string; finish: string }> {
  const report = scheduleReport({ ...board, today });
  return new Map(report.tasks.map((t) => [t.id, { start: t.earlyStart, finish: t.earlyFinish }]));
}

/** "moved · rescheduled · status" for a changed task. */
export function describeChange(change: TaskChange): string {
  if (change.kind === 'added') return 'Added since';
  if (change.kind === 'removed') return 'Removed since';
  const parts: string[] = [];
  if (change.renamed) parts.push('renamed');
  if (change.rescheduled) parts.push('rescheduled');
  if (change.moved) parts.push('moved');
  const other = change.fields.filter((f) => !['title', 'x', 'y', 'start', 'duration', 'milestone', 'mode'].includes(f));
  parts.push(...other);
  return `Changed: ${parts.join(', ')}`;
}
