import Papa from 'papaparse';
import type { BoardMeta, Dependency, Task } from '../../schema/entities.ts';
import { resolveProjectStart, scheduleInputOf } from '../../planning/fromBoard.ts';
import { planOutline } from '../../planning/outline.ts';
import { schedule } from '../../planning/schedule.ts';
import { linksIntoEachTask } from '../exportLinks.ts';
import { PLAN_COLUMNS, type PlanColumn } from './columns.ts';

/** What the export reads: a board snapshot (`readBoard`) or the client's live plan model. */
export interface PlanExportInput {
  tasks: ReadonlyMap<string, Task>;
  /** The dependencies (a snapshot's map or a list); links to missing tasks are skipped. */
  deps: ReadonlyMap<string, Dependency> | Iterable<Dependency>;
  meta: Pick<BoardMeta, 'projectStart' | 'createdAt' | 'workingDays' | 'holidays'>;
  /** Today's ISO date: the project start when nothing else gives one (the kernel has no clock). */
  today: string;
}

/**
 * The board's plan as CSV in MS Project's columns (columns.ts), one row per task in plan
 * outline order. ID is the row number, Start and Finish are the scheduled dates, Duration,
 * % Complete and Cost roll up for summary tasks, Predecessors are in MS Project's form
 * ("3;4SS+2 days;5FF-1 days"; a finish-to-start link without lag is just the ID). Quoted per
 * RFC 4180, CRLF line ends. `parsePlanCsv` reads it back to the same plan. Pure.
 *
 * @example exportPlanCsv({ ...readBoard(doc), today: '2026-01-05' })
 */
export function exportPlanCsv(input: PlanExportInput): string {
  const projectStart = resolveProjectStart(input.meta, input.tasks.values(), input.today);
  const all = input.deps instanceof Map ? [...(input.deps as ReadonlyMap<string, Dependency>).values()] : [...(input.deps as Iterable<Dependency>)];
  const deps = all.filter((d) => input.tasks.has(d.from) && input.tasks.has(d.to) && d.from !== d.to);
  const plan = schedule(scheduleInputOf(input.tasks.values(), deps, input.meta, projectStart));
  const outline = planOutline(input.tasks.values());
  const rowOf = new Map(outline.map((entry, i) => [entry.id, i + 1]));
  // Only the links the schedule uses, once per pair of tasks: links between a summary and its
  // own subtask, and a second link two people made between the same tasks at once, would be
  // refused by the import.
  const incoming = linksIntoEachTask(deps, plan.problems.map((p) => p.id));
  const data = outline.map((entry, i): Record<PlanColumn, string> => {
    const task = input.tasks.get(entry.id)!;
    const scheduled = plan.tasks.get(entry.id)!;
    const predecessors = (incoming.get(entry.id) ?? [])
      .map((dep) => ({ row: rowOf.get(dep.from)!, dep }))
      .sort((a, b) => a.row - b.row || (a.dep.id < b.dep.id ? -1 : 1))
      .map(({ row, dep }) => predecessorText(row, dep));
    return {
      ID: String(i + 1),
      Name: task.title,
      Duration: days(scheduled.duration),
      Start: scheduled.start,
      Finish: scheduled.finish,
      Predecessors: predecessors.join(';'),
      '% Complete': `${round2(scheduled.progress)}%`,
      'Resource Names': task.assignees.join(','),
      Cost: String(round2(scheduled.budget)),
      'Actual Cost': String(round2(scheduled.actualCost)),
      // A 0-day task is a milestone, as MS Project marks it.
      Milestone: scheduled.milestone && !scheduled.summary ? 'Yes' : 'No',
      'Outline Level': String(entry.depth + 1),
    };
  });
  return Papa.unparse({ fields: [...PLAN_COLUMNS], data: data.map((row) => PLAN_COLUMNS.map((c) => row[c])) }, {
    newline: '\r\n',
    quotes: false,
    // A title like =HYPERLINK(...) is written as '=HYPERLINK(...) so spreadsheets show it instead of running it.
    escapeFormulae: true,
  });
}

/** "3", "4SS", "3FS+2 days", "5FF-1 day". */
export function predecessorText(row: number, dep: Pick<Dependency, 'type' | 'lag'>): string {
  if (dep.lag === 0) return dep.type === 'FS' ? String(row) : `${row}${dep.type}`;
  return `${row}${dep.type}${dep.lag > 0 ? '+' : '-'}${days(Math.abs(dep.lag))}`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** "1 day", "0 days", "2.5 days": MS Project's own wording. */
function days(n: number): string {
  return `${n} ${n === 1 ? 'day' : 'days'}`;
}
