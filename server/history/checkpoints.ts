import * as Y from 'yjs';
import { readBoard } from '../../shared/doc/read.ts';
import { diffBoards, emptyBoardContent, type BoardContent } from '../../shared/history/diff.ts';
import { newId } from '../../shared/ids.ts';
import type { Logger } from '../log.ts';
import type { BoardStore, VersionKind, VersionRecord } from '../storage/types.ts';
import { versionsToPrune } from './retention.ts';

/**
 * The version history of one open board (one per Room).
 *
 * The room tells it about every document change (`noteChange`, with the author's name); while
 * there are changes not yet in a version, an automatic checkpoint falls due every `intervalMs`
 * and the room captures one (`capture`) — the room encodes the state inside its queue (a
 * consistent view), everything else (reading both versions, the diff, the storage write,
 * retention) happens here, after the room's queue has moved on, so relays never wait on it.
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
}

export interface CaptureOptions {
  kind: VersionKind;
  name?: string;
  restoredFrom?: string;
}

/** Default automatic checkpoint interval (PLANVAS_CHECKPOINT_INTERVAL, server/config.ts). */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 5 * 60_000;

/** The author of an edit made through the REST API (import, restore by API). */
export const API_AUTHOR = 'API';

export class Checkpoints {
  private authors = new Set<string>();
  private dirty = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The content of the newest stored version; undefined until read from the store. */
  private previous: BoardContent | null | undefined = undefined;
  private saving: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: CheckpointDeps) {}

  /** Changes since the last version that are not yet in one. */
  get hasUnsavedChanges(): boolean {
    return this.dirty;
  }

  /** A document change by `author` (a user name, or API_AUTHOR). Cheap: called on every update. */
  noteChange(author: string): void {
    if (this.stopped) return;
    this.dirty = true;
    this.authors.add(author);
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
   */
  capture(state: Uint8Array, opts: CaptureOptions): Promise<VersionRecord> {
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

  private async save(state: Uint8Array, opts: CaptureOptions, authors: string[], createdAt: string): Promise<VersionRecord> {
    const { boardId, store } = this.deps;
    const now = contentOf(state);
    const before = (await this.previousContent()) ?? emptyBoardContent(now.meta);
    const record: VersionRecord = {
      id: newId(),
      name: (opts.name ?? '').trim(),
      kind: opts.kind,
      createdAt,
      authors,
      summary: diffBoards(before, now),
    };
    if (opts.restoredFrom) record.restoredFrom = opts.restoredFrom;
    await store.saveVersion(boardId, { ...record, state });
    this.previous = now;
    this.deps.logger.debug('version saved', { boardId, versionId: record.id, kind: record.kind, bytes: state.byteLength });
    if (record.kind === 'auto') await this.prune();
    return record;
  }

  /** The content of the newest stored version (read once per room, then kept in memory). */
  private async previousContent(): Promise<BoardContent | null> {
    if (this.previous !== undefined) return this.previous;
    const [latest] = await this.deps.store.listVersions(this.deps.boardId);
    const state = latest ? await this.deps.store.getVersionState(this.deps.boardId, latest.id) : null;
    this.previous = state ? contentOf(state) : null;
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

/** The plan content of an encoded state (read through the validating layer). */
export function contentOf(state: Uint8Array): BoardContent {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    const { tasks, deps, notes, meta } = readBoard(doc);
    return { tasks, deps, notes, meta };
  } finally {
    doc.destroy();
  }
}
