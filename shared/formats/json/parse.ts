import * as Y from 'yjs';
import { isValidId } from '../../ids.ts';
import { readBaseline } from '../../doc/read.ts';
import { boardMaps } from '../../doc/structure.ts';
import { commentsMap, readThread } from '../../doc/comments.ts';
import { SCHEMA_VERSION } from '../../schema/version.ts';
import { DEPENDENCY_FIELDS, META_FIELDS, NOTE_FIELDS, TASK_FIELDS, readFields, type FieldSpec } from '../../schema/validators.ts';
import { BOARD_FILE_FORMAT, BOARD_FILE_LIMITS, BOARD_FILE_VERSION, type BoardFileSection } from './format.ts';

export interface BoardFileCounts {
  tasks: number;
  dependencies: number;
  notes: number;
  baselines: number;
  comments: number;
}

export type BoardJsonResult =
  | { ok: true; source: Y.Doc; counts: BoardFileCounts; warnings: string[] }
  | { ok: false; errors: string[] };

export interface ParseOptions {
  /** Called every few hundred entities while the file is validated (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

/** At most this many warnings are listed; the rest are counted in one last line. */
const MAX_LISTED = 500;
const PROGRESS_EVERY = 500;

/**
 * Validates a Planvas board file (format.ts) completely and builds a fresh Y.Doc from it,
 * through the same field validators as the read layer (shared/doc/read.ts). Nothing is
 * half-done: a file with any error yields `ok: false` and every error; otherwise the source
 * document holds everything usable and `warnings` says what was dropped or defaulted
 * (unknown fields, unusable values, links to tasks not in the file). Pure apart from the
 * Y.Doc it returns; safe on hostile input (size, depth and count limits, ids checked).
 *
 * @example
 *   const parsed = parseBoardJson(text);
 *   if (parsed.ok) importBoardJson(doc, parsed, origin);
 */
export function parseBoardJson(text: string, options: ParseOptions = {}): BoardJsonResult {
  const limits = BOARD_FILE_LIMITS;
  if (text.length > limits.maxBytes || new TextEncoder().encode(text).length > limits.maxBytes) {
    return fail(`the file is larger than ${limits.maxBytes / 1024 / 1024} MB`);
  }
  let root: unknown;
  try {
    root = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return fail(`the file is not valid JSON (${err instanceof Error ? err.message : 'parse error'})`);
  }
  if (depthOf(root, limits.maxDepth) > limits.maxDepth) return fail(`the file nests deeper than ${limits.maxDepth} levels`);
  if (!isObject(root) || root.format !== BOARD_FILE_FORMAT) {
    return fail(`this is not a Planvas board file (expected "format": "${BOARD_FILE_FORMAT}")`);
  }
  const version = root.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return fail('"version" is missing or not a positive whole number');
  if (version > BOARD_FILE_VERSION) return fail(`the file is version ${version}, made by a newer Planvas; this one reads up to version ${BOARD_FILE_VERSION}`);
  if (!isObject(root.board)) return fail('"board" is missing or not an object');

  const errors: string[] = [];
  const warnings: string[] = [];
  const board = root.board;
  const sections = {} as Record<BoardFileSection, Record<string, unknown>>;
  for (const name of ['tasks', 'deps', 'notes', 'baselines', 'comments'] as const) {
    const value = board[name];
    if (value === undefined) sections[name] = {};
    else if (!isObject(value)) errors.push(`"${name}" is not an object`);
    else if (Object.keys(value).length > limits[name]) errors.push(`"${name}" has ${Object.keys(value).length} entries; at most ${limits[name]} are allowed`);
    else sections[name] = value;
  }
  if (board.meta !== undefined && !isObject(board.meta)) errors.push('"meta" is not an object');
  for (const key of Object.keys(board)) {
    if (!['meta', 'tasks', 'deps', 'notes', 'baselines', 'comments'].includes(key)) warnings.push(`board: unknown section "${key}" ignored`);
  }
  if (errors.length > 0) return { ok: false, errors };

  const total = Object.values(sections).reduce((n, s) => n + Object.keys(s).length, 0);
  let done = 0;
  const tick = () => {
    done++;
    if (options.onProgress && (done % PROGRESS_EVERY === 0 || done === total)) options.onProgress(done, total);
  };

  const source = new Y.Doc();
  const maps = boardMaps(source);
  const counts: BoardFileCounts = { tasks: 0, dependencies: 0, notes: 0, baselines: 0, comments: 0 };
  source.transact(() => {
    // Meta: every setting through its validator; the schema version is at least ours, since
    // the file's fields are already in the current schema (no migration may run on them).
    const rawMeta = isObject(board.meta) ? board.meta : {};
    const meta = readEntity('meta', '', META_FIELDS, rawMeta, warnings);
    meta.schemaVersion = Math.max(SCHEMA_VERSION, meta.schemaVersion as number);
    for (const [key, value] of Object.entries(meta)) maps.meta.set(key, value);

    for (const [id, raw] of Object.entries(sections.tasks)) {
      tick();
      if (!checkEntity('tasks', id, raw, errors)) continue;
      const fields = readEntity('tasks', id, TASK_FIELDS, raw, warnings);
      maps.tasks.set(id, entityOf(fields, 'description'));
      counts.tasks++;
    }
    for (const [id, raw] of Object.entries(sections.notes)) {
      tick();
      if (!checkEntity('notes', id, raw, errors)) continue;
      maps.notes.set(id, entityOf(readEntity('notes', id, NOTE_FIELDS, raw, warnings), 'text'));
      counts.notes++;
    }
    for (const [id, raw] of Object.entries(sections.deps)) {
      tick();
      if (!checkEntity('deps', id, raw, errors)) continue;
      const fields = readEntity('deps', id, DEPENDENCY_FIELDS, raw, warnings);
      if (fields.from === '' || fields.to === '') {
        errors.push(`deps/${id}: needs both "from" and "to" task ids`);
        continue;
      }
      if (fields.from === fields.to || !Object.hasOwn(sections.tasks, fields.from as string) || !Object.hasOwn(sections.tasks, fields.to as string)) {
        warnings.push(`deps/${id}: links a task that is not in the file (or a task to itself); dropped`);
        continue;
      }
      maps.deps.set(id, entityOf(fields));
      counts.dependencies++;
    }
    for (const [id, raw] of Object.entries(sections.baselines)) {
      tick();
      if (!checkEntity('baselines', id, raw, errors)) continue;
      if (addBaseline(maps.baselines, id, raw, warnings)) counts.baselines++;
    }
    const comments = Object.entries(sections.comments);
    if (comments.length > 0) {
      const map = commentsMap(source);
      for (const [id, raw] of comments) {
        tick();
        if (!checkEntity('comments', id, raw, errors)) continue;
        if (addThread(source, map, id, raw, warnings)) counts.comments++;
      }
    }
  });
  if (errors.length > 0) {
    source.destroy();
    return { ok: false, errors: capped(errors) };
  }
  return { ok: true, source, counts, warnings: capped(warnings) };
}

/** An entity must be a JSON object under an id `newId` could have made (no path tricks, no odd keys). */
function checkEntity(section: BoardFileSection, id: string, raw: unknown, errors: string[]): raw is Record<string, unknown> {
  if (!isValidId(id)) {
    errors.push(`${section}: ${JSON.stringify(String(id).slice(0, 40))} is not a valid id (21 characters of A-Z a-z 0-9 _ -)`);
    return false;
  }
  if (!isObject(raw)) {
    errors.push(`${section}/${id}: not an object`);
    return false;
  }
  return true;
}

/** Validated fields (defaults for the unusable ones, reported) and a warning per unknown field. */
function readEntity(section: string, id: string, fields: Record<string, FieldSpec>, raw: Record<string, unknown>, warnings: string[]): Record<string, unknown> {
  const where = id ? `${section}/${id}` : section;
  for (const key of Object.keys(raw)) if (!Object.hasOwn(fields, key)) warnings.push(`${where}: unknown field "${key.slice(0, 40)}" dropped`);
  return readFields(fields, raw, (p) => warnings.push(`${where}: ${p.field}: ${p.message}; default used`));
}

/** A nested Y.Map with one key per field; `textField` (co-edited text) becomes a Y.Text. */
function entityOf(fields: Record<string, unknown>, textField?: string): Y.Map<unknown> {
  const entity = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) {
    entity.set(key, key === textField && typeof value === 'string' ? new Y.Text(value) : value);
  }
  return entity;
}

/**
 * Writes a baseline, then reads it back through the read layer's `readBaseline` and keeps
 * exactly what that accepts (unusable task entries are skipped and reported).
 */
function addBaseline(baselines: Y.Map<unknown>, id: string, raw: Record<string, unknown>, warnings: string[]): boolean {
  for (const key of Object.keys(raw)) if (!['name', 'createdAt', 'tasks'].includes(key)) warnings.push(`baselines/${id}: unknown field "${key.slice(0, 40)}" dropped`);
  const entity = new Y.Map<unknown>();
  baselines.set(id, entity);
  for (const key of ['name', 'createdAt', 'tasks'] as const) if (raw[key] !== undefined) entity.set(key, raw[key]);
  const read = readBaseline(id, entity, (p) => warnings.push(`baselines/${id}: ${p.message}`));
  if (!read) {
    baselines.delete(id);
    return false;
  }
  entity.set('name', read.name);
  entity.set('createdAt', read.createdAt);
  entity.set('tasks', read.tasks);
  return true;
}

/**
 * Writes a comment thread in the comments feature's shape (messages as a Y.Array of Y.Maps,
 * shared/doc/comments.ts), then keeps it only if that feature's `readThread` can use it.
 */
function addThread(doc: Y.Doc, map: Y.Map<unknown>, id: string, raw: Record<string, unknown>, warnings: string[]): boolean {
  const thread = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'messages' && Array.isArray(value)) {
      const messages = new Y.Array<unknown>();
      messages.push(value.map((m) => (isObject(m) ? entityOf(m) : m)));
      thread.set(key, messages);
    } else {
      thread.set(key, value);
    }
  }
  map.set(id, thread);
  const problems: string[] = [];
  const read = readThread(doc, id, thread, (p) => problems.push(p.message));
  for (const message of problems) warnings.push(`comments/${id}: ${message}`);
  if (read) return true;
  map.delete(id);
  if (problems.length === 0) warnings.push(`comments/${id}: unusable thread; dropped`);
  return false;
}

/** Depth of nested objects/arrays, counted without recursion and given up on past `limit`. */
function depthOf(value: unknown, limit: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return max;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function capped(lines: string[]): string[] {
  return lines.length <= MAX_LISTED ? lines : [...lines.slice(0, MAX_LISTED), `and ${lines.length - MAX_LISTED} more`];
}

function fail(message: string): { ok: false; errors: string[] } {
  return { ok: false, errors: [message] };
}
