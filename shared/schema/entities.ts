/**
 * The plain read model of a board: what every view renders. These are produced only by
 * `read.ts` from the Y.Doc (validated, defaults filled), never trusted straight from a peer.
 * docs/schema.md is the prose version of this file; keep the two in step.
 */

/** Kinds of shapes on the canvas. Dependencies are drawn, but they are not shapes. */
export type ShapeKind = 'task' | 'note';

/** Fields every shape (task card or sticky note) has. */
export interface ShapeBase {
  /** The key of the entity in its top-level map (nanoid, 21 chars). */
  id: string;
  /** Top-left corner in canvas coordinates (pixels at zoom 1). Finite, |v| <= 1e7. */
  x: number;
  y: number;
  /** Size in canvas units, clamped to [MIN_SHAPE_SIZE, MAX_SHAPE_SIZE]. */
  w: number;
  h: number;
  /** Fill colour as '#rrggbb'. */
  color: string;
  /** Fractional-index z-order key (see zorder.ts); draw ascending, ties by id. */
  z: string;
}

export interface Task extends ShapeBase {
  kind: 'task';
  /** One-line title (plain string, last writer wins), at most 500 chars. */
  title: string;
  /** Free-text assignee name; '' when nobody is assigned. */
  assignee: string;
  /** Status key ('todo', 'in-progress', 'blocked', 'done' by default); '' when not set. */
  status: string;
  /** Start and end as ISO dates 'YYYY-MM-DD'; '' when not set. */
  start: string;
  end: string;
}

export interface Note extends ShapeBase {
  kind: 'note';
  /** The note body, a Y.Text in the document so that people co-edit it character by character. */
  text: string;
}

export type Shape = Task | Note;

/** Dependency types (MS Project's): finish-to-start, start-to-start, finish-to-finish, start-to-finish. */
export type DependencyType = 'FS' | 'SS' | 'FF' | 'SF';
export const DEPENDENCY_TYPES: readonly DependencyType[] = ['FS', 'SS', 'FF', 'SF'];

/** An arrow from a predecessor task to a successor task. */
export interface Dependency {
  id: string;
  /** Predecessor task id. */
  from: string;
  /** Successor task id. */
  to: string;
  type: DependencyType;
  /** Lag (positive) or lead (negative) in working days. */
  lag: number;
}

export interface BoardMeta {
  title: string;
  schemaVersion: number;
  /** ISO timestamp of creation; '' when unknown. */
  createdAt: string;
}

export const MIN_SHAPE_SIZE = 40;
export const MAX_SHAPE_SIZE = 4000;
export const MAX_COORDINATE = 1e7;
export const MAX_TITLE_LENGTH = 500;
/** The title of a board created without one, and of a document whose meta.title is missing or unreadable. */
export const DEFAULT_BOARD_TITLE = 'Untitled board';
export const MAX_SHORT_TEXT_LENGTH = 200;
export const MAX_NOTE_TEXT_LENGTH = 20_000;

export const DEFAULT_TASK_SIZE = { w: 240, h: 130 } as const;
export const DEFAULT_NOTE_SIZE = { w: 180, h: 180 } as const;

/** Palettes offered by the UI; any '#rrggbb' in the document is accepted. */
export const TASK_COLORS = ['#ffffff', '#e3f2fd', '#e8f5e9', '#fff3e0', '#fce4ec', '#ede7f6', '#eceff1'] as const;
export const NOTE_COLORS = ['#fff59d', '#ffcc80', '#a5d6a7', '#90caf9', '#f48fb1', '#ce93d8', '#e0e0e0'] as const;
export const DEFAULT_TASK_COLOR = TASK_COLORS[0];
export const DEFAULT_NOTE_COLOR = NOTE_COLORS[0];

/** Default statuses, in board order. */
export const DEFAULT_STATUSES = [
  { key: 'todo', label: 'To do' },
  { key: 'in-progress', label: 'In progress' },
  { key: 'blocked', label: 'Blocked' },
  { key: 'done', label: 'Done' },
] as const;
