import { MAX_DESCRIPTION_LENGTH, MAX_DURATION_DAYS, MAX_MONEY, MAX_TITLE_LENGTH, type BaselineTask } from '../../schema/entities.ts';
import { CONSTRAINT_MSO, CONSTRAINT_SNET, FORMAT_DAYS } from './codes.ts';
import { durationDays, parseIsoDuration } from './duration.ts';
import { children, dateTime, flag, int, nextDay, num, text, type XmlNode } from './values.ts';

/** What the file says of one task, before the outline and the links are resolved. */
export interface RawTask {
  uid: number;
  /** Position in the outline (ID); the file order when absent. */
  order: number;
  outlineLevel: number;
  title: string;
  description: string;
  summaryFlag: boolean;
  start: string;
  duration: number;
  milestone: boolean;
  mode: 'auto' | 'manual';
  progress: number;
  cost: number;
  actualCost: number;
  links: RawLink[];
  baselines: Map<number, BaselineTask>;
}

export interface RawLink {
  predecessorUid: number;
  typeCode: number;
  linkLag: number;
  lagFormat: number;
  crossProject: boolean;
}

/** What the reader needs to know of the whole file to read a task. */
export interface TaskContext {
  minutesPerDay: number;
  workingDaysPerWeek: number;
  /** Minutes after midnight at which a working day ends (DefaultFinishTime, 17:00). */
  dayEnd: number;
}

/** ConstraintType codes Planvas cannot keep (2 Must Start On and 4 Start No Earlier Than become a start date). */
const UNSUPPORTED_CONSTRAINTS: Readonly<Record<number, string>> = {
  1: 'As Late As Possible',
  3: 'Must Finish On',
  5: 'Start No Later Than',
  6: 'Finish No Earlier Than',
  7: 'Finish No Later Than',
};

/** Currency fields in MSPDI are hundredths of the currency unit (MPXJ reads them the same way). */
const CURRENCY_SCALE = 100;

/**
 * Reads one Task element. Returns null (with a warning) for a task that cannot be used at
 * all; problems with one field take that field's default and are reported.
 */
export function readTask(node: XmlNode, position: number, ctx: TaskContext, warn: (message: string, task?: string) => void): RawTask | null {
  const uid = int(node, 'UID');
  const name = text(node, 'Name');
  const label = `UID ${uid ?? '?'}${name ? ` "${name.slice(0, 60)}"` : ''}`;
  if (uid === null || uid < 0) {
    warn(`a task without a valid UID was skipped`, label);
    return null;
  }
  if (flag(node, 'ExternalTask')) {
    warn(`a placeholder for a task of another project (ExternalTask) was skipped`, label);
    return null;
  }
  if (text(node, 'Active') === '0') warn('the task is inactive in MS Project; it was imported as an active task', label);
  const manual = flag(node, 'Manual');
  const constraint = int(node, 'ConstraintType');
  if (!manual && constraint !== null && UNSUPPORTED_CONSTRAINTS[constraint]) {
    warn(`the constraint "${UNSUPPORTED_CONSTRAINTS[constraint]}" has no Planvas equivalent; the task is scheduled as soon as possible`, label);
  }
  const format = int(node, 'DurationFormat') ?? FORMAT_DAYS;
  const start = readStart(node, manual, ctx);
  let duration = 1;
  const durationText = text(node, 'Duration') || text(node, 'ManualDuration');
  const minutes = durationText === '' ? null : parseIsoDuration(durationText);
  if (minutes !== null && minutes >= 0) {
    const converted = durationDays(minutes, format, ctx.minutesPerDay, ctx.workingDaysPerWeek);
    duration = converted.days;
    if (converted.elapsed) warn(`elapsed duration ${durationText} approximated as ${duration} working days`, label);
    else if (converted.inexact !== undefined) warn(`duration of ${round2(converted.inexact)} days rounded up to ${duration} days`, label);
  } else if (durationText !== '') {
    warn(`Duration "${durationText}" is not a duration; 1 day is used`, label);
  }
  if (duration > MAX_DURATION_DAYS) {
    warn(`duration of ${duration} days is more than ${MAX_DURATION_DAYS}; cut to ${MAX_DURATION_DAYS}`, label);
    duration = MAX_DURATION_DAYS;
  }
  let title = name;
  if (title.length > MAX_TITLE_LENGTH) {
    warn(`the name is longer than ${MAX_TITLE_LENGTH} characters and was cut`, label);
    title = title.slice(0, MAX_TITLE_LENGTH);
  }
  const links: RawLink[] = children(node, 'PredecessorLink').flatMap((link) => {
    const predecessorUid = int(link, 'PredecessorUID');
    if (predecessorUid === null) {
      warn('a predecessor link without a PredecessorUID was skipped', label);
      return [];
    }
    return [{ predecessorUid, typeCode: int(link, 'Type') ?? 1, linkLag: num(link, 'LinkLag') ?? 0, lagFormat: int(link, 'LagFormat') ?? FORMAT_DAYS, crossProject: flag(link, 'CrossProject') }];
  });
  return {
    uid,
    order: int(node, 'ID') ?? position,
    outlineLevel: outlineLevel(node),
    title,
    description: text(node, 'Notes').replace(/\r\n?/g, '\n').slice(0, MAX_DESCRIPTION_LENGTH),
    summaryFlag: flag(node, 'Summary'),
    start,
    duration,
    milestone: flag(node, 'Milestone'),
    mode: manual ? 'manual' : 'auto',
    progress: clampNumber(num(node, 'PercentComplete') ?? 0, 0, 100, 'PercentComplete', label, warn),
    cost: money(node, 'Cost', label, warn),
    actualCost: money(node, 'ActualCost', label, warn),
    links,
    baselines: readBaselines(node, ctx, label, warn),
  };
}

/**
 * Manual tasks: their own start (ManualStart, else Start). Auto tasks: the constraint date of a
 * "start no earlier than" / "must start on" constraint, else the actual start of a task in
 * progress, else '' (as soon as possible: links and the project start place it, as in MS
 * Project). A date at or after the end of the working day means the next day.
 */
function readStart(node: XmlNode, manual: boolean, ctx: TaskContext): string {
  const day = (name: string): string => {
    const value = dateTime(node, name);
    if (!value) return '';
    return value.minutes >= ctx.dayEnd ? nextDay(value.date) : value.date;
  };
  if (manual) return day('ManualStart') || day('Start');
  const constraint = int(node, 'ConstraintType');
  if (constraint === CONSTRAINT_SNET || constraint === CONSTRAINT_MSO) {
    const date = day('ConstraintDate');
    if (date) return date;
  }
  return day('ActualStart');
}

/** OutlineLevel, else the depth of OutlineNumber ("1.2.3" -> 3), else 1. */
function outlineLevel(node: XmlNode): number {
  const level = int(node, 'OutlineLevel');
  if (level !== null && level >= 0) return level;
  const number = text(node, 'OutlineNumber');
  return /^\d+(\.\d+)*$/.test(number) ? number.split('.').length : 1;
}

function readBaselines(node: XmlNode, ctx: TaskContext, label: string, warn: (message: string, task?: string) => void): Map<number, BaselineTask> {
  const out = new Map<number, BaselineTask>();
  for (const baseline of children(node, 'Baseline')) {
    const number = int(baseline, 'Number');
    if (number === null || number < 0 || number > 10) {
      warn(`a baseline with Number "${text(baseline, 'Number')}" was skipped (MS Project numbers them 0 to 10)`, label);
      continue;
    }
    const start = dateTime(baseline, 'Start');
    const finish = dateTime(baseline, 'Finish');
    // Baselines of cost only (no dates) cannot be drawn or compared by date: Planvas keeps dated entries.
    if (!start || !finish) {
      warn(`Baseline ${number} has no start and finish (only ${text(baseline, 'Cost') !== '' ? 'a cost' : 'other fields'}); it was not imported for this task`, label);
      continue;
    }
    const minutes = parseIsoDuration(text(baseline, 'Duration'));
    const format = int(baseline, 'DurationFormat') ?? FORMAT_DAYS;
    const duration = minutes === null || minutes < 0 ? 0 : durationDays(minutes, format, ctx.minutesPerDay, ctx.workingDaysPerWeek).days;
    out.set(number, { start: start.date, finish: finish.date, duration, cost: money(baseline, 'Cost', label, warn) });
  }
  return out;
}

function money(node: XmlNode, name: string, label: string, warn: (message: string, task?: string) => void): number {
  const value = num(node, name);
  if (value === null) return 0;
  return clampNumber(value / CURRENCY_SCALE, 0, MAX_MONEY, name, label, warn);
}

function clampNumber(value: number, min: number, max: number, field: string, label: string, warn: (message: string, task?: string) => void): number {
  if (value >= min && value <= max) return value;
  const clamped = Math.min(max, Math.max(min, value));
  warn(`${field} ${value} is out of range; ${clamped} is used`, label);
  return clamped;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
