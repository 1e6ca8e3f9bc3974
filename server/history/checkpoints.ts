import { changeCount } from '../../shared/history/summary.ts';
import { newId } from '../../shared/ids.ts';
import type { Logger } from '../log.ts';
import type { BoardStore, VersionKind, VersionRecord } from '../storage/types.ts';
import { inlineSummariser, type Summariser } from './summariser.ts';
import { versionsToPrune } from './retention.ts';

/**
 * The version history of one open board (one per Room).
 *
 * The room tells it about every document change (`noteChange`, with the author's name); while
 * there are changes not yet in a version, an automatic checkpoint falls due every `intervalMs`
 * and the room captures one (`capture`) — the room encodes the state inside its queue (a
 * consistent view), everything else (the summary, in the summariser's worker thread; the
 * storage write; retention) happens here, after the room's queue has moved on, so relays
 * never wait on it.
 * Saves run one at a time, in capture order, so each summary is against the version before.
 */
export interface CheckpointDeps {
  boardId: string;
  store: BoardStore;
  logger: Logger;
  /** Automatic checkpoint interval while there are unsaved changes. */
  intervalMs: number;
  /** Called when an automatic checkpoint is due; the room then calls `capture` from its queue. */
  onDue(): void;
  /** Computes each version's summary; the server's runs in a worker thread. Default: inline. */
  summariser?: Summariser;
  /** Saves of the board's previous room still in flight (it was unloaded just before): this room's saves follow them. */
  after?: Promise<unknown>;
}

export interface CaptureOptions {
  kind: VersionKind;
  name?: string;
  restoredFrom?: string;
}

/** A version people asked for (Save version, the backup before a restore): always stored. */
export type RequestedCapture = CaptureOptions & { kind: 'named' | 'restore' };

/** Default automatic checkpoint interval (PLANVAS_CHECKPOINT_INTERVAL, server/config.ts). */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 5 * 60_000;

/**
 * Most authors a version names. Names come from each connection's awareness state, which a
 * peer may change at will: without a cap, one script renaming itself before every edit would
 * write thousands of names into the version row (and into every GET /versions).
 */
export const MAX_VERSION_AUTHORS = 50;

/** The author of an edit made through the REST API (import, restore by API). */
export const API_AUTHOR = 'API';

export class Checkpoints {
  private authors = new Set<string>();
  private dirty = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /**
   * The state of the newest stored version (what the next summary is counted from); undefined
   * until read from the store. Kept encoded: smaller than its decoded content, and it goes to
   * the summary worker as it is.
   */
  private previous: Uint8Array | null | undefined = undefined;
  private saving: Promise<unknown>;
  private stopped = false;

  constructor(private readonly deps: CheckpointDeps) {
    this.saving = deps.after?.catch(() => undefined) ?? Promise.resolve();
  }

  /** Changes since the last version that are not yet in one. */
  get hasUnsavedChanges(): boolean {
    return this.dirty;
  }

  /** A document change by `author` (a user name, or API_AUTHOR). Cheap: called on every update. */
  noteChange(author: string): void {
    if (this.stopped) return;
    this.dirty = true;
    if (this.authors.size < MAX_VERSION_AUTHORS) this.authors.add(author);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.dirty && !this.stopped) this.deps.onDue();
      }, this.deps.intervalMs);
      // A pending checkpoint never keeps the process alive; unloading takes its own.
      this.timer.unref?.();
    }
  }

  /**
   * Takes a version of `state` (the room's Y.encodeStateAsUpdate, taken inside its queue).
   * Synchronously claims the authors and clears the unsaved flag, so edits arriving after the
   * capture count towards the next version; resolves once the version is stored. If storing
   * fails, the authors and the flag come back so the next checkpoint retries.
   *
   * An automatic checkpoint whose summary is empty (only comments, or nothing a version
   * shows, changed since the newest version) is not stored and resolves null: each version is
   * a whole document, and a review full of comments would otherwise store one "No changes"
   * copy of the board every interval. Named versions and restore backups are always stored.
   */
  capture(state: Uint8Array, opts: RequestedCapture): Promise<VersionRecord>;
  capture(state: Uint8Array, opts: CaptureOptions): Promise<VersionRecord | null>;
  capture(state: Uint8Array, opts: CaptureOptions): Promise<VersionRecord | null> {
    const authors = [...this.authors].sort((a, b) => a.localeCompare(b));
    const wasDirty = this.dirty;
    this.authors.clear();
    this.dirty = false;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const createdAt = new Date().toISOString();
    const job = this.saving.then(() => this.save(state, opts, authors, createdAt));
    this.saving = job.catch(() => undefined);
    return job.catch((err: unknown) => {
      if (wasDirty) for (const a of authors) this.noteChange(a);
      throw err;
    });
  }

  /** Waits for every capture so far to be stored (or to fail). */
  async flush(): Promise<void> {
    await this.saving;
  }

  /** No more automatic checkpoints (the room is closing). Captures already made still finish. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async save(state: Uint8Array, opts: CaptureOptions, authors: string[], createdAt: string): Promise<VersionRecord | null> {
    const { boardId, store } = this.deps;
    const before = await this.previousState();
    const summary = await (this.deps.summariser ?? inlineSummariser).summarise(before, state);
    const record: VersionRecord = {
      id: newId(),
      name: (opts.name ?? '').trim(),
      kind: opts.kind,
      createdAt,
      authors,
      summary,
    };
    if (opts.restoredFrom) record.restoredFrom = opts.restoredFrom;
    if (opts.kind === 'auto' && changeCount(summary) === 0) {
      this.deps.logger.debug('automatic checkpoint skipped: no plan changes', { boardId });
      return null;
    }
    await store.saveVersion(boardId, { ...record, state });
    this.previous = state;
    this.deps.logger.debug('version saved', { boardId, versionId: record.id, kind: record.kind, bytes: state.byteLength });
    if (record.kind === 'auto') await this.prune();
    return record;
  }

  /** The state of the newest stored version (read once per room, then kept in memory). */
  private async previousState(): Promise<Uint8Array | null> {
    if (this.previous !== undefined) return this.previous;
    const [latest] = await this.deps.store.listVersions(this.deps.boardId);
    try {
      this.previous = latest ? await this.deps.store.getVersionState(this.deps.boardId, latest.id) : null;
    } catch (err) {
      // A damaged newest version must not stop every later one from being stored: this one's
      // summary is then counted from an empty board, and the history goes on.
      this.deps.logger.error('the newest version does not load; summarising against an empty board', { boardId: this.deps.boardId, versionId: latest?.id, err });
      this.previous = null;
    }
    return this.previous;
  }

  private async prune(): Promise<void> {
    try {
      const ids = versionsToPrune(await this.deps.store.listVersions(this.deps.boardId));
      if (ids.length > 0) await this.deps.store.deleteVersions(this.deps.boardId, ids);
    } catch (err) {
      // Only bounds the history; the next checkpoint tries again.
      this.deps.logger.warn('pruning old versions failed', { boardId: this.deps.boardId, err });
    }
  }
}
