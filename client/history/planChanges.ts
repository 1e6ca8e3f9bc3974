import type { BoardSnapshot } from '../../shared/doc/read.ts';
import { taskChanges, type TaskChange } from '../../shared/history/diff.ts';
import { resolveProjectStart, scheduleInputOf } from '../../shared/planning/fromBoard.ts';
import { schedule } from '../../shared/planning/schedule.ts';

/**
 * "Compare with now" the way a planner reads it: by scheduled dates, not only by the fields
 * people typed. A task nobody touched still moves when its predecessor slips, its subtasks
 * grow or a holiday is added; an MS Project user expects to see that. Both boards are
 * scheduled with the shared kernel (the same one every view uses) and compared task by task.
 * Pure: readings of both boards in, changes out.
 */

/** Why a task's dates moved when none of its own schedule fields changed. */
export type DatesCause = 'links' | 'subtasks' | 'calendar';

export type ChangedTask = Extract<TaskChange, { kind: 'changed' }> & {
  /** The scheduled start or finish differs between the version and now. */
  datesMoved: boolean;
  /** Set when the dates moved although the task's own start, duration, mode and milestone did not change. */
  movedBy?: DatesCause;
};

export type PlanChange = { kind: 'added' } | { kind: 'removed' } | ChangedTask;

export interface ScheduledDates {
  start: string;
  finish: string;
}

export interface PlanComparison {
  changes: Map<string, PlanChange>;
  versionDates: Map<string, ScheduledDates>;
  liveDates: Map<string, ScheduledDates>;
}

/** Scheduled start and finish of every task the kernel could place (ISO dates). */
export function scheduledDates(board: Pick<BoardSnapshot, 'tasks' | 'deps' | 'meta'>, today: string): Map<string, ScheduledDates> {
  const projectStart = resolveProjectStart(board.meta, board.tasks.values(), today);
  const plan = schedule(scheduleInputOf(board.tasks.values(), board.deps.values(), board.meta, projectStart));
  const out = new Map<string, ScheduledDates>();
  for (const [id, t] of plan.tasks) out.set(id, { start: t.earlyStart, finish: t.earlyFinish });
  return out;
}

/**
 * A previewed version never changes while people keep editing, so its schedule is computed
 * once per reading (and day) and reused at every live update that is compared against it.
 */
const versionSchedules = new WeakMap<BoardSnapshot, { today: string; dates: Map<string, ScheduledDates> }>();
function versionScheduledDates(version: BoardSnapshot, today: string): Map<string, ScheduledDates> {
  const cached = versionSchedules.get(version);
  if (cached?.today === today) return cached.dates;
  const dates = scheduledDates(version, today);
  versionSchedules.set(version, { today, dates });
  return dates;
}

/** Every task that differs between the version and now, stored fields and scheduled dates both. */
export function comparePlans(version: BoardSnapshot, live: BoardSnapshot, today: string): PlanComparison {
  const versionDates = versionScheduledDates(version, today);
  const liveDates = scheduledDates(live, today);
  const stored = taskChanges(version, live);
  const changes = new Map<string, PlanChange>();
  for (const [id, change] of stored) if (change.kind !== 'changed') changes.set(id, change);

  const parents = new Set<string>();
  for (const task of live.tasks.values()) if (task.parent) parents.add(task.parent);
  const successors = new Set<string>();
  for (const dep of live.deps.values()) successors.add(dep.to);
  for (const dep of version.deps.values()) successors.add(dep.to);
  const causeOf = (id: string): DatesCause => (parents.has(id) ? 'subtasks' : successors.has(id) ? 'links' : 'calendar');

  for (const id of live.tasks.keys()) {
    if (!version.tasks.has(id)) continue;
    const before = versionDates.get(id);
    const after = liveDates.get(id);
    const datesMoved = !!before && !!after && (before.start !== after.start || before.finish !== after.finish);
    const own = stored.get(id);
    if (own?.kind === 'changed') {
      changes.set(id, { ...own, datesMoved, ...(datesMoved && !own.rescheduled ? { movedBy: causeOf(id) } : {}) });
    } else if (datesMoved) {
      changes.set(id, { kind: 'changed', renamed: false, moved: false, rescheduled: false, fields: [], datesMoved, movedBy: causeOf(id) });
    }
  }
  return { changes, versionDates, liveDates };
}

const CAUSE_TEXT: Record<DatesCause, string> = {
  links: 'rescheduled (by its links)',
  subtasks: 'rescheduled (by its subtasks)',
  calendar: 'rescheduled (by the calendar)',
};

/** Fields named by the words before them (or not plan content people think about). */
const DESCRIBED_FIELDS: ReadonlySet<string> = new Set(['title', 'x', 'y', 'start', 'duration', 'milestone', 'mode']);

/** The parts of a changed task, in reading order: ["renamed", "rescheduled (by its links)", "moved", "status"]. */
export function changeParts(change: ChangedTask): string[] {
  const parts: string[] = [];
  if (change.renamed) parts.push('renamed');
  if (change.rescheduled) parts.push('rescheduled');
  else if (change.movedBy) parts.push(CAUSE_TEXT[change.movedBy]);
  if (change.moved) parts.push('moved');
  parts.push(...change.fields.filter((f) => !DESCRIBED_FIELDS.has(f)));
  return parts;
}
