import * as Y from 'yjs';
import { newId } from '../ids.ts';
import {
  MAX_DESCRIPTION_LENGTH,
  MAX_NOTE_TEXT_LENGTH,
  type DependencyType,
  type ShapeKind,
  type Task,
} from '../schema/entities.ts';
import { DEPENDENCY_FIELDS, NOTE_FIELDS, TASK_FIELDS, type FieldSpec } from '../schema/validators.ts';
import { compareZ, isValidZ, nKeysAbove, nKeysBelow, zAbove } from '../schema/zorder.ts';
import { boardMaps, entityMap, type EntityMap } from './structure.ts';
import { applyTextDiff } from './text.ts';
import { isAncestor, planGraph, wouldCloseCycle } from './planGraph.ts';

/**
 * Typed operations on a board document. Each runs in one `doc.transact(…, origin)`, so it is
 * one step for every peer and one step for the local Y.UndoManager (which tracks the local
 * origin only). Inputs are validated: an op never writes a value the read layer would reject.
 */

/** Initial values of a new task; anything missing or invalid takes its default. */
export type TaskInit = Partial<Omit<Task, 'id' | 'kind' | 'z'>>;

export interface NoteInit {
  text?: string;
  x?: number;
  y?: number;
  w?: number;
  h?: number;
  color?: string;
}

/**
 * Fields of a shape that `updateShape` may set. Co-edited text goes through its own op
 * (`setNoteText`, `setTaskDescription`) so concurrent typing merges.
 */
export type ShapePatch = Partial<Record<Exclude<keyof typeof TASK_FIELDS, 'description' | 'z'>, unknown>>;

/** Note fields other than the co-edited text. */
const { text: _noteText, ...NOTE_SHAPE_FIELDS } = NOTE_FIELDS;
/** Task fields other than the co-edited description. */
const { description: _description, ...TASK_PLAIN_FIELDS } = TASK_FIELDS;

export function createTask(doc: Y.Doc, init: TaskInit = {}, origin?: unknown): string {
  const id = newId();
  doc.transact(() => {
    const entity = new Y.Map<unknown>();
    const { description = '', ...rest } = init;
    const values = { ...defaultsOf(TASK_PLAIN_FIELDS), ...validPatch(TASK_PLAIN_FIELDS, rest) };
    for (const [key, value] of Object.entries(values)) entity.set(key, value);
    entity.set('description', new Y.Text(description.slice(0, MAX_DESCRIPTION_LENGTH)));
    entity.set('z', zAbove(allZ(doc)));
    // New tasks go to the end of the plan outline and of their Kanban column, unless placed.
    if (!values.rank) entity.set('rank', zAbove(allRanks(doc, 'rank')));
    if (!values.boardRank) entity.set('boardRank', zAbove(allRanks(doc, 'boardRank')));
    boardMaps(doc).tasks.set(id, entity);
  }, origin);
  return id;
}

export function createNote(doc: Y.Doc, init: NoteInit = {}, origin?: unknown): string {
  const id = newId();
  doc.transact(() => {
    const entity = new Y.Map<unknown>();
    const { text = '', ...rest } = init;
    const values = { ...defaultsOf(NOTE_SHAPE_FIELDS), ...validPatch(NOTE_SHAPE_FIELDS, rest) };
    for (const [key, value] of Object.entries(values)) entity.set(key, value);
    entity.set('text', new Y.Text(text.slice(0, MAX_NOTE_TEXT_LENGTH)));
    entity.set('z', zAbove(allZ(doc)));
    boardMaps(doc).notes.set(id, entity);
  }, origin);
  return id;
}

/** Which collection holds `id`, or null when neither does. */
export function shapeKind(doc: Y.Doc, id: string): ShapeKind | null {
  const maps = boardMaps(doc);
  if (entityMap(maps.tasks, id)) return 'task';
  if (entityMap(maps.notes, id)) return 'note';
  return null;
}

/** Sets the valid fields of `patch` that differ from the document; unknown or invalid ones are ignored. */
export function updateShape(doc: Y.Doc, id: string, patch: ShapePatch, origin?: unknown): void {
  doc.transact(() => {
    const kind = shapeKind(doc, id);
    if (!kind) return;
    const entity = shapeEntity(doc, id);
    if (!entity) return;
    const values = validPatch(kind === 'task' ? TASK_PLAIN_FIELDS : NOTE_SHAPE_FIELDS, patch as Record<string, unknown>);
    setChanged(entity, values);
  }, origin);
}

/** Moves many shapes in one step (a multi-selection drag). */
export function moveShapes(doc: Y.Doc, moves: ReadonlyArray<{ id: string; x: number; y: number }>, origin?: unknown): void {
  doc.transact(() => {
    for (const { id, x, y } of moves) {
      const entity = shapeEntity(doc, id);
      if (entity) setChanged(entity, validPatch({ x: TASK_FIELDS.x, y: TASK_FIELDS.y }, { x, y }));
    }
  }, origin);
}

/** Co-edits a note's body by a minimal diff, so concurrent typing elsewhere in the note survives. */
export function setNoteText(doc: Y.Doc, id: string, text: string, origin?: unknown): void {
  doc.transact(() => {
    const entity = entityMap(boardMaps(doc).notes, id);
    if (!entity) return;
    const next = text.slice(0, MAX_NOTE_TEXT_LENGTH);
    const current = entity.get('text');
    if (current instanceof Y.Text) applyTextDiff(current, next);
    else entity.set('text', new Y.Text(next)); // a foreign client wrote a plain string: upgrade it
  }, origin);
}

/** Co-edits a task's description by a minimal diff (as `setNoteText`). */
export function setTaskDescription(doc: Y.Doc, id: string, text: string, origin?: unknown): void {
  doc.transact(() => {
    const entity = entityMap(boardMaps(doc).tasks, id);
    if (!entity) return;
    const next = text.slice(0, MAX_DESCRIPTION_LENGTH);
    const current = entity.get('description');
    if (current instanceof Y.Text) applyTextDiff(current, next);
    else entity.set('description', new Y.Text(next));
  }, origin);
}

/**
 * Deletes shapes and dependencies by id. Deleting a task deletes every dependency that
 * touches it, in the same step, so undo brings the arrows back with the task.
 */
export function deleteEntities(doc: Y.Doc, ids: Iterable<string>, origin?: unknown): void {
  doc.transact(() => {
    const maps = boardMaps(doc);
    const doomed = new Set(ids);
    // Parents as written, read before anything is deleted (the deleted ones are needed to walk up).
    const parentOf = new Map<string, string>();
    maps.tasks.forEach((value, id) => {
      if (value instanceof Y.Map && typeof value.get('parent') === 'string') parentOf.set(id, value.get('parent') as string);
    });
    const deletedTasks = new Set<string>();
    for (const id of doomed) {
      if (maps.tasks.has(id)) {
        maps.tasks.delete(id);
        deletedTasks.add(id);
      } else if (maps.notes.has(id)) {
        maps.notes.delete(id);
      }
    }
    // Subtasks of a deleted summary task move up to its parent rather than vanish unseen.
    if (deletedTasks.size > 0) {
      maps.tasks.forEach((value) => {
        if (!(value instanceof Y.Map)) return;
        let parent = value.get('parent');
        if (typeof parent !== 'string' || !deletedTasks.has(parent)) return;
        const seen = new Set<string>();
        while (typeof parent === 'string' && deletedTasks.has(parent) && !seen.has(parent)) {
          seen.add(parent);
          parent = parentOf.get(parent) ?? '';
        }
        value.set('parent', typeof parent === 'string' && !deletedTasks.has(parent) ? parent : '');
      });
    }
    maps.deps.forEach((value, depId) => {
      if (doomed.has(depId)) {
        maps.deps.delete(depId);
        return;
      }
      if (!(value instanceof Y.Map)) return;
      if (deletedTasks.has(value.get('from') as string) || deletedTasks.has(value.get('to') as string)) {
        maps.deps.delete(depId);
      }
    });
  }, origin);
}

export type LinkRefusal = 'same-task' | 'missing-task' | 'duplicate' | 'cycle' | 'summary-and-subtask';

/**
 * Links predecessor `from` to successor `to`. Refuses self-links, links to missing tasks,
 * a second link between the same two tasks in the same direction, a link that would close
 * a cycle, and a link between a summary task and one of its own subtasks. (Two people may
 * still close a cycle by linking at the same moment; the scheduler reports it.)
 */
export function createDependency(
  doc: Y.Doc,
  from: string,
  to: string,
  options: { type?: DependencyType; lag?: number } = {},
  origin?: unknown,
): { id: string } | { refused: LinkRefusal } {
  if (from === to) return { refused: 'same-task' };
  const maps = boardMaps(doc);
  if (!entityMap(maps.tasks, from) || !entityMap(maps.tasks, to)) return { refused: 'missing-task' };
  let duplicate = false;
  maps.deps.forEach((value) => {
    if (value instanceof Y.Map && value.get('from') === from && value.get('to') === to) duplicate = true;
  });
  if (duplicate) return { refused: 'duplicate' };
  const graph = planGraph(doc);
  if (isAncestor(graph.parentOf, from, to) || isAncestor(graph.parentOf, to, from)) return { refused: 'summary-and-subtask' };
  if (wouldCloseCycle(graph, from, to)) return { refused: 'cycle' };
  const id = newId();
  doc.transact(() => {
    const entity = new Y.Map<unknown>();
    entity.set('from', from);
    entity.set('to', to);
    const type = DEPENDENCY_FIELDS.type.schema.safeParse(options.type);
    const lag = DEPENDENCY_FIELDS.lag.schema.safeParse(options.lag);
    entity.set('type', type.success ? type.data : 'FS');
    entity.set('lag', lag.success ? lag.data : 0);
    maps.deps.set(id, entity);
  }, origin);
  return { id };
}

/** Puts the shapes above everything else, keeping their order among themselves. */
export function bringToFront(doc: Y.Doc, ids: Iterable<string>, origin?: unknown): void {
  restack(doc, ids, 'front', origin);
}

/** Puts the shapes below everything else, keeping their order among themselves. */
export function sendToBack(doc: Y.Doc, ids: Iterable<string>, origin?: unknown): void {
  restack(doc, ids, 'back', origin);
}

function restack(doc: Y.Doc, ids: Iterable<string>, where: 'front' | 'back', origin: unknown): void {
  doc.transact(() => {
    const chosen = new Set(ids);
    const moving: Array<{ id: string; z: string; entity: EntityMap }> = [];
    const others: string[] = [];
    forEachShape(doc, (id, entity) => {
      const z = entity.get('z');
      if (chosen.has(id)) moving.push({ id, z: isValidZ(z) ? z : 'a0', entity });
      else if (isValidZ(z)) others.push(z);
    });
    if (moving.length === 0) return;
    moving.sort(compareZ);
    const keys = where === 'front' ? nKeysAbove(others, moving.length) : nKeysBelow(others, moving.length);
    moving.forEach((shape, i) => shape.entity.set('z', keys[i]));
  }, origin);
}

/** Every valid plan-outline ('rank') or Kanban ('boardRank') key in use. */
export function allRanks(doc: Y.Doc, field: 'rank' | 'boardRank'): string[] {
  const keys: string[] = [];
  boardMaps(doc).tasks.forEach((value) => {
    if (!(value instanceof Y.Map)) return;
    const key = value.get(field);
    if (isValidZ(key)) keys.push(key);
  });
  return keys;
}

/** Every z key in use (tasks and notes share one stacking order). */
export function allZ(doc: Y.Doc): string[] {
  const keys: string[] = [];
  forEachShape(doc, (_id, entity) => {
    const z = entity.get('z');
    if (typeof z === 'string') keys.push(z);
  });
  return keys;
}

function forEachShape(doc: Y.Doc, fn: (id: string, entity: EntityMap) => void): void {
  const maps = boardMaps(doc);
  for (const container of [maps.tasks, maps.notes]) {
    container.forEach((value, id) => {
      if (value instanceof Y.Map) fn(id, value as EntityMap);
    });
  }
}

function shapeEntity(doc: Y.Doc, id: string): EntityMap | null {
  const maps = boardMaps(doc);
  return entityMap(maps.tasks, id) ?? entityMap(maps.notes, id);
}

function setChanged(entity: EntityMap, values: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) {
    if (entity.get(key) !== value) entity.set(key, value);
  }
}

/** Every field's default, except z (new shapes go on top). */
function defaultsOf(fields: Record<string, FieldSpec>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) if (key !== 'z') out[key] = field.fallback;
  return out;
}

/** Keeps only the known fields of `patch` whose values pass their validator (transformed). */
function validPatch(fields: Record<string, FieldSpec>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    const field = fields[key];
    if (!field || value === undefined) continue;
    const parsed = field.schema.safeParse(value);
    if (parsed.success) out[key] = parsed.data;
  }
  return out;
}
