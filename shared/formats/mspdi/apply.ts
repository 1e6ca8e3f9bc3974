import * as Y from 'yjs';
import { newId } from '../../ids.ts';
import { DEFAULT_TASK_SIZE, type BaselineTask } from '../../schema/entities.ts';
import { DEPENDENCY_FIELDS, META_FIELDS, TASK_FIELDS, isIsoDate, type FieldSpec } from '../../schema/validators.ts';
import { nKeysAbove } from '../../schema/zorder.ts';
import { allRanks, allZ } from '../../doc/ops.ts';
import { saveBaseline } from '../../doc/planOps.ts';
import { readBoard } from '../../doc/read.ts';
import { boardMaps } from '../../doc/structure.ts';
import type { MspdiPlan } from './types.ts';
import { statusForProgress } from '../../planning/completion.ts';

/** Imported cards are laid out in a grid of this many columns below everything on the canvas. */
const GRID_COLUMNS = 8;
const GRID_GAP = 40;
const MARGIN_BELOW = 120;

export interface MspdiImportResult {
  tasks: number;
  dependencies: number;
  baselines: number;
  /** Set when the board's project start changed (to the plan's start, or back to its earliest task). */
  projectStart?: string;
}

/**
 * Adds a parsed MS Project plan to a board in one `doc.transact(origin)` (one update for every
 * peer, one undo step for the importer): tasks with new ids after the existing ones in the
 * outline and below everything on the canvas, their links, and one Planvas baseline per MS
 * Project baseline ("Baseline", "Baseline 1", …) keyed by the new task ids. Every value is
 * validated again before it is written. The plan is trusted to come from `parseMspdi`, which
 * already skipped what the board cannot hold.
 *
 * Into a board without tasks, the plan also brings its project start and its calendar
 * (working weekdays, holidays), so the board schedules it as MS Project did. Into a board
 * with tasks, the board's calendar stays, and the project start only moves back when the
 * plan starts earlier (as the CSV import does).
 *
 * @example applyMspdi(doc, parsed.plan, session.localOrigin) // { tasks: 12, dependencies: 9, baselines: 1 }
 */
export function applyMspdi(doc: Y.Doc, plan: MspdiPlan, origin?: unknown): MspdiImportResult {
  if (plan.tasks.length === 0) return { tasks: 0, dependencies: 0, baselines: 0 };
  const board = readBoard(doc);
  const emptyBoard = board.tasks.size === 0;
  const origin0 = gridOrigin([...board.tasks.values(), ...board.notes.values()]);
  const idOf = new Map<number, string>();
  for (const task of plan.tasks) idOf.set(task.uid, newId());
  let dependencies = 0;
  let baselines = 0;
  let movedTo: string | undefined;

  doc.transact(() => {
    const maps = boardMaps(doc);
    const statuses = board.meta.statuses;
    const n = plan.tasks.length;
    const zKeys = nKeysAbove(allZ(doc), n);
    const ranks = nKeysAbove(allRanks(doc, 'rank'), n);
    const boardRanks = nKeysAbove(allRanks(doc, 'boardRank'), n);
    plan.tasks.forEach((task, i) => {
      const values: Record<string, unknown> = {
        title: task.title,
        x: origin0.x + (i % GRID_COLUMNS) * (DEFAULT_TASK_SIZE.w + GRID_GAP),
        y: origin0.y + Math.floor(i / GRID_COLUMNS) * (DEFAULT_TASK_SIZE.h + GRID_GAP),
        start: task.start,
        duration: task.duration,
        progress: task.progress,
        status: statusForProgress(task.progress, statuses),
        assignees: task.assignees,
        budget: task.cost,
        actualCost: task.actualCost,
        milestone: task.milestone,
        parent: task.parentUid === null ? '' : (idOf.get(task.parentUid) ?? ''),
        mode: task.mode,
        z: zKeys[i],
        rank: ranks[i],
        boardRank: boardRanks[i],
      };
      const entity = new Y.Map<unknown>();
      for (const [key, spec] of Object.entries(TASK_FIELDS) as Array<[string, FieldSpec]>) {
        if (key === 'description') continue;
        const parsed = values[key] === undefined ? null : spec.schema.safeParse(values[key]);
        const value = parsed?.success ? parsed.data : copyIfObject(spec.fallback);
        entity.set(key, Object.is(value, -0) ? 0 : value);
      }
      const description = TASK_FIELDS.description.schema.safeParse(task.description);
      entity.set('description', new Y.Text(description.success ? description.data : ''));
      maps.tasks.set(idOf.get(task.uid)!, entity);
    });

    for (const link of plan.links) {
      const from = idOf.get(link.from);
      const to = idOf.get(link.to);
      if (!from || !to || from === to) continue;
      const type = DEPENDENCY_FIELDS.type.schema.safeParse(link.type);
      const lag = DEPENDENCY_FIELDS.lag.schema.safeParse(link.lag);
      const entity = new Y.Map<unknown>();
      entity.set('from', from);
      entity.set('to', to);
      entity.set('type', type.success ? type.data : 'FS');
      entity.set('lag', lag.success ? lag.data + 0 : 0);
      maps.deps.set(newId(), entity);
      dependencies++;
    }

    for (const baseline of plan.baselines) {
      const tasks: Record<string, BaselineTask> = {};
      for (const [uid, entry] of Object.entries(baseline.tasks)) {
        const id = idOf.get(Number(uid));
        if (id && isIsoDate(entry.start) && isIsoDate(entry.finish)) tasks[id] = { ...entry };
      }
      if (Object.keys(tasks).length === 0) continue;
      saveBaseline(doc, baseline.name, tasks, plan.savedAt, origin);
      baselines++;
    }

    if (emptyBoard) {
      const workingDays = META_FIELDS.workingDays.schema.safeParse(plan.calendar.workingDays);
      const holidays = META_FIELDS.holidays.schema.safeParse(plan.calendar.holidays);
      if (workingDays.success) maps.meta.set('workingDays', workingDays.data);
      if (holidays.success) maps.meta.set('holidays', holidays.data);
    }
    const target = projectStartAfterImport(plan, board.meta, emptyBoard);
    if (target !== null) {
      maps.meta.set('projectStart', target);
      movedTo = target;
    }
  }, origin);
  const result: MspdiImportResult = { tasks: plan.tasks.length, dependencies, baselines };
  if (movedTo) result.projectStart = movedTo;
  return result;
}

/**
 * The project start to write, or null to leave it: an empty board takes the plan's start; a
 * board with tasks moves back to the earliest start the plan needs, never forward.
 */
function projectStartAfterImport(plan: MspdiPlan, meta: { projectStart: string; createdAt: string }, emptyBoard: boolean): string | null {
  let earliest = isIsoDate(plan.projectStart) ? plan.projectStart : '';
  for (const t of plan.tasks) if (t.start !== '' && (earliest === '' || t.start < earliest)) earliest = t.start;
  if (earliest === '') return null;
  if (emptyBoard) {
    const wanted = isIsoDate(plan.projectStart) ? plan.projectStart : earliest;
    return wanted === meta.projectStart ? null : wanted;
  }
  const created = meta.createdAt.slice(0, 10);
  const effective = meta.projectStart || (isIsoDate(created) ? created : '');
  return effective !== '' && earliest < effective ? earliest : null;
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

function copyIfObject<T>(value: T): T {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}
