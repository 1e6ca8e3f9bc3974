import type { DependencyType, ScheduleMode } from '../schema/entities.ts';
import type { CalendarSpec, WorkCalendar } from './calendar.ts';

/** What the scheduler needs of a task (a subset of the document's Task). */
export interface PlanTaskInput {
  id: string;
  /** '' at the top level. */
  parent: string;
  /** Working days; milestones are scheduled with 0 whatever this says. */
  duration: number;
  /** ISO date or ''. Auto: start no earlier than; manual: the fixed start ('' = project start). */
  start: string;
  mode: ScheduleMode;
  milestone: boolean;
  /** 0..100. */
  progress: number;
  budget: number;
  actualCost: number;
}

export interface PlanLinkInput {
  id: string;
  /** Predecessor task id. */
  from: string;
  /** Successor task id. */
  to: string;
  type: DependencyType;
  /** Working days; negative is a lead. */
  lag: number;
}

export interface ScheduleInput {
  /** ISO date; working day 0 is the first working day on or after it. */
  projectStart: string;
  calendar: CalendarSpec;
  tasks: readonly PlanTaskInput[];
  links: readonly PlanLinkInput[];
}

export interface ScheduledTask {
  id: string;
  /** Has subtasks: its dates, duration, progress and costs roll up from them. */
  summary: boolean;
  /** Scheduled (early) dates, ISO; `finish` is the last working day (a milestone's day for 0 days). */
  start: string;
  finish: string;
  earlyStart: string;
  earlyFinish: string;
  lateStart: string;
  lateFinish: string;
  /** Working-day indexes from the project start: the task occupies [startIndex, finishIndex). */
  startIndex: number;
  finishIndex: number;
  /** Working days (rolled up for summaries: from the first subtask's start to the last one's finish). */
  duration: number;
  /** Zero duration (milestone flag or 0 days), drawn as a diamond. */
  milestone: boolean;
  /** Working days the task can slip without delaying the project finish (MS Project's Total Slack). */
  totalFloat: number;
  /** Working days it can slip without delaying any successor (MS Project's Free Slack). */
  freeFloat: number;
  /** Total float <= 0. */
  critical: boolean;
  /** Part of a dependency cycle: its in-cycle links are ignored for scheduling. */
  inCycle: boolean;
  /** Links into this manual task that its fixed start breaks. */
  violatedLinks: string[];
  progress: number;
  budget: number;
  actualCost: number;
}

export interface ScheduleCycle {
  /** Tasks on the cycle (leaf tasks, plus summary tasks whose links close it). */
  tasks: string[];
  /** Links on the cycle. */
  dependencies: string[];
}

export interface Schedule {
  projectStart: string;
  /** Last working day of the latest task (the project start when there are no tasks). */
  projectFinish: string;
  /** Working days from the project start to the finish. */
  projectDuration: number;
  calendar: WorkCalendar;
  /** Every task by id: leaves, then summaries deepest first. Read-only: results are values. */
  tasks: ReadonlyMap<string, ScheduledTask>;
  cycles: ScheduleCycle[];
  /** Links that drive a critical task (no slack on the link): drawn highlighted. */
  criticalLinks: Set<string>;
  /** Links that were ignored (self-links, summary to own subtask, unknown tasks), with why. */
  problems: Array<{ id: string; message: string }>;
}
