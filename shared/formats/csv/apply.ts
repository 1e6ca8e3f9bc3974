import * as Y from 'yjs';
import { newId } from '../../ids.ts';
import { isIsoDate } from '../../schema/validators.ts';
import { WorkCalendar } from '../../planning/calendar.ts';
import { readBoard } from '../../doc/read.ts';
import { boardMaps } from '../../doc/structure.ts';
import { importSlots, importedLinkEntity, importedTaskEntity } from '../importTasks.ts';
import type { PlanRow } from './row.ts';
import { statusForProgress } from '../../planning/completion.ts';

/**
 * Adds parsed plan rows to a board as new tasks (new ids, after the existing ones in the plan
 * outline and on the canvas) with their links, all in one `doc.transact(origin)`: one update
 * for every peer, one undo step for the importing user. The rows are trusted to come from
 * `parsePlanCsv` (links between them are checked there); every value is still validated
 * before it is written, and links to unknown rows are skipped.
 *
 * Start dates become "start no earlier than" dates of auto-scheduled tasks. When the project
 * start in effect is later than the earliest imported start, it moves back to that date, so
 * the imported tasks keep their dates instead of clamping to the project start.
 *
 * @example applyPlanRows(doc, parsed.rows, session.localOrigin) // { tasks: 12, dependencies: 9 }
 */
export interface PlanImportResult {
  tasks: number;
  dependencies: number;
  /** Set when the board's project start moved back to the earliest imported start. */
  projectStart?: string;
}

export function applyPlanRows(doc: Y.Doc, rows: readonly PlanRow[], origin?: unknown): PlanImportResult {
  if (rows.length === 0) return { tasks: 0, dependencies: 0 };
  let movedTo: string | undefined;
  const board = readBoard(doc);
  const calendar = new WorkCalendar(board.meta, rows.find((r) => r.start !== '')?.start ?? '2026-01-05');
  const idOf = new Map<number, string>();
  for (const row of rows) idOf.set(row.id, newId());
  let dependencies = 0;

  doc.transact(() => {
    const maps = boardMaps(doc);
    const statuses = board.meta.statuses;
    const slots = importSlots(doc, [...board.tasks.values(), ...board.notes.values()], rows.length);
    rows.forEach((row, i) => {
      const values: Record<string, unknown> = {
        ...slots[i],
        title: row.name,
        start: row.start,
        duration: durationOf(row, calendar),
        progress: row.progress,
        status: statusForProgress(row.progress, statuses),
        assignees: row.assignees,
        budget: row.cost,
        actualCost: row.actualCost,
        milestone: row.milestone,
        parent: row.parentId === null ? '' : (idOf.get(row.parentId) ?? ''),
        mode: 'auto',
      };
      maps.tasks.set(idOf.get(row.id)!, importedTaskEntity(values));
    });
    for (const row of rows) {
      for (const ref of row.predecessors) {
        const from = idOf.get(ref.id);
        const to = idOf.get(row.id)!;
        if (!from || from === to) continue;
        maps.deps.set(newId(), importedLinkEntity(from, to, ref.type, ref.lag));
        dependencies++;
      }
    }
    const earliest = rows.reduce((min, r) => (r.start !== '' && (min === '' || r.start < min) ? r.start : min), '');
    const created = board.meta.createdAt.slice(0, 10);
    const effective = board.meta.projectStart || (isIsoDate(created) ? created : '');
    if (earliest !== '' && effective !== '' && earliest < effective) {
      maps.meta.set('projectStart', earliest);
      movedTo = earliest;
    }
  }, origin);
  return movedTo ? { tasks: rows.length, dependencies, projectStart: movedTo } : { tasks: rows.length, dependencies };
}

/** Duration column, else working days from Start to Finish on the board calendar, else 1 (0 for a milestone). */
function durationOf(row: PlanRow, calendar: WorkCalendar): number {
  if (row.duration !== null) return row.duration;
  if (row.start !== '' && row.finish !== '') return row.milestone ? 0 : Math.max(1, calendar.workingDaysBetween(row.start, row.finish));
  return row.milestone ? 0 : 1;
}
