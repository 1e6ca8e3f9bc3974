import * as Y from 'yjs';
import { readBaselines, readBoard } from '../../doc/read.ts';
import { COMMENTS_MAP } from '../../doc/comments.ts';
import { BOARD_FILE_FORMAT, BOARD_FILE_VERSION, type BoardFile } from './format.ts';

/**
 * The whole board as a Planvas board file (format.ts): pretty JSON with a stable key order
 * (entities by id, fields in schema order, free-form objects sorted), so two exports of the
 * same board differ only in `exportedAt`.
 *
 * @example exportBoardJson(doc, new Date().toISOString()) // '{\n  "format": "planvas-board", …'
 */
export function exportBoardJson(doc: Y.Doc, exportedAt: string): string {
  return JSON.stringify(boardFileOf(doc, exportedAt), null, 2) + '\n';
}

/** The board file as a plain object (what `exportBoardJson` serialises). */
export function boardFileOf(doc: Y.Doc, exportedAt: string): BoardFile {
  const board = readBoard(doc);
  const tasks: BoardFile['board']['tasks'] = {};
  for (const id of sortedKeys(board.tasks)) {
    const { id: _id, kind: _kind, ...fields } = board.tasks.get(id)!;
    tasks[id] = fields;
  }
  const deps: BoardFile['board']['deps'] = {};
  for (const id of sortedKeys(board.deps)) {
    const { id: _id, ...fields } = board.deps.get(id)!;
    deps[id] = fields;
  }
  const notes: BoardFile['board']['notes'] = {};
  for (const id of sortedKeys(board.notes)) {
    const { id: _id, kind: _kind, ...fields } = board.notes.get(id)!;
    notes[id] = fields;
  }
  const baselines: BoardFile['board']['baselines'] = {};
  for (const b of [...readBaselines(doc)].sort((a, c) => (a.id < c.id ? -1 : 1))) {
    baselines[b.id] = { name: b.name, createdAt: b.createdAt, tasks: canonical(b.tasks) };
  }
  const meta = { ...board.meta, wipLimits: canonical(board.meta.wipLimits) };
  const file: BoardFile = {
    format: BOARD_FILE_FORMAT,
    version: BOARD_FILE_VERSION,
    exportedAt,
    board: { meta, tasks, deps, notes, baselines },
  };
  const comments = commentsJson(doc);
  if (comments) file.board.comments = comments;
  return file;
}

/**
 * The top-level comments map as plain JSON, or undefined when the board has none. Read
 * without creating it (`doc.share`), so exporting never adds a type to the document.
 */
function commentsJson(doc: Y.Doc): Record<string, unknown> | undefined {
  if (!doc.share.has(COMMENTS_MAP)) return undefined;
  let map: Y.Map<unknown>;
  try {
    map = doc.getMap(COMMENTS_MAP);
  } catch {
    // Defined as another Yjs type by some client: not ours to export.
    return undefined;
  }
  if (map.size === 0) return undefined;
  return canonical(map.toJSON()) as Record<string, unknown>;
}

function sortedKeys(map: ReadonlyMap<string, unknown>): string[] {
  return [...map.keys()].sort();
}

/** A copy with every object's keys sorted (arrays keep their order), for a stable file. */
export function canonical<T>(value: T): T {
  if (Array.isArray(value)) return value.map(canonical) as T;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key]);
    return out as T;
  }
  return value;
}
