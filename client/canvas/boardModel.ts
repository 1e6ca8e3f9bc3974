import type * as Y from 'yjs';
import { boardMaps } from '../../shared/doc/structure.ts';
import { isLiveDependency, readDependency, readNote, readTask } from '../../shared/doc/read.ts';
import type { Dependency, Note, Shape, Task } from '../../shared/schema/entities.ts';
import { compareZ } from '../../shared/schema/zorder.ts';
import { SpatialIndex } from './spatialIndex.ts';
import { unionRects, type Rect } from './viewport.ts';

/**
 * The canvas's live read model of one board. It reads the whole document once, then only
 * the entities each Yjs transaction touched (observeDeep), through the validating read
 * layer. Unchanged entities keep their object identity, so memoized shape components skip
 * re-rendering; the spatial index is updated for the changed shapes only.
 */
export class BoardModel {
  readonly tasks = new Map<string, Task>();
  readonly notes = new Map<string, Note>();
  /** Every readable dependency, live or not; use `liveDeps()` to draw. */
  readonly deps = new Map<string, Dependency>();
  readonly index = new SpatialIndex();
  /** Bumped on every change; React subscribes to it. */
  version = 0;
  /**
   * Bumped only when something the scheduler reads changed (a task's plan fields, a task
   * added or removed, any link), so moving cards on the canvas does not re-run the scheduler.
   */
  planVersion = 0;
  private readonly listeners = new Set<() => void>();
  private readonly depsByTask = new Map<string, Set<string>>();
  private unobserve: (() => void) | null = null;
  /**
   * Every shape id in draw order, kept between calls and dropped only when a shape is added or
   * removed or its z key changes: a remote move leaves it as it was. Zoomed out, `shapesIn`
   * returns thousands of shapes per call, and sorting them with `compareZ` (string keys) on
   * every remote move took most of a zoomed-out frame.
   */
  private drawOrder: string[] | null = null;

  constructor(private readonly doc: Y.Doc) {
    this.readAll();
  }

  /** Starts following the document (idempotent; re-reads everything it may have missed). */
  start(): void {
    if (this.unobserve) return;
    this.readAll();
    const maps = boardMaps(this.doc);
    const onTasks = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => this.apply(events, maps.tasks, (id) => this.refreshTask(id));
    const onNotes = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => this.apply(events, maps.notes, (id) => this.refreshNote(id));
    const onDeps = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => this.apply(events, maps.deps, (id) => this.refreshDep(id));
    maps.tasks.observeDeep(onTasks);
    maps.notes.observeDeep(onNotes);
    maps.deps.observeDeep(onDeps);
    this.unobserve = () => {
      maps.tasks.unobserveDeep(onTasks);
      maps.notes.unobserveDeep(onNotes);
      maps.deps.unobserveDeep(onDeps);
    };
  }

  stop(): void {
    this.unobserve?.();
    this.unobserve = null;
  }

  private readAll(): void {
    const maps = boardMaps(this.doc);
    const before = this.version;
    for (const id of this.tasks.keys()) if (!maps.tasks.has(id)) this.refreshTask(id);
    for (const id of this.notes.keys()) if (!maps.notes.has(id)) this.refreshNote(id);
    for (const id of this.deps.keys()) if (!maps.deps.has(id)) this.refreshDep(id);
    maps.tasks.forEach((_v, id) => this.refreshTask(id));
    maps.notes.forEach((_v, id) => this.refreshNote(id));
    maps.deps.forEach((_v, id) => this.refreshDep(id));
    this.version = before + 1;
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  shape(id: string): Shape | undefined {
    return this.tasks.get(id) ?? this.notes.get(id);
  }

  /** Dependencies that can be drawn (both tasks exist, not a self-loop). */
  liveDeps(): Dependency[] {
    const out: Dependency[] = [];
    for (const dep of this.deps.values()) if (isLiveDependency(dep, this.tasks)) out.push(dep);
    return out;
  }

  /** Live dependency ids touching task `id` (for moving arrows with a dragged card). */
  depsOf(id: string): string[] {
    const set = this.depsByTask.get(id);
    if (!set) return [];
    return [...set].filter((depId) => {
      const dep = this.deps.get(depId);
      return dep !== undefined && isLiveDependency(dep, this.tasks);
    });
  }

  /** Shapes intersecting `r`, in draw order (bottom first). */
  shapesIn(r: Rect): Shape[] {
    const ids = this.index.search(r);
    if (ids.length <= ORDER_FILTER_FROM) {
      const out: Shape[] = [];
      for (const id of ids) {
        const s = this.shape(id);
        if (s) out.push(s);
      }
      return out.sort(compareZ);
    }
    // Many hits: walk the kept draw order once instead of sorting (the same order: compareZ is
    // a total order, so the hits keep their places within it).
    const hit = new Set(ids);
    const out: Shape[] = [];
    for (const id of this.order()) {
      if (!hit.has(id)) continue;
      const s = this.shape(id);
      if (s) out.push(s);
    }
    return out;
  }

  private order(): string[] {
    if (!this.drawOrder) {
      const all: Shape[] = [...this.tasks.values()];
      for (const [id, note] of this.notes) if (!this.tasks.has(id)) all.push(note);
      this.drawOrder = all.sort(compareZ).map((s) => s.id);
    }
    return this.drawOrder;
  }

  /** Topmost shape under a canvas point, optionally only tasks. */
  topAt(x: number, y: number, onlyTasks = false): Shape | undefined {
    let best: Shape | undefined;
    for (const id of this.index.at(x, y)) {
      const s = onlyTasks ? this.tasks.get(id) : this.shape(id);
      if (s && (!best || compareZ(s, best) > 0)) best = s;
    }
    return best;
  }

  allShapeIds(): string[] {
    return [...this.tasks.keys(), ...this.notes.keys()];
  }

  /** The rectangle around every card and note, or null on an empty board. */
  bounds(): Rect | null {
    return unionRects([...this.tasks.values(), ...this.notes.values()]);
  }

  private apply(events: Array<Y.YEvent<Y.AbstractType<unknown>>>, top: Y.Map<unknown>, refresh: (id: string) => void): void {
    const changed = new Set<string>();
    for (const event of events) {
      if (event.target === top) {
        for (const key of event.changes.keys.keys()) changed.add(key);
      } else {
        const first = event.path[0];
        if (typeof first === 'string') changed.add(first);
      }
    }
    if (changed.size === 0) return;
    for (const id of changed) refresh(id);
    this.version++;
    for (const listener of this.listeners) listener();
  }

  private refreshTask(id: string): void {
    const task = readTask(id, boardMaps(this.doc).tasks.get(id));
    if (!task) {
      if (this.tasks.has(id)) {
        this.planVersion++;
        this.drawOrder = null;
      }
      this.tasks.delete(id);
      if (!this.notes.has(id)) this.index.remove(id);
      return;
    }
    const old = this.tasks.get(id);
    if (old && sameFields(old, task)) return;
    if (!old || PLAN_FIELDS.some((f) => !sameValue(old[f], task[f]))) this.planVersion++;
    if (!old || old.z !== task.z) this.drawOrder = null;
    this.tasks.set(id, task);
    this.index.upsert(id, task);
  }

  private refreshNote(id: string): void {
    const note = readNote(id, boardMaps(this.doc).notes.get(id));
    if (!note) {
      if (this.notes.has(id)) this.drawOrder = null;
      this.notes.delete(id);
      if (!this.tasks.has(id)) this.index.remove(id);
      return;
    }
    const old = this.notes.get(id);
    if (old && sameFields(old, note)) return;
    if (!old || old.z !== note.z) this.drawOrder = null;
    this.notes.set(id, note);
    this.index.upsert(id, note);
  }

  private refreshDep(id: string): void {
    this.planVersion++;
    const old = this.deps.get(id);
    if (old) {
      this.depsByTask.get(old.from)?.delete(id);
      this.depsByTask.get(old.to)?.delete(id);
    }
    const dep = readDependency(id, boardMaps(this.doc).deps.get(id));
    if (!dep) {
      this.deps.delete(id);
      return;
    }
    this.deps.set(id, old && sameFields(old, dep) ? old : dep);
    for (const end of [dep.from, dep.to]) {
      let set = this.depsByTask.get(end);
      if (!set) this.depsByTask.set(end, (set = new Set()));
      set.add(id);
    }
  }
}

/** Task fields the scheduler and the plan views read (not position, size, colour or z). */
const PLAN_FIELDS = ['parent', 'duration', 'start', 'mode', 'milestone', 'progress', 'budget', 'actualCost', 'title', 'status', 'assignees', 'rank'] as const;

function sameFields<T extends object>(a: T, b: T): boolean {
  for (const key of Object.keys(b) as Array<keyof T>) if (!sameValue(a[key], b[key])) return false;
  return Object.keys(a).length === Object.keys(b).length;
}

/** Plain values, and arrays of them (assignees), compared by content so an unchanged task keeps its identity. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((v, i) => v === b[i]);
}

/** From this many hits on, `shapesIn` filters the kept draw order rather than sorting the hits. */
const ORDER_FILTER_FROM = 256;
