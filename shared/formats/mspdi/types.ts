import type { BaselineTask, DependencyType, ScheduleMode } from '../../schema/entities.ts';

/**
 * An MS Project plan read from MSPDI XML, validated and converted to Planvas units (working
 * days, ISO dates), ready for `applyMspdi`. Plain data: tasks refer to each other by their
 * UID in the file.
 */
export interface MspdiPlan {
  /** Project Title, else Name (the file name MS Project saved under); '' when neither. */
  title: string;
  /** Project StartDate as an ISO date; '' when the file has none. */
  projectStart: string;
  /** The project calendar: working weekdays (0 = Sunday) and non-working dates. */
  calendar: { workingDays: number[]; holidays: string[] };
  /** Timestamp for the imported baselines: the file's LastSaved/CreationDate, '' if none. */
  savedAt: string;
  /** In outline order (parents before their subtasks). */
  tasks: MspdiTask[];
  links: MspdiLink[];
  baselines: MspdiBaseline[];
}

export interface MspdiTask {
  uid: number;
  title: string;
  /** Notes, as plain text. */
  description: string;
  /** UID of the summary task it belongs to; null at the top level. */
  parentUid: number | null;
  /** Has subtasks in the file (its own dates are derived by Planvas). */
  summary: boolean;
  /** Auto: the "start no earlier than" date ('' = as soon as possible). Manual: the fixed start. */
  start: string;
  /** Working days. */
  duration: number;
  milestone: boolean;
  mode: ScheduleMode;
  progress: number;
  /** Cost (planned), in currency units. */
  cost: number;
  actualCost: number;
  assignees: string[];
}

export interface MspdiLink {
  /** Predecessor UID. */
  from: number;
  /** Successor UID. */
  to: number;
  type: DependencyType;
  /** Working days, negative for a lead. */
  lag: number;
}

export interface MspdiBaseline {
  /** MS Project's baseline number, 0 … 10. */
  number: number;
  /** "Baseline" for number 0, "Baseline n" otherwise (what MS Project calls them). */
  name: string;
  /** Per task UID (as a string key). */
  tasks: Record<string, BaselineTask>;
}

export type MspdiParseResult =
  | { ok: true; plan: MspdiPlan; warnings: string[] }
  | { ok: false; errors: Array<{ message: string; task?: string }> };
