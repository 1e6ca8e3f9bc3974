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
  /** Long description, a Y.Text in the document (co-edited character by character). */
  description: string;
  /** Names of the people doing the task, in the order given; [] when nobody is assigned. */
  assignees: string[];
  /** Status key (one of the board's statuses, see BoardMeta.statuses); '' when not set. */
  status: string;
  priority: Priority;
  /**
   * Auto tasks: the earliest start the user asked for ("start no earlier than"); '' = as soon
   * as the predecessors and the project start allow. Manual tasks: the fixed start ('' = the
   * project start). ISO date 'YYYY-MM-DD'. The scheduled dates are derived, never stored.
   */
  start: string;
  /** Length in working days of the board's calendar (integer, 0 for a milestone). */
  duration: number;
  /** Percent complete, 0..100. */
  progress: number;
  /** Estimated effort in hours (>= 0). */
  estimate: number;
  /** Planned cost and cost incurred so far, in the board's currency (>= 0). */
  budget: number;
  actualCost: number;
  /** Drawn as a diamond; scheduled with a duration of 0. */
  milestone: boolean;
  /** The summary task this task belongs to; '' at the top level. Loops are broken on read. */
  parent: string;
  /** 'auto': moved by its predecessors; 'manual': stays where it was put, violated links are shown. */
  mode: ScheduleMode;
  /** Fractional index of the task in the plan outline (timeline grid), ascending; '' = after the ranked ones. */
  rank: string;
  /** Fractional index of the card within its Kanban column, ascending; '' = after the ranked ones. */
  boardRank: string;
}

export type Priority = '' | 'low' | 'medium' | 'high' | 'urgent';
export const PRIORITIES: readonly Priority[] = ['', 'low', 'medium', 'high', 'urgent'];
export type ScheduleMode = 'auto' | 'manual';
export const SCHEDULE_MODES: readonly ScheduleMode[] = ['auto', 'manual'];
export const MAX_ASSIGNEES = 20;
export const MAX_DURATION_DAYS = 10_000;
export const MAX_LAG_DAYS = 10_000;
export const MAX_MONEY = 1e12;
export const MAX_DESCRIPTION_LENGTH = 20_000;

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
  /** First day of the project (ISO date); '' = not set (views fall back to the creation date). */
  projectStart: string;
  /** Working weekdays, 0 = Sunday … 6 = Saturday; Monday to Friday by default. Never empty. */
  workingDays: number[];
  /** Non-working dates (ISO), sorted, unique. */
  holidays: string[];
  /** The board's statuses in column order; the defaults when unset. Keys are unique. */
  statuses: StatusDef[];
  /** Kanban work-in-progress limit per status key (positive integers); absent = no limit. */
  wipLimits: Record<string, number>;
  /** Whether people with the view-only link may comment (comments are the only thing they can write). Off by default. */
  viewersMayComment: boolean;
}

export interface StatusDef {
  /** Stored in Task.status; stable when the label is renamed. */
  key: string;
  label: string;
}

/** A named snapshot of every task's plan (top-level map `baselines`, one Y.Map per baseline). */
export interface Baseline {
  id: string;
  name: string;
  /** ISO timestamp. */
  createdAt: string;
  /** Per task id: scheduled dates, duration and budget when the baseline was saved. */
  tasks: Record<string, BaselineTask>;
}

export interface BaselineTask {
  start: string;
  finish: string;
  duration: number;
  cost: number;
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
export const DEFAULT_STATUSES: readonly StatusDef[] = [
  { key: 'todo', label: 'To do' },
  { key: 'in-progress', label: 'In progress' },
  { key: 'blocked', label: 'Blocked' },
  { key: 'done', label: 'Done' },
];
export const DEFAULT_WORKING_DAYS: readonly number[] = [1, 2, 3, 4, 5];
export const MAX_STATUSES = 30;
export const MAX_HOLIDAYS = 2000;
export const MAX_BASELINE_NAME_LENGTH = 200;
