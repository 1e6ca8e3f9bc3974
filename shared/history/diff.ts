import type { BoardSnapshot } from '../doc/read.ts';
import type { Task } from '../schema/entities.ts';
import { CHANGE_KINDS, emptySummary, settingLabel, SUMMARY_CAP, type ChangeKind, type ChangeRef, type VersionSummary } from './summary.ts';

/**
 * What changed between two readings of a board (shared/doc/read.ts `readBoard`). Pure: plain
 * data in, plain data out. Used by the server for the summary stored with each version and by
 * the client to compare a version with now.
 */
export type BoardContent = Pick<BoardSnapshot, 'tasks' | 'deps' | 'notes' | 'meta'>;

/** Fields whose change means the task is scheduled differently. */
const SCHEDULE_FIELDS = ['start', 'duration', 'milestone', 'mode'] as const satisfies readonly (keyof Task)[];
/** Fields whose change means the card moved on the canvas. */
const POSITION_FIELDS = ['x', 'y'] as const satisfies readonly (keyof Task)[];
/** Fields reported elsewhere (or not plan content): never counted as "updated". */
const NOT_UPDATED: ReadonlySet<string> = new Set(['id', 'kind', 'title', ...SCHEDULE_FIELDS, ...POSITION_FIELDS]);

/** How one task differs between two versions (see `taskChanges`). */
export type TaskChange =
  | { kind: 'added' }
  | { kind: 'removed' }
  | { kind: 'changed'; renamed: boolean; moved: boolean; rescheduled: boolean; fields: string[] };

/** Meta fields compared as plan settings (schemaVersion and createdAt describe the document). */
const SETTING_FIELDS = ['title', 'projectStart', 'workingDays', 'holidays', 'statuses', 'wipLimits', 'viewersMayComment'] as const;

/**
 * Every task that differs, by id: added, removed, or changed (with which fields). No cap:
 * the client uses it to highlight every changed task.
 */
export function taskChanges(before: BoardContent, after: BoardContent): Map<string, TaskChange> {
  const out = new Map<string, TaskChange>();
  for (const [id, task] of after.tasks) {
    const old = before.tasks.get(id);
    if (!old) {
      out.set(id, { kind: 'added' });
      continue;
    }
    const fields = changedFields(old, task);
    if (fields.length === 0) continue;
    out.set(id, {
      kind: 'changed',
      renamed: fields.includes('title'),
      moved: POSITION_FIELDS.some((f) => fields.includes(f)),
      rescheduled: SCHEDULE_FIELDS.some((f) => fields.includes(f)),
      fields,
    });
  }
  for (const id of before.tasks.keys()) if (!after.tasks.has(id)) out.set(id, { kind: 'removed' });
  return out;
}

/**
 * The summary of changes from `before` to `after`, each list capped at `cap` entries (sorted
 * by title so the stored sample is stable) with the real count in `counts`.
 *
 * @example summaryLine(diffBoards(readBoard(v1), readBoard(v2))) // "2 tasks added · 1 moved"
 */
export function diffBoards(before: BoardContent, after: BoardContent, cap: number = SUMMARY_CAP): VersionSummary {
  const lists: Record<ChangeKind, ChangeRef[]> = Object.fromEntries(CHANGE_KINDS.map((k) => [k, []])) as unknown as Record<ChangeKind, ChangeRef[]>;

  for (const [id, change] of taskChanges(before, after)) {
    if (change.kind === 'added') {
      lists.tasksAdded.push({ id, title: after.tasks.get(id)!.title });
      continue;
    }
    if (change.kind === 'removed') {
      lists.tasksRemoved.push({ id, title: before.tasks.get(id)!.title });
      continue;
    }
    const title = after.tasks.get(id)!.title;
    if (change.renamed) lists.tasksRenamed.push({ id, title, from: before.tasks.get(id)!.title });
    if (change.rescheduled) lists.tasksRescheduled.push({ id, title, fields: change.fields.filter((f) => (SCHEDULE_FIELDS as readonly string[]).includes(f)) });
    if (change.moved) lists.tasksMoved.push({ id, title });
    const other = change.fields.filter((f) => !NOT_UPDATED.has(f));
    if (other.length > 0) lists.tasksUpdated.push({ id, title, fields: other });
  }

  const taskTitle = (id: string): string => after.tasks.get(id)?.title ?? before.tasks.get(id)?.title ?? id;
  const depTitle = (from: string, to: string): string => `${taskTitle(from) || 'Untitled'} → ${taskTitle(to) || 'Untitled'}`;
  for (const [id, dep] of after.deps) {
    const old = before.deps.get(id);
    if (!old) lists.depsAdded.push({ id, title: depTitle(dep.from, dep.to) });
    else {
      const fields = (['from', 'to', 'type', 'lag'] as const).filter((f) => old[f] !== dep[f]);
      if (fields.length > 0) lists.depsChanged.push({ id, title: depTitle(dep.from, dep.to), fields });
    }
  }
  for (const [id, dep] of before.deps) if (!after.deps.has(id)) lists.depsRemoved.push({ id, title: depTitle(dep.from, dep.to) });

  const noteTitle = (text: string): string => {
    const line = text.trim().split('\n')[0] ?? '';
    return line.length > 60 ? `${line.slice(0, 59)}…` : line || 'Empty note';
  };
  for (const [id, note] of after.notes) {
    const old = before.notes.get(id);
    if (!old) {
      lists.notesAdded.push({ id, title: noteTitle(note.text) });
      continue;
    }
    const fields = changedFields(old, note);
    if (fields.length > 0) lists.notesChanged.push({ id, title: noteTitle(note.text), fields });
  }
  for (const [id, note] of before.notes) if (!after.notes.has(id)) lists.notesRemoved.push({ id, title: noteTitle(note.text) });

  for (const field of SETTING_FIELDS) {
    if (!sameValue(before.meta[field], after.meta[field])) lists.settingsChanged.push({ id: field, title: settingLabel(field) });
  }

  const summary = emptySummary();
  for (const kind of CHANGE_KINDS) {
    const list = lists[kind].sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    summary.counts[kind] = list.length;
    summary[kind] = list.slice(0, cap);
  }
  return summary;
}

/** Names of the fields whose values differ (plain, already validated read-model values). */
function changedFields<T extends object>(before: T, after: T): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out: string[] = [];
  for (const key of keys) {
    if (!sameValue((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key])) out.push(key);
  }
  return out.sort();
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** A board with nothing on it: the "before" of a board's first version. */
export function emptyBoardContent(meta: BoardContent['meta']): BoardContent {
  return { tasks: new Map(), deps: new Map(), notes: new Map(), meta };
}
