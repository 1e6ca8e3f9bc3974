import * as Y from 'yjs';
import { readBaselines, readMeta } from '../../shared/doc/read.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import { createScheduler } from '../../shared/planning/scheduler.ts';
import type { Schedule } from '../../shared/planning/types.ts';
import { resolveProjectStart, scheduleInputOf } from '../../shared/planning/fromBoard.ts';
import type { Baseline, BoardMeta, Task } from '../../shared/schema/entities.ts';
import { planOutline } from '../../shared/planning/outline.ts';
import type { BoardModel } from '../canvas/boardModel.ts';

/**
 * The planner's live view of a board, shared by the timeline, board, dashboard and the
 * canvas cards: tasks and links (from the shared BoardModel), meta (calendar, statuses, WIP
 * limits), baselines, and the schedule, recomputed lazily at most once per change.
 */
export class PlanModel {
  meta: BoardMeta;
  baselines: Baseline[];
  private version = 0;
  private readonly listeners = new Set<() => void>();
  private cached: { key: string; schedule: Schedule } | null = null;
  /** Remembers the last plan scheduled: after an edit of task fields or lags it recomputes only what moved. */
  private readonly scheduler = createScheduler();
  private cachedOutline: { key: string; rows: OutlineRow[] } | null = null;
  private metaVersion = 0;
  private readonly stops: Array<() => void> = [];

  constructor(
    private readonly doc: Y.Doc,
    readonly board: BoardModel,
    /** Today as an ISO date (injected so tests can pin it). */
    readonly today: () => string = () => new Date().toISOString().slice(0, 10),
  ) {
    this.meta = readMeta(doc);
    this.baselines = readBaselines(doc);
  }

  start(): void {
    if (this.stops.length > 0) return;
    const { meta, baselines } = boardMaps(this.doc);
    const onMeta = () => {
      this.meta = readMeta(this.doc);
      this.metaVersion++;
      this.bump();
    };
    const onBaselines = () => {
      this.baselines = readBaselines(this.doc);
      this.bump();
    };
    meta.observeDeep(onMeta);
    baselines.observeDeep(onBaselines);
    this.stops.push(
      () => meta.unobserveDeep(onMeta),
      () => baselines.unobserveDeep(onBaselines),
      this.board.subscribe(() => this.bump()),
    );
    onMeta();
    onBaselines();
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  /** The project start in effect (meta.projectStart, else the creation date, else the earliest task start, else today). */
  projectStart(): string {
    return resolveProjectStart(this.meta, this.board.tasks.values(), this.today());
  }

  /** Changes exactly when the schedule, outline or statuses may have: plan fields, links, meta. */
  planKey(): string {
    return `${this.board.planVersion}:${this.metaVersion}`;
  }

  /** The current schedule; computed once per change of tasks, links or calendar. */
  schedule(): Schedule {
    const key = `${this.board.planVersion}:${this.metaVersion}`;
    if (this.cached?.key !== key) {
      this.cached = { key, schedule: this.scheduler.schedule(scheduleInputOf(this.board.tasks.values(), this.board.liveDeps(), this.meta, this.projectStart())) };
    }
    return this.cached.schedule;
  }

  /** Tasks in plan-outline order (depth first, siblings by rank), with their depth. */
  outline(): OutlineRow[] {
    const key = `${this.board.planVersion}`;
    if (this.cachedOutline?.key !== key) this.cachedOutline = { key, rows: outlineRows(this.board.tasks) };
    return this.cachedOutline.rows;
  }

  statusLabel(key: string): string {
    return this.meta.statuses.find((s) => s.key === key)?.label ?? key;
  }

  private bump(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }
}

export interface OutlineRow {
  task: Task;
  depth: number;
  /** Has subtasks (a summary task). */
  hasChildren: boolean;
  /** The summary task it is shown under ('' at the top level), as the scheduler sees it. */
  parentId: string;
}

/**
 * Depth-first outline of the task tree (siblings by rank, then id), with the same summary
 * forest the scheduler uses (shared/planning/hierarchy.ts): a task whose own parent is missing
 * or on a loop is shown at the top level, with its subtasks still under it. Iterative and
 * O(tasks), however deep the outline a peer wrote.
 */
export function outlineRows(tasks: ReadonlyMap<string, Task>): OutlineRow[] {
  const entries = planOutline(tasks.values());
  // Depth first: a row has subtasks exactly when the next row is deeper.
  return entries.map((e, i) => ({
    task: tasks.get(e.id)!,
    depth: e.depth,
    hasChildren: (entries[i + 1]?.depth ?? -1) > e.depth,
    parentId: e.parent,
  }));
}

/** Rows not hidden under a collapsed summary, in one pass. */
export function visibleRows(rows: readonly OutlineRow[], collapsed: ReadonlySet<string>): OutlineRow[] {
  if (collapsed.size === 0) return rows as OutlineRow[];
  const out: OutlineRow[] = [];
  let hideBelow = Infinity;
  for (const row of rows) {
    if (row.depth > hideBelow) continue;
    hideBelow = Infinity;
    out.push(row);
    if (row.hasChildren && collapsed.has(row.task.id)) hideBelow = row.depth;
  }
  return out;
}

/** The row's subtasks at every level (the rows after it that are deeper), in one pass. */
export function descendantIds(rows: readonly OutlineRow[], id: string): Set<string> {
  const out = new Set<string>();
  const at = rows.findIndex((r) => r.task.id === id);
  if (at < 0) return out;
  const depth = rows[at]!.depth;
  for (let i = at + 1; i < rows.length && rows[i]!.depth > depth; i++) out.add(rows[i]!.task.id);
  return out;
}

const models = new WeakMap<Y.Doc, { model: PlanModel; users: number }>();

/** The one PlanModel of a document (see boardModelFor). */
export function planModelFor(doc: Y.Doc, board: BoardModel): PlanModel {
  let entry = models.get(doc);
  if (!entry) models.set(doc, (entry = { model: new PlanModel(doc, board), users: 0 }));
  return entry.model;
}

export function retainPlanModel(doc: Y.Doc, board: BoardModel): () => void {
  planModelFor(doc, board);
  const entry = models.get(doc)!;
  if (entry.users++ === 0) entry.model.start();
  return () => {
    if (--entry.users === 0) entry.model.stop();
  };
}
