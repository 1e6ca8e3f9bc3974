/**
 * The Planvas board file (`.json`), version 1: the whole board as plain JSON, so it can be
 * archived, diffed, and imported into another board to reproduce it exactly (same ids).
 *
 * ```
 * { "format": "planvas-board", "version": 1, "exportedAt": "<ISO timestamp>",
 *   "board": {
 *     "meta":      { title, schemaVersion, createdAt, projectStart, workingDays, … every setting },
 *     "tasks":     { "<id>": { title, x, y, w, h, color, z, description (string), assignees, … } },
 *     "deps":      { "<id>": { from, to, type, lag } },
 *     "notes":     { "<id>": { text (string), x, y, w, h, color, z } },
 *     "baselines": { "<id>": { name, createdAt, tasks: { "<taskId>": { start, finish, duration, cost } } } },
 *     "comments":  { … }   // optional: the top-level `comments` map as plain JSON
 *   } }
 * ```
 *
 * Fields are those of docs/schema.md, written as the read layer sees them (defaults filled
 * in), so an export of an imported file is byte-identical to the file except `exportedAt`.
 */
export const BOARD_FILE_FORMAT = 'planvas-board';
export const BOARD_FILE_VERSION = 1;

/** Hostile-input limits of `parseBoardJson`. A real 10k-task board is far below every one. */
export const BOARD_FILE_LIMITS = {
  /** Bytes of UTF-8 text. */
  maxBytes: 20 * 1024 * 1024,
  /** Nesting of JSON objects and arrays. */
  maxDepth: 32,
  tasks: 20_000,
  deps: 50_000,
  notes: 20_000,
  baselines: 500,
  // The comments feature's own cap (MAX_THREADS_PER_BOARD).
  comments: 5_000,
} as const;

export type BoardFileSection = 'tasks' | 'deps' | 'notes' | 'baselines' | 'comments';

export interface BoardFile {
  format: typeof BOARD_FILE_FORMAT;
  version: number;
  exportedAt: string;
  board: {
    meta: Record<string, unknown>;
    tasks: Record<string, Record<string, unknown>>;
    deps: Record<string, Record<string, unknown>>;
    notes: Record<string, Record<string, unknown>>;
    baselines: Record<string, Record<string, unknown>>;
    comments?: Record<string, unknown>;
  };
}
