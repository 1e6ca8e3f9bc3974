import * as Y from 'yjs';
import { DEFAULT_TASK_SIZE } from '../schema/entities.ts';
import { DEPENDENCY_FIELDS, TASK_FIELDS, type FieldSpec } from '../schema/validators.ts';
import { nKeysAbove } from '../schema/zorder.ts';
import { allRanks, allZ } from '../doc/ops.ts';

/**
 * What the plan imports (CSV: csv/apply.ts, MS Project: mspdi/apply.ts) share when they write
 * new tasks and links into a board: where the cards go, their z / outline / board order, and
 * validated entities. One implementation, so both imports lay out and validate alike.
 */

/** Imported cards are laid out in a grid of this many columns below everything on the canvas. */
const GRID_COLUMNS = 8;
const GRID_GAP = 40;
const MARGIN_BELOW = 120;

export interface ImportSlot {
  x: number;
  y: number;
  /** Canvas stacking key, above every shape on the board. */
  z: string;
  /** Plan outline order, after every existing task. */
  rank: string;
  /** Kanban order, after every existing task. */
  boardRank: string;
}

/**
 * Slots for `count` imported tasks, in order: a grid under the lowest shape (aligned with the
 * leftmost one), z / rank / boardRank keys after every existing one. Call it inside the
 * import's transaction, before writing the tasks.
 */
export function importSlots(doc: Y.Doc, shapes: Iterable<{ x: number; y: number; h: number }>, count: number): ImportSlot[] {
  const origin = gridOrigin(shapes);
  const zKeys = nKeysAbove(allZ(doc), count);
  const ranks = nKeysAbove(allRanks(doc, 'rank'), count);
  const boardRanks = nKeysAbove(allRanks(doc, 'boardRank'), count);
  return Array.from({ length: count }, (_, i) => ({
    x: origin.x + (i % GRID_COLUMNS) * (DEFAULT_TASK_SIZE.w + GRID_GAP),
    y: origin.y + Math.floor(i / GRID_COLUMNS) * (DEFAULT_TASK_SIZE.h + GRID_GAP),
    z: zKeys[i]!,
    rank: ranks[i]!,
    boardRank: boardRanks[i]!,
  }));
}

/** Top-left of the import grid: under the lowest shape, aligned with the leftmost one. */
function gridOrigin(shapes: Iterable<{ x: number; y: number; h: number }>): { x: number; y: number } {
  let left = Infinity;
  let bottom = -Infinity;
  for (const s of shapes) {
    left = Math.min(left, s.x);
    bottom = Math.max(bottom, s.y + s.h);
  }
  if (left === Infinity) return { x: 0, y: 0 };
  return { x: Math.round(left), y: Math.round(bottom + MARGIN_BELOW) };
}

/**
 * A new task entity: every task field validated by its schema (TASK_FIELDS), its default where
 * the value is missing or unusable, and the description as a Y.Text.
 */
export function importedTaskEntity(values: Record<string, unknown>, description = ''): Y.Map<unknown> {
  const entity = new Y.Map<unknown>();
  for (const [key, spec] of Object.entries(TASK_FIELDS) as Array<[string, FieldSpec]>) {
    if (key === 'description') continue;
    const parsed = values[key] === undefined ? null : spec.schema.safeParse(values[key]);
    const value = parsed?.success ? parsed.data : copyIfObject(spec.fallback);
    // The duration validator's Math.ceil(0 - 1e-9) is -0; write a plain 0.
    entity.set(key, Object.is(value, -0) ? 0 : value);
  }
  const text = TASK_FIELDS.description.schema.safeParse(description);
  entity.set('description', new Y.Text(text.success ? text.data : ''));
  return entity;
}

/** A new dependency entity; an unusable type is FS, an unusable lag 0. */
export function importedLinkEntity(from: string, to: string, type: unknown, lag: unknown): Y.Map<unknown> {
  const parsedType = DEPENDENCY_FIELDS.type.schema.safeParse(type);
  const parsedLag = DEPENDENCY_FIELDS.lag.schema.safeParse(lag);
  const entity = new Y.Map<unknown>();
  entity.set('from', from);
  entity.set('to', to);
  entity.set('type', parsedType.success ? parsedType.data : 'FS');
  // + 0 turns a -0 lag into 0.
  entity.set('lag', parsedLag.success ? (parsedLag.data as number) + 0 : 0);
  return entity;
}

function copyIfObject<T>(value: T): T {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}
