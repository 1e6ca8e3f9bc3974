import type { ScheduledTask } from './types.ts';

/**
 * An immutable id -> ScheduledTask map over an array of rows and an index shared by every
 * schedule of one plan structure. The incremental scheduler hands out one per edit: copying a
 * 10,000-entry Map costs about a millisecond, copying the rows array a few microseconds, and
 * the previous schedule stays valid (nothing in it is changed).
 *
 * Iterates in the index's order, the order schedule() fills its Map in (leaves, then
 * summaries deepest first).
 */
export class ScheduledTaskTable implements ReadonlyMap<string, ScheduledTask> {
  constructor(
    /** id -> row; never changed once handed to a table. */
    private readonly index: ReadonlyMap<string, number>,
    private readonly rows: readonly ScheduledTask[],
  ) {}

  get size(): number {
    return this.index.size;
  }

  get(id: string): ScheduledTask | undefined {
    const row = this.index.get(id);
    return row === undefined ? undefined : this.rows[row];
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  forEach(callback: (task: ScheduledTask, id: string, map: ReadonlyMap<string, ScheduledTask>) => void, thisArg?: unknown): void {
    for (const [id, row] of this.index) callback.call(thisArg, this.rows[row]!, id, this);
  }

  keys(): MapIterator<string> {
    return this.index.keys();
  }

  values(): MapIterator<ScheduledTask> {
    return this.generate((id, task) => task);
  }

  entries(): MapIterator<[string, ScheduledTask]> {
    return this.generate((id, task): [string, ScheduledTask] => [id, task]);
  }

  [Symbol.iterator](): MapIterator<[string, ScheduledTask]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'ScheduledTaskTable';
  }

  private generate<T>(item: (id: string, task: ScheduledTask) => T): MapIterator<T> {
    const { index, rows } = this;
    function* walk(): Generator<T, undefined, unknown> {
      for (const [id, row] of index) yield item(id, rows[row]!);
      return undefined;
    }
    // A generator is the iterator a Map would give (next, return, throw, [Symbol.iterator]);
    // TypeScript's MapIterator names the built-in type only.
    return walk() as MapIterator<T>;
  }
}
