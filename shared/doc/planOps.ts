import * as Y from 'yjs';
import { newId } from '../ids.ts';
import {
  MAX_BASELINE_NAME_LENGTH,
  type BaselineTask,
  type DependencyType,
  type StatusDef,
} from '../schema/entities.ts';
import { DEPENDENCY_FIELDS, META_FIELDS } from '../schema/validators.ts';
import { isValidZ, keyBetween, nKeysAbove } from '../schema/zorder.ts';
import { isAncestor, planGraph } from './planGraph.ts';
import { buildHierarchy, hasLinkCycle } from '../planning/hierarchy.ts';
import { boardMaps, entityMap } from './structure.ts';

/**
 * Planner operations: outline (parent, rank), Kanban placement, link type and lag, board
 * calendar and statuses, baselines. Same rules as ops.ts: one transaction per op, inputs
 * validated, nothing written that the read layer would reject.
 */

export type ParentRefusal = 'missing-task' | 'own-subtask' | 'cycle';

/**
 * Makes `parent` the summary task of `id` ('' = top level). Refuses a parent that is the task
 * itself or one of its subtasks. `rank` optionally places it among its new siblings.
 */
export function setParent(
  doc: Y.Doc,
  id: string,
  parent: string,
  place: { rank?: string } = {},
  origin?: unknown,
): { ok: true } | { refused: ParentRefusal } {
  const { tasks } = boardMaps(doc);
  const entity = entityMap(tasks, id);
  if (!entity || (parent !== '' && !entityMap(tasks, parent))) return { refused: 'missing-task' };
  if (parent === id || (parent !== '' && isAncestor(planGraph(doc).parentOf, id, parent))) return { refused: 'own-subtask' };
  const rank = place.rank !== undefined && isValidZ(place.rank) ? place.rank : undefined;
  if (closesLinkCycle(doc, id, parent)) return { refused: 'cycle' };
  doc.transact(() => {
    if (entity.get('parent') !== parent) entity.set('parent', parent);
    if (rank !== undefined) entity.set('rank', rank);
  }, origin);
  return { ok: true };
}

/** Puts the task between two neighbours of the plan outline ('rank') or of its Kanban column ('boardRank'). */
export function placeTask(
  doc: Y.Doc,
  id: string,
  field: 'rank' | 'boardRank',
  before: string | null,
  after: string | null,
  origin?: unknown,
): void {
  doc.transact(() => {
    entityMap(boardMaps(doc).tasks, id)?.set(field, keyBetween(before, after));
  }, origin);
}

/** Moves a Kanban card: new status, and a place between two cards of that column. */
export function moveCard(
  doc: Y.Doc,
  id: string,
  status: string,
  before: string | null,
  after: string | null,
  origin?: unknown,
): void {
  doc.transact(() => {
    const entity = entityMap(boardMaps(doc).tasks, id);
    if (!entity) return;
    if (entity.get('status') !== status) entity.set('status', status.slice(0, 200));
    entity.set('boardRank', keyBetween(before, after));
  }, origin);
}

/** Changes a link's type and/or lag (lag in working days, negative for a lead). */
export function updateDependency(doc: Y.Doc, id: string, patch: { type?: DependencyType; lag?: number }, origin?: unknown): void {
  doc.transact(() => {
    const entity = entityMap(boardMaps(doc).deps, id);
    if (!entity) return;
    if (patch.type !== undefined) {
      const type = DEPENDENCY_FIELDS.type.schema.safeParse(patch.type);
      if (type.success && entity.get('type') !== type.data) entity.set('type', type.data);
    }
    if (patch.lag !== undefined) {
      const lag = DEPENDENCY_FIELDS.lag.schema.safeParse(patch.lag);
      if (lag.success && entity.get('lag') !== lag.data) entity.set('lag', lag.data);
    }
  }, origin);
}

type SettingField = 'projectStart' | 'workingDays' | 'holidays' | 'statuses' | 'wipLimits' | 'viewersMayComment';

/** Sets one board setting in meta; returns false (and writes nothing) when the value is invalid. */
export function setBoardSetting(doc: Y.Doc, field: SettingField, value: unknown, origin?: unknown): boolean {
  const parsed = META_FIELDS[field].schema.safeParse(value);
  if (!parsed.success) return false;
  doc.transact(() => boardMaps(doc).meta.set(field, parsed.data), origin);
  return true;
}

/** Sets or clears (`limit` null or <= 0) the WIP limit of one status column. */
export function setWipLimit(doc: Y.Doc, statusKey: string, limit: number | null, current: Record<string, number>, origin?: unknown): void {
  const next = { ...current };
  if (limit === null || !Number.isInteger(limit) || limit <= 0) delete next[statusKey];
  else next[statusKey] = limit;
  setBoardSetting(doc, 'wipLimits', next, origin);
}

/** Replaces the board's statuses (order = column order). */
export function setStatuses(doc: Y.Doc, statuses: readonly StatusDef[], origin?: unknown): boolean {
  return setBoardSetting(doc, 'statuses', statuses, origin);
}

/**
 * Stores a baseline: every task's scheduled dates, duration and cost under a name. Written
 * once as plain JSON (a baseline never changes after it is saved, except its name).
 */
export function saveBaseline(
  doc: Y.Doc,
  name: string,
  tasks: Record<string, BaselineTask>,
  createdAt: string,
  origin?: unknown,
): string {
  const id = newId();
  doc.transact(() => {
    const entity = new Y.Map<unknown>();
    entity.set('name', name.trim().slice(0, MAX_BASELINE_NAME_LENGTH) || 'Baseline');
    entity.set('createdAt', createdAt);
    entity.set('tasks', tasks);
    boardMaps(doc).baselines.set(id, entity);
  }, origin);
  return id;
}

export function renameBaseline(doc: Y.Doc, id: string, name: string, origin?: unknown): void {
  const next = name.trim().slice(0, MAX_BASELINE_NAME_LENGTH);
  if (!next) return;
  doc.transact(() => entityMap(boardMaps(doc).baselines, id)?.set('name', next), origin);
}

export function deleteBaseline(doc: Y.Doc, id: string, origin?: unknown): void {
  doc.transact(() => boardMaps(doc).baselines.delete(id), origin);
}

/**
 * Gives every task in `ids` (one sibling group, in the order shown) a rank key when any of
 * them has none (tasks written by an older or foreign client), so a task can be placed
 * between any two of them. Keeps the shown order; ranked tasks keep their keys when the
 * unranked ones all come last (the usual case), else the whole group is renumbered.
 */
export function ensureRanked(doc: Y.Doc, ids: readonly string[], origin?: unknown): void {
  const { tasks } = boardMaps(doc);
  const entities = ids.map((id) => entityMap(tasks, id)).filter((e): e is Y.Map<unknown> => e !== null);
  const ranked = entities.map((e) => isValidZ(e.get('rank')));
  if (ranked.every(Boolean)) return;
  const firstUnranked = ranked.indexOf(false);
  const tailOnly = ranked.slice(firstUnranked).every((r) => !r);
  doc.transact(() => {
    if (tailOnly) {
      const keys = nKeysAbove(entities.slice(0, firstUnranked).map((e) => e.get('rank') as string), entities.length - firstUnranked);
      entities.slice(firstUnranked).forEach((e, i) => e.set('rank', keys[i]));
    } else {
      const keys = nKeysAbove([], entities.length);
      entities.forEach((e, i) => e.set('rank', keys[i]));
    }
  }, origin);
}

/**
 * Whether nesting `id` under `parent` would close a loop of links: links on a summary task
 * apply to its subtasks, so A -> B -> C plus "A is a subtask of C" is a loop without any new
 * link. A board that already has a loop (two people linking at once) is not blocked by it.
 */
function closesLinkCycle(doc: Y.Doc, id: string, parent: string): boolean {
  const graph = planGraph(doc);
  if (graph.links.length === 0) return false;
  const entries = [...graph.parentOf.keys()].map((task) => ({ id: task, parent: task === id ? parent : (graph.parentOf.get(task) ?? '') }));
  return hasLinkCycle(buildHierarchy(entries), graph.links) && !hasLinkCycle(graph, graph.links);
}
