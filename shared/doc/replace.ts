import * as Y from 'yjs';
import { boardMaps, TOP_LEVEL } from './structure.ts';
import { applyTextDiff } from './text.ts';

/**
 * Makes one board's plan content equal to another's — the core of "restore a version" and
 * "import JSON into this board".
 *
 * Why not just swap documents: every client holds the live Y.Doc, so the only way to change
 * it for everyone is as a new edit. The edit is as small as possible (only fields that
 * differ are written, Y.Text through a text diff), so a peer typing in a task that did not
 * change keeps their characters, and the whole thing is ONE transaction with `origin`, so a
 * `Y.UndoManager` tracking that origin undoes it in one step.
 *
 * What is replaced: the `tasks`, `deps`, `notes` and `baselines` maps and every plan setting
 * in `meta` except `schemaVersion` and `createdAt` (those describe the document, not the plan)
 * and `viewersMayComment` (a permission, not the plan).
 * What is never touched: `comments` (discussion is not rolled back) and any other top-level
 * type. The source is read raw, without validation — a restore must reproduce what was
 * stored, unknown fields included — but values that are neither plain JSON nor Yjs types
 * (binary, embeds, XML) are skipped, leaving the target's value for that key as it is.
 */
export interface ReplaceCounts {
  tasks: number;
  dependencies: number;
  notes: number;
}

/**
 * Meta keys that are never replaced: `schemaVersion` and `createdAt` describe the document
 * itself, and `viewersMayComment` is a permission (who may do what), not plan content —
 * restoring last week's plan must not silently take back a right the owner granted since.
 */
const KEPT_META_KEYS: ReadonlySet<string> = new Set(['schemaVersion', 'createdAt', 'viewersMayComment']);

/** Deep-nesting guard: plain JSON deeper than this is treated as unusable. */
const MAX_DEPTH = 64;

export function replaceBoardContent(target: Y.Doc, source: Y.Doc, origin?: unknown): ReplaceCounts {
  const from = boardMaps(source);
  const to = boardMaps(target);
  target.transact(() => {
    syncEntityCollection(to.tasks, from.tasks);
    syncEntityCollection(to.deps, from.deps);
    syncEntityCollection(to.notes, from.notes);
    syncEntityCollection(to.baselines, from.baselines);
    syncFields(to.meta, from.meta, KEPT_META_KEYS);
  }, origin);
  return { tasks: to.tasks.size, dependencies: to.deps.size, notes: to.notes.size };
}

/** The top-level names this module replaces (for docs and tests). */
export const REPLACED_TOP_LEVEL: readonly string[] = [TOP_LEVEL.tasks, TOP_LEVEL.deps, TOP_LEVEL.notes, TOP_LEVEL.baselines, TOP_LEVEL.meta];

/**
 * A map of entity id -> entity: entities only in the target go, entities only in the
 * source come as fresh copies, entities in both get a field-by-field update.
 */
function syncEntityCollection(target: Y.Map<unknown>, source: Y.Map<unknown>): void {
  syncFields(target, source, new Set());
}

/**
 * Makes `target`'s keys (minus `keep`) equal to `source`'s. Nested Y.Maps present on both
 * sides are updated in place (recursively), Y.Texts are diffed, everything else is compared
 * by value and written only when it differs.
 */
function syncFields(target: Y.Map<unknown>, source: Y.Map<unknown>, keep: ReadonlySet<string>): void {
  for (const key of Array.from(target.keys())) {
    if (keep.has(key)) continue;
    if (!source.has(key)) target.delete(key);
  }
  source.forEach((value, key) => {
    if (keep.has(key)) return;
    syncValue(target, key, value);
  });
}

function syncValue(target: Y.Map<unknown>, key: string, value: unknown): void {
  if (!isCopyable(value, 0)) return;
  const current = target.get(key);
  if (value instanceof Y.Map && current instanceof Y.Map) {
    syncFields(current, value, new Set());
    return;
  }
  if (value instanceof Y.Text && current instanceof Y.Text) {
    applyTextDiff(current, value.toString());
    return;
  }
  if (value instanceof Y.Array && current instanceof Y.Array) {
    if (!jsonEqual(current.toJSON(), value.toJSON())) target.set(key, copyValue(value));
    return;
  }
  if (value instanceof Y.AbstractType || current instanceof Y.AbstractType || !target.has(key)) {
    target.set(key, copyValue(value));
    return;
  }
  if (!jsonEqual(current, value)) target.set(key, copyValue(value));
}

/** Plain JSON (finite numbers, plain objects and arrays) or a Y.Map / Y.Text / Y.Array of such. */
function isCopyable(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (value instanceof Y.Text) return true;
  if (value instanceof Y.Map) return true; // its entries are filtered one by one when copied
  if (value instanceof Y.Array) return true;
  if (Array.isArray(value)) return value.every((item) => isCopyable(item, depth + 1) && !(item instanceof Y.AbstractType));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value as Record<string, unknown>).every(
      (item) => isCopyable(item, depth + 1) && !(item instanceof Y.AbstractType),
    );
  }
  return false;
}

/**
 * A fresh, unattached copy of a value from another document: Yjs types cannot be moved
 * between documents, and plain values are cloned so the source stays independent.
 */
function copyValue(value: unknown): unknown {
  if (value instanceof Y.Text) {
    const text = new Y.Text();
    text.applyDelta(value.toDelta());
    return text;
  }
  if (value instanceof Y.Map) {
    const map = new Y.Map<unknown>();
    value.forEach((item, key) => {
      if (isCopyable(item, 0)) map.set(key, copyValue(item));
    });
    return map;
  }
  if (value instanceof Y.Array) {
    const array = new Y.Array<unknown>();
    array.push(value.toArray().filter((item) => isCopyable(item, 0)).map(copyValue));
    return array;
  }
  return structuredClone(value);
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
