import * as Y from 'yjs';
import { newId } from '../../ids.ts';
import { DEFAULT_TASK_SIZE } from '../../schema/entities.ts';
import { DEPENDENCY_FIELDS, TASK_FIELDS, isIsoDate, type FieldSpec } from '../../schema/validators.ts';
import { nKeysAbove } from '../../schema/zorder.ts';
import { WorkCalendar } from '../../planning/calendar.ts';
import { allRanks, allZ } from '../../doc/ops.ts';
import { readBoard } from '../../doc/read.ts';
import { boardMaps } from '../../doc/structure.ts';
import type { PlanRow } from './row.ts';
import { statusForProgress } from '../../planning/completion.ts';

/** Imported cards are laid out in a grid of this many columns below everything on the canvas. */
const GRID_COLUMNS = 8;
const GRID_GAP = 40;
const MARGIN_BELOW = 120;

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
  const origin0 = gridOrigin([...board.tasks.values(), ...board.notes.values()]);
  const idOf = new Map<number, string>();
  for (const row of rows) idOf.set(row.id, newId());
  let dependencies = 0;

  doc.transact(() => {
    const maps = boardMaps(doc);
    const statuses = board.meta.statuses;
    const zKeys = nKeysAbove(allZ(doc), rows.length);
    const ranks = nKeysAbove(allRanks(doc, 'rank'), rows.length);
    const boardRanks = nKeysAbove(allRanks(doc, 'boardRank'), rows.length);
    rows.forEach((row, i) => {
      const values: Record<string, unknown> = {
        title: row.name,
        x: origin0.x + (i % GRID_COLUMNS) * (DEFAULT_TASK_SIZE.w + GRID_GAP),
        y: origin0.y + Math.floor(i / GRID_COLUMNS) * (DEFAULT_TASK_SIZE.h + GRID_GAP),
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
        z: zKeys[i],
        rank: ranks[i],
        boardRank: boardRanks[i],
      };
      const entity = new Y.Map<unknown>();
      for (const [key, spec] of Object.entries(TASK_FIELDS) as Array<[string, FieldSpec]>) {
        if (key === 'description') continue;
        const parsed = values[key] === undefined ? null : spec.schema.safeParse(values[key]);
        const value = parsed?.success ? parsed.data : structuredCloneIfObject(spec.fallback);
        // The duration validator's Math.ceil(0 - 1e-9) is -0; write a plain 0.
        entity.set(key, Object.is(value, -0) ? 0 : value);
      }
      entity.set('description', new Y.Text(''));
      maps.tasks.set(idOf.get(row.id)!, entity);
    });
    for (const row of rows) {
      for (const ref of row.predecessors) {
        const from = idOf.get(ref.id);
        const to = idOf.get(row.id)!;
        if (!from || from === to) continue;
        const type = DEPENDENCY_FIELDS.type.schema.safeParse(ref.type);
        const lag = DEPENDENCY_FIELDS.lag.schema.safeParse(ref.lag);
        const entity = new Y.Map<unknown>();
        entity.set('from', from);
        entity.set('to', to);
        entity.set('type', type.success ? type.data : 'FS');
        entity.set('lag', lag.success ? lag.data : 0);
        maps.deps.set(newId(), entity);
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

/** Top-left of the import grid: under the lowest shape, aligned with the leftmost one. */
function gridOrigin(shapes: ReadonlyArray<{ x: number; y: number; h: number }>): { x: number; y: number } {
  if (shapes.length === 0) return { x: 0, y: 0 };
  let left = Infinity;
  let bottom = -Infinity;
  for (const s of shapes) {
    left = Math.min(left, s.x);
    bottom = Math.max(bottom, s.y + s.h);
  }
  return { x: Math.round(left), y: Math.round(bottom + MARGIN_BELOW) };
}

function structuredCloneIfObject<T>(value: T): T {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}
