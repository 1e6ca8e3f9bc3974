import { MAX_TITLE_LENGTH } from '../../schema/entities.ts';
import type { PlanColumn } from './columns.ts';
import {
  parseCost,
  parseDate,
  parseDuration,
  parseOutlineLevel,
  parsePercent,
  parsePredecessors,
  parseResources,
  parseRowId,
  parseYesNo,
  type Cell,
  type PredecessorRef,
} from './cells.ts';

/** One task read from a plan CSV: validated, ready for `applyPlanRows`. */
export interface PlanRow {
  /** The spreadsheet row it came from (header = 1, first data row = 2). */
  row: number;
  /** Its ID in the file (the ID column, else its position among the data rows, from 1). */
  id: number;
  name: string;
  /** Working days; null when the file gives none (then Start + Finish, else 1 day). */
  duration: number | null;
  /** ISO dates or ''. */
  start: string;
  finish: string;
  predecessors: PredecessorRef[];
  /** 0..100. */
  progress: number;
  assignees: string[];
  /** The Cost column, stored as the task's budget. */
  cost: number;
  /** The Actual Cost column (cost so far). */
  actualCost: number;
  milestone: boolean;
  /** 1 = top level. */
  outlineLevel: number;
  /** ID of the summary row it belongs to; null at the top level. */
  parentId: number | null;
}

export type RowCells = (column: PlanColumn) => string;

/** Reading one data row: the fields, or every problem found in it (not only the first). */
export type RowResult = { ok: true; row: Omit<PlanRow, 'parentId'>; explicitId: boolean } | { ok: false; messages: string[] };

/** Parses the cells of one data row; `position` is its 1-based place among the data rows (the default ID). */
export function readRow(cell: RowCells, rowNumber: number, position: number): RowResult {
  const messages: string[] = [];
  const take = <T>(result: Cell<T>, fallback: T): T => {
    if (result.ok) return result.value;
    messages.push(result.message);
    return fallback;
  };
  // An empty Name is an untitled task (Planvas exports them so). A leading ' before = + - @
  // is the spreadsheet escape our export adds to keep a title from running as a formula.
  const name = unescapeFormula(cell('Name'));
  if (name.length > MAX_TITLE_LENGTH) messages.push(`Name is longer than ${MAX_TITLE_LENGTH} characters`);
  const idText = cell('ID');
  const id = idText === '' ? position : take(parseRowId(idText), position);
  const durationText = cell('Duration');
  const duration = durationText === '' ? null : take(parseDuration(durationText), null);
  const start = cell('Start') === '' ? '' : take(parseDate(cell('Start'), 'Start'), '');
  const finish = cell('Finish') === '' ? '' : take(parseDate(cell('Finish'), 'Finish'), '');
  if (duration === null && start !== '' && finish !== '' && finish < start) {
    messages.push(`Finish ${finish} is before Start ${start}`);
  }
  const predecessors = take(parsePredecessors(cell('Predecessors')), []);
  const progress = cell('% Complete') === '' ? 0 : take(parsePercent(cell('% Complete')), 0);
  const assignees = take(parseResources(cell('Resource Names')), []);
  const cost = cell('Cost') === '' ? 0 : take(parseCost(cell('Cost')), 0);
  const actualCost = cell('Actual Cost') === '' ? 0 : take(parseCost(cell('Actual Cost'), 'Actual Cost'), 0);
  const milestone = take(parseYesNo(cell('Milestone'), 'Milestone'), false);
  const outlineLevel = cell('Outline Level') === '' ? 1 : take(parseOutlineLevel(cell('Outline Level')), 1);
  if (messages.length > 0) return { ok: false, messages };
  return {
    ok: true,
    explicitId: idText !== '',
    row: { row: rowNumber, id, name, duration, start, finish, predecessors, progress, assignees, cost, actualCost, milestone, outlineLevel },
  };
}

/** "'=SUM(A1)" -> "=SUM(A1)": undoes the formula escape of a spreadsheet export. */
export function unescapeFormula(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
