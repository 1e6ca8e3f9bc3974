import type { Baseline, Dependency, Task } from '../../schema/entities.ts';
import type { BoardSnapshot } from '../../doc/read.ts';
import { resolveProjectStart, scheduleInputOf } from '../../planning/fromBoard.ts';
import { epochDay } from '../../planning/calendar.ts';
import { planOutline } from '../../planning/outline.ts';
import { schedule } from '../../planning/schedule.ts';
import type { ScheduledTask } from '../../planning/types.ts';
import { CONSTRAINT_ASAP, CONSTRAINT_SNET, FORMAT_DAYS, LINK_TYPE_CODE, MSPDI_NAMESPACE } from './codes.ts';
import { formatIsoDuration } from './duration.ts';
import { DAY_FINISH, DAY_START, writeCalendar } from './exportCalendar.ts';
import { XmlWriter } from './xml.ts';
import { linksIntoEachTask } from '../exportLinks.ts';

/** The export's working day: MS Project's default, so a day in Planvas is a day in MS Project. */
export const EXPORT_MINUTES_PER_DAY = 480;
/** MSPDI currency fields are hundredths of the currency unit. */
const CURRENCY_SCALE = 100;
/** MS Project keeps Baseline 0 … Baseline 10. */
const MAX_BASELINES = 11;
/** Project/Name's maxLength in the published schema (mspdi_pj12.xsd), in characters. */
const MAX_PROJECT_NAME_LENGTH = 255;

/**
 * Task children in the order of the schema's xs:sequence for Task (mspdi_pj12.xsd and later).
 * MS Project's reader rejects elements out of this order; a test checks the export against it.
 */
export const TASK_ELEMENT_ORDER = [
  'UID', 'ID', 'Name', 'Active', 'Manual', 'Type', 'IsNull', 'OutlineNumber', 'OutlineLevel', 'Start', 'Finish', 'Duration',
  'ManualStart', 'ManualFinish', 'ManualDuration', 'DurationFormat', 'Estimated', 'Milestone', 'Summary', 'FixedCost',
  'PercentComplete', 'Cost', 'ActualCost', 'ConstraintType', 'CalendarUID', 'ConstraintDate', 'Notes', 'PredecessorLink', 'Baseline',
] as const;

/**
 * The board's plan as an MS Project XML (MSPDI) document that MS Project 2007-2019 opens:
 * SaveVersion 14, the board calendar as the "Standard" calendar, one Task per task in plan
 * outline order (UID = ID = outline row, hierarchy as OutlineNumber/OutlineLevel), dates from
 * the Planvas scheduler at 08:00 / 17:00, durations in hours of 8-hour days shown as days,
 * links with type and lag (LinkLag in tenths of minutes, LagFormat days), up to 11 baselines
 * (oldest first as Baseline 0, 1, …), resources from the assignees and their assignments.
 * Auto tasks with a start date get a "start no earlier than" constraint, manual tasks keep
 * their dates (Manual = 1). `parseMspdi` reads it back to the same plan and schedule. Pure.
 *
 * @example exportMspdi({ board: readBoard(doc), today: '2026-01-05' })
 */
export function exportMspdi(input: { board: BoardSnapshot; today: string }): string {
  const { board } = input;
  const tasks = board.tasks;
  const deps = [...board.deps.values()].filter((d) => tasks.has(d.from) && tasks.has(d.to) && d.from !== d.to);
  const projectStart = resolveProjectStart(board.meta, tasks.values(), input.today);
  const plan = schedule(scheduleInputOf(tasks.values(), deps, board.meta, projectStart));
  const outline = planOutline(tasks.values());
  const uidOf = new Map(outline.map((entry, i) => [entry.id, i + 1]));
  // Links that close a loop are left out too: MS Project refuses circular links.
  const incoming = linksIntoEachTask(deps, [...plan.problems.map((p) => p.id), ...plan.cycles.flatMap((c) => c.dependencies)]);
  const baselines = board.baselines.slice(0, MAX_BASELINES);
  const resources = resourceNames(outline.map((e) => tasks.get(e.id)!));

  const out = new XmlWriter();
  out.open('Project', ` xmlns="${MSPDI_NAMESPACE}"`);
  out.leaf('SaveVersion', 14);
  // The schema allows 255 characters in Project/Name (512 in Title): a long title is cut there.
  out.leaf('Name', `${[...board.meta.title].slice(0, MAX_PROJECT_NAME_LENGTH - '.xml'.length).join('')}.xml`);
  out.leaf('Title', board.meta.title);
  out.leaf('ScheduleFromStart', 1);
  out.leaf('StartDate', `${plan.projectStart}T${DAY_START}`);
  out.leaf('FinishDate', `${plan.projectFinish}T${DAY_FINISH}`);
  out.leaf('CalendarUID', 1);
  out.leaf('DefaultStartTime', DAY_START);
  out.leaf('DefaultFinishTime', DAY_FINISH);
  out.leaf('MinutesPerDay', EXPORT_MINUTES_PER_DAY);
  out.leaf('MinutesPerWeek', EXPORT_MINUTES_PER_DAY * board.meta.workingDays.length);
  out.leaf('DaysPerMonth', 20);
  out.leaf('DurationFormat', FORMAT_DAYS);
  out.leaf('CurrentDate', `${input.today}T${DAY_START}`);
  out.leaf('NewTasksAreManual', 0);
  writeCalendar(out, board.meta);

  out.open('Tasks');
  const counters: number[] = [];
  outline.forEach((entry, i) => {
    counters.length = entry.depth + 1;
    counters[entry.depth] = (counters[entry.depth] ?? 0) + 1;
    const task = tasks.get(entry.id)!;
    const scheduled = plan.tasks.get(entry.id)!;
    writeTask(out, {
      task,
      scheduled,
      uid: i + 1,
      outlineNumber: counters.join('.'),
      outlineLevel: entry.depth + 1,
      links: (incoming.get(entry.id) ?? []).map((dep) => ({ dep, fromUid: uidOf.get(dep.from)! })).sort((a, b) => a.fromUid - b.fromUid),
      baselines,
      startIndexOfDate: (iso) => plan.calendar.indexOnOrAfter(epochDay(iso)),
    });
  });
  out.close('Tasks');

  out.open('Resources');
  [...resources].forEach((name, i) => {
    out.open('Resource');
    out.leaf('UID', i + 1);
    out.leaf('ID', i + 1);
    out.leaf('Name', name);
    out.leaf('Type', 1);
    out.leaf('IsNull', 0);
    out.close('Resource');
  });
  out.close('Resources');

  out.open('Assignments');
  const resourceUid = new Map([...resources].map((name, i) => [name, i + 1]));
  let assignment = 0;
  outline.forEach((entry, i) => {
    for (const name of new Set(tasks.get(entry.id)!.assignees.map(resourceName))) {
      out.open('Assignment');
      out.leaf('UID', ++assignment);
      out.leaf('TaskUID', i + 1);
      out.leaf('ResourceUID', resourceUid.get(name)!);
      out.close('Assignment');
    }
  });
  out.close('Assignments');
  out.close('Project');
  return out.toString();
}

interface TaskRow {
  task: Task;
  scheduled: ScheduledTask;
  uid: number;
  outlineNumber: string;
  outlineLevel: number;
  links: Array<{ dep: Dependency; fromUid: number }>;
  baselines: readonly Baseline[];
  /** Working-day index of an ISO date in the schedule's calendar. */
  startIndexOfDate: (iso: string) => number;
}

function writeTask(out: XmlWriter, row: TaskRow): void {
  const { task, scheduled } = row;
  const summary = scheduled.summary;
  const milestone = scheduled.milestone && !summary;
  // A milestone placed by a finish link sits at the end of its predecessor's last day, as
  // MS Project places it (17:00), not at the start of the next working day.
  const endOfDay = milestone && row.startIndexOfDate(scheduled.start) < scheduled.startIndex;
  const start = `${scheduled.start}T${endOfDay ? DAY_FINISH : DAY_START}`;
  const finish = milestone ? start : `${scheduled.finish}T${DAY_FINISH}`;
  const duration = formatIsoDuration((milestone ? 0 : scheduled.duration) * EXPORT_MINUTES_PER_DAY);
  const manual = task.mode === 'manual' && !summary;
  const constrained = !manual && !summary && task.start !== '';
  out.open('Task');
  out.leaf('UID', row.uid);
  out.leaf('ID', row.uid);
  out.leaf('Name', task.title);
  out.leaf('Active', 1);
  out.leaf('Manual', manual ? 1 : 0);
  // Fixed duration: assigning people must not change how long a task takes.
  out.leaf('Type', 1);
  out.leaf('IsNull', 0);
  out.leaf('OutlineNumber', row.outlineNumber);
  out.leaf('OutlineLevel', row.outlineLevel);
  out.leaf('Start', start);
  out.leaf('Finish', finish);
  out.leaf('Duration', duration);
  if (manual) {
    out.leaf('ManualStart', start);
    out.leaf('ManualFinish', finish);
    out.leaf('ManualDuration', duration);
  }
  out.leaf('DurationFormat', FORMAT_DAYS);
  out.leaf('Estimated', 0);
  out.leaf('Milestone', milestone ? 1 : 0);
  out.leaf('Summary', summary ? 1 : 0);
  // A leaf's budget is a fixed cost in MS Project (no resource rates here); summaries roll up.
  if (!summary) out.leaf('FixedCost', task.budget * CURRENCY_SCALE);
  out.leaf('PercentComplete', Math.round(scheduled.progress));
  out.leaf('Cost', scheduled.budget * CURRENCY_SCALE);
  out.leaf('ActualCost', scheduled.actualCost * CURRENCY_SCALE);
  out.leaf('ConstraintType', constrained ? CONSTRAINT_SNET : CONSTRAINT_ASAP);
  out.leaf('CalendarUID', -1);
  if (constrained) out.leaf('ConstraintDate', `${task.start}T${DAY_START}`);
  if (task.description !== '') out.leaf('Notes', task.description);
  for (const { dep, fromUid } of row.links) {
    out.open('PredecessorLink');
    out.leaf('PredecessorUID', fromUid);
    out.leaf('Type', LINK_TYPE_CODE[dep.type]);
    out.leaf('CrossProject', 0);
    out.leaf('LinkLag', dep.lag * EXPORT_MINUTES_PER_DAY * 10);
    out.leaf('LagFormat', FORMAT_DAYS);
    out.close('PredecessorLink');
  }
  row.baselines.forEach((baseline, number) => {
    const entry = baseline.tasks[task.id];
    if (!entry) return;
    const zero = entry.duration === 0;
    out.open('Baseline');
    out.leaf('Number', number);
    out.leaf('Start', `${entry.start}T${DAY_START}`);
    out.leaf('Finish', `${entry.finish}T${zero ? DAY_START : DAY_FINISH}`);
    out.leaf('Duration', formatIsoDuration(entry.duration * EXPORT_MINUTES_PER_DAY));
    out.leaf('DurationFormat', FORMAT_DAYS);
    out.leaf('Cost', entry.cost * CURRENCY_SCALE);
    out.close('Baseline');
  });
  out.close('Task');
}

/** Every assignee once, in outline order of first appearance: the project's resource sheet. */
function resourceNames(tasks: readonly Task[]): Set<string> {
  const names = new Set<string>();
  for (const task of tasks) for (const name of task.assignees) names.add(resourceName(name));
  return names;
}

/**
 * MS Project refuses resource names with square brackets or the list separator (a comma):
 * "Smith, Ann [QA]" is written as "Smith Ann (QA)".
 */
export function resourceName(name: string): string {
  return name.replace(/\[/g, '(').replace(/\]/g, ')').replace(/\s*,\s*/g, ' ').trim() || '?';
}
