import * as Y from 'yjs';
import { newId } from '../../ids.ts';
import type { BaselineTask } from '../../schema/entities.ts';
import { META_FIELDS, isIsoDate } from '../../schema/validators.ts';
import { saveBaseline } from '../../doc/planOps.ts';
import { readBoard } from '../../doc/read.ts';
import { boardMaps } from '../../doc/structure.ts';
import { importSlots, importedLinkEntity, importedTaskEntity } from '../importTasks.ts';
import type { MspdiPlan } from './types.ts';
import { statusForProgress } from '../../planning/completion.ts';

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
  const idOf = new Map<number, string>();
  for (const task of plan.tasks) idOf.set(task.uid, newId());
  let dependencies = 0;
  let baselines = 0;
  let movedTo: string | undefined;

  doc.transact(() => {
    const maps = boardMaps(doc);
    const statuses = board.meta.statuses;
    const slots = importSlots(doc, [...board.tasks.values(), ...board.notes.values()], plan.tasks.length);
    plan.tasks.forEach((task, i) => {
      const values: Record<string, unknown> = {
        ...slots[i],
        title: task.title,
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
      };
      maps.tasks.set(idOf.get(task.uid)!, importedTaskEntity(values, task.description));
    });

    for (const link of plan.links) {
      const from = idOf.get(link.from);
      const to = idOf.get(link.to);
      if (!from || !to || from === to) continue;
      maps.deps.set(newId(), importedLinkEntity(from, to, link.type, link.lag));
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
