import * as Y from 'yjs';
import type { Baseline, BaselineTask, BoardMeta, Dependency, Note, Task } from '../schema/entities.ts';
import { isIsoDate } from '../schema/validators.ts';
import { WorkCalendar } from '../planning/calendar.ts';
import { DEPENDENCY_FIELDS, META_FIELDS, NOTE_FIELDS, TASK_FIELDS, readFields } from '../schema/validators.ts';
import { boardMaps, entityFields } from './structure.ts';

/**
 * The one validating layer between a Y.Doc (written by any peer, trusted by none) and the
 * views. Missing or wrong fields get defaults, entities that cannot be used are skipped, and
 * everything odd is reported as a `ReadProblem` instead of thrown.
 */
export interface ReadProblem {
  collection: 'tasks' | 'notes' | 'deps' | 'meta' | 'baselines';
  id: string;
  message: string;
}

export type ProblemSink = (problem: ReadProblem) => void;

const MAX_KEY_LENGTH = 100;

function usableKey(id: string): boolean {
  return id.length > 0 && id.length <= MAX_KEY_LENGTH;
}

/** Reads one task entity; null (and a problem) when the value is not a Y.Map. */
export function readTask(id: string, value: unknown, report: ProblemSink = ignore): Task | null {
  if (!(value instanceof Y.Map) || !usableKey(id)) {
    report({ collection: 'tasks', id, message: 'entry is not a Y.Map; skipped' });
    return null;
  }
  const raw = upgradeLegacyTaskFields(entityFields(value));
  const fields = readFields(TASK_FIELDS, raw, (p) => report({ collection: 'tasks', id, message: `${p.field}: ${p.message}` }));
  return { id, kind: 'task', ...fields };
}

/**
 * Schema v1 wrote one `assignee` string and an `end` date. A board is migrated when a v2
 * client opens it, but a v1 client may still write these: read them as the v2 fields
 * (duration in Monday-to-Friday working days) when the v2 field is absent.
 */
function upgradeLegacyTaskFields(raw: Record<string, unknown>): Record<string, unknown> {
  if (raw.assignees === undefined && typeof raw.assignee === 'string') {
    raw.assignees = raw.assignee.trim() === '' ? [] : [raw.assignee];
  }
  if (raw.duration === undefined && isIsoDate(raw.start) && isIsoDate(raw.end)) {
    raw.duration = legacyDuration(raw.start, raw.end);
  }
  return raw;
}

/** Working days (Monday to Friday) from start to end inclusive; at least 1. */
export function legacyDuration(start: string, end: string): number {
  return Math.max(1, new WorkCalendar({ workingDays: [1, 2, 3, 4, 5], holidays: [] }, start).workingDaysBetween(start, end));
}

/** Reads one sticky note; its text may be a Y.Text (normal) or a plain string (foreign client). */
export function readNote(id: string, value: unknown, report: ProblemSink = ignore): Note | null {
  if (!(value instanceof Y.Map) || !usableKey(id)) {
    report({ collection: 'notes', id, message: 'entry is not a Y.Map; skipped' });
    return null;
  }
  const fields = readFields(NOTE_FIELDS, entityFields(value), (p) =>
    report({ collection: 'notes', id, message: `${p.field}: ${p.message}` }),
  );
  return { id, kind: 'note', ...fields };
}

/**
 * Reads one dependency without checking its ends; `readBoard` drops those whose tasks are
 * gone. Returns null when it has no usable ends.
 */
export function readDependency(id: string, value: unknown, report: ProblemSink = ignore): Dependency | null {
  if (!(value instanceof Y.Map) || !usableKey(id)) {
    report({ collection: 'deps', id, message: 'entry is not a Y.Map; skipped' });
    return null;
  }
  const fields = readFields(DEPENDENCY_FIELDS, entityFields(value), (p) =>
    report({ collection: 'deps', id, message: `${p.field}: ${p.message}` }),
  );
  if (fields.from === '' || fields.to === '') {
    report({ collection: 'deps', id, message: 'dependency without both ends; ignored' });
    return null;
  }
  return { id, ...fields };
}

export function readMeta(doc: Y.Doc, report: ProblemSink = ignore): BoardMeta {
  const meta = boardMaps(doc).meta;
  const raw: Record<string, unknown> = {};
  meta.forEach((value, key) => {
    raw[key] = value instanceof Y.Text ? value.toString() : value;
  });
  return readFields(META_FIELDS, raw, (p) => report({ collection: 'meta', id: p.field, message: p.message }));
}

/** True when a dependency can be drawn: both ends are live tasks and it is not a self-loop. */
export function isLiveDependency(dep: Dependency, tasks: ReadonlyMap<string, Task>): boolean {
  return dep.from !== dep.to && tasks.has(dep.from) && tasks.has(dep.to);
}

/** Reads one baseline; null (and a problem) when it is not a Y.Map. Unusable task entries are skipped. */
export function readBaseline(id: string, value: unknown, report: ProblemSink = ignore): Baseline | null {
  if (!(value instanceof Y.Map) || !usableKey(id)) {
    report({ collection: 'baselines', id, message: 'entry is not a Y.Map; skipped' });
    return null;
  }
  const name = value.get('name');
  const createdAt = value.get('createdAt');
  const rawTasks = value.get('tasks');
  const tasks: Record<string, BaselineTask> = {};
  if (rawTasks && typeof rawTasks === 'object' && !Array.isArray(rawTasks)) {
    for (const [taskId, entry] of Object.entries(rawTasks as Record<string, unknown>)) {
      const task = readBaselineTask(entry);
      if (task) tasks[taskId] = task;
      else report({ collection: 'baselines', id, message: `task ${taskId}: unusable entry; skipped` });
    }
  } else if (rawTasks !== undefined) {
    report({ collection: 'baselines', id, message: 'tasks: not an object; baseline read as empty' });
  }
  return {
    id,
    name: typeof name === 'string' && name.trim() !== '' ? name.slice(0, 200) : 'Baseline',
    // An ISO timestamp (or date); anything else is unknown.
    createdAt: typeof createdAt === 'string' && isIsoDate(createdAt.slice(0, 10)) ? createdAt.slice(0, 40) : '',
    tasks,
  };
}

function readBaselineTask(entry: unknown): BaselineTask | null {
  if (!entry || typeof entry !== 'object') return null;
  const { start, finish, duration, cost } = entry as Record<string, unknown>;
  if (!isIsoDate(start) || !isIsoDate(finish)) return null;
  const finite = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  return { start, finish, duration: finite(duration), cost: finite(cost) };
}

/** Every readable baseline, oldest first. */
export function readBaselines(doc: Y.Doc, report: ProblemSink = ignore): Baseline[] {
  const out: Baseline[] = [];
  boardMaps(doc).baselines.forEach((value, id) => {
    const baseline = readBaseline(id, value, report);
    if (baseline) out.push(baseline);
  });
  return out.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
}

export interface BoardSnapshot {
  meta: BoardMeta;
  tasks: Map<string, Task>;
  notes: Map<string, Note>;
  /** Only dependencies whose both tasks exist. */
  deps: Map<string, Dependency>;
  baselines: Baseline[];
  problems: ReadProblem[];
}

/** Reads the whole board. O(size of the board): views that update often read incrementally. */
export function readBoard(doc: Y.Doc): BoardSnapshot {
  const problems: ReadProblem[] = [];
  const report: ProblemSink = (p) => problems.push(p);
  const maps = boardMaps(doc);
  const tasks = new Map<string, Task>();
  maps.tasks.forEach((value, id) => {
    const task = readTask(id, value, report);
    if (task) tasks.set(id, task);
  });
  const notes = new Map<string, Note>();
  maps.notes.forEach((value, id) => {
    const note = readNote(id, value, report);
    if (note) notes.set(id, note);
  });
  const deps = new Map<string, Dependency>();
  maps.deps.forEach((value, id) => {
    const dep = readDependency(id, value, report);
    if (!dep) return;
    if (isLiveDependency(dep, tasks)) deps.set(id, dep);
    else report({ collection: 'deps', id, message: 'dependency refers to a missing task or itself; ignored' });
  });
  return { meta: readMeta(doc, report), tasks, notes, deps, baselines: readBaselines(doc, report), problems };
}

function ignore(): void {}
