import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { boardMaps } from '../../shared/doc/structure.ts';
import { readMeta } from '../../shared/doc/read.ts';
import type { BoardRole } from '../../shared/protocol/api.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { StorageCorruptError, type BoardStore, type VersionRecord } from '../storage/types.ts';
import { API_AUTHOR, Checkpoints, DEFAULT_CHECKPOINT_INTERVAL_MS, type CaptureOptions, type RequestedCapture } from '../history/checkpoints.ts';
import type { Summariser } from '../history/summariser.ts';
import { readPresence } from '../../shared/protocol/presence.ts';
import {
  encodeAwareness,
  encodeAwarenessEntries,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  isEmptyUpdate,
  type AwarenessEntry,
  type ClientMessage,
} from './frames.ts';

/** One connected client, as a room sees it (connection.ts implements it over a `ws` socket). */
export interface Peer {
  readonly id: number;
  readonly role: BoardRole;
  /** Awareness client ids this peer announced; removed for everyone when it leaves. */
  readonly awarenessIds: Set<number>;
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
  /**
   * Another connection claims one of this peer's awareness ids (a client that reconnected
   * before its old socket was seen to die): ping this peer and cut it off if it does not
   * answer soon, which frees the id for the new connection.
   */
  checkAlive(): void;
}

export interface RoomDeps {
  store: BoardStore;
  logger: Logger;
  metrics: Metrics;
  compactAfterUpdates: number;
  /** Automatic version checkpoint interval while people edit (server/history); default 5 minutes. */
  checkpointIntervalMs?: number;
  /** Computes version summaries (server/history/summariser.ts); default: on the main thread. */
  summariser?: Summariser;
  /** Called once when loading failed; the registry forgets the room so a later join retries. */
  onFailed(room: Room): void;
  /** Called whenever the last member left. */
  onEmpty(room: Room): void;
}

type RoomState = 'loading' | 'ready' | 'failed' | 'closed';

/** The origin of the server's own edits (Room.applyServerEdit); relayed to every peer. */
export const SERVER_ORIGIN = 'server';

/** The origin of a server edit made for a named person (a REST comment), so history credits them. */
class AuthoredServerEdit {
  constructor(readonly author: string) {}
}

/** The board did not load (or is closing): REST callers answer 503, never an empty board. */
export class RoomUnavailableError extends Error {
  constructor(
    readonly boardId: string,
    readonly state: string,
  ) {
    super(`board ${boardId} is not available (${state})`);
    this.name = 'RoomUnavailableError';
  }
}

/**
 * One open board: its Y.Doc, its awareness and its peers.
 *
 * Every event (load, join, message, leave, compaction, close) runs through one serial queue,
 * so: nothing is answered before the stored state is loaded; an update is appended to the
 * store before it is applied or relayed; and a compaction sees exactly the rows applied so far.
 */
export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  private state: RoomState = 'loading';
  private readonly peers = new Set<Peer>();
  /** Peers that joined or are queued to join; counted synchronously so an unload never races a join. */
  private members = 0;
  private queue: Promise<void> = Promise.resolve();
  private lastSeq = 0;
  private rowsSinceSnapshot = 0;
  private compactScheduled = false;
  /** Which connection announced each awareness client id; only that connection may change or remove it. */
  private readonly awarenessOwners = new Map<number, Peer>();
  /**
   * The answer to a fresh client's sync step 1 (an empty state vector: it has nothing), encoded
   * once and reused until the document changes. Twenty people opening a 10k-task board at once
   * cost one encoding, not twenty, and other boards' messages are not held up behind them.
   */
  private freshJoinFrame: Uint8Array | null = null;
  /** Edits received and not yet stored, in arrival order (see drainInbox). */
  private inbox: Array<{ peer: Peer; update: Uint8Array }> = [];
  private drainQueued = false;
  /** The title in the board registry (store.getBoard); kept in step with meta.title. */
  private storedTitle: string | null = null;
  private titleChanged = false;
  /** Version history: automatic checkpoints, named versions (server/history/checkpoints.ts). */
  private readonly checkpoints: Checkpoints;
  /** The code peers were closed with when the room closed; a join that arrives later gets it too. */
  private closeCode: number = CloseCode.goingAway;

  constructor(
    readonly boardId: string,
    private readonly deps: RoomDeps,
  ) {
    // The server is not a user: it publishes no awareness state of its own.
    this.awareness.setLocalState(null);
    this.checkpoints = new Checkpoints({
      boardId,
      store: deps.store,
      logger: deps.logger,
      intervalMs: deps.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
      summariser: deps.summariser,
      // Captured in the queue (a consistent state); the save itself is not awaited there.
      onDue: () =>
        this.run(() => {
          if (this.state === 'ready') void this.captureVersion({ kind: 'auto' }).catch(() => undefined);
        }),
    });
  }

  get isReady(): boolean {
    return this.state === 'ready';
  }

  get memberCount(): number {
    return this.members;
  }

  /** Starts loading; must be called once, before any join. */
  load(): void {
    this.run(async () => {
      try {
        this.storedTitle = (await this.deps.store.getBoard(this.boardId))?.title ?? null;
        const stored = await this.deps.store.loadBoardState(this.boardId);
        // Every board is created with a first update, so no snapshot and no log means lost
        // rows: serving it would hand out an empty board and compact that over the truth.
        if (!stored.snapshot && stored.updates.length === 0) throw new StorageCorruptError(this.boardId, 'neither a snapshot nor any log row');
        this.doc.transact(() => {
          if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
          for (const update of stored.updates) Y.applyUpdate(this.doc, update);
        }, 'load');
        this.lastSeq = stored.lastSeq;
        this.rowsSinceSnapshot = stored.updates.length;
      } catch (err) {
        this.fail(err);
        return;
      }
      this.state = 'ready';
      this.doc.on('update', this.onDocUpdate);
      this.awareness.on('update', this.onAwarenessUpdate);
      boardMaps(this.doc).meta.observeDeep(this.onMetaChange);
      this.deps.logger.debug('room loaded', { boardId: this.boardId, lastSeq: this.lastSeq, logRows: this.rowsSinceSnapshot });
      // A rename whose registry write was lost (killed before it) is caught up on the next load.
      this.titleChanged = true;
      await this.syncStoredTitle();
      this.maybeScheduleCompaction();
    });
  }

  join(peer: Peer): void {
    this.members++;
    this.run(() => {
      if (this.state !== 'ready') {
        peer.close(this.state === 'closed' ? this.closeCode : CloseCode.internalError, this.closeCode === CloseCode.boardDeleted ? 'board deleted' : 'board unavailable');
        return;
      }
      this.peers.add(peer);
      // Step 1 from the server makes the client send what we lack (its offline edits).
      peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
      const states = this.awareness.getStates();
      if (states.size > 0) peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
    });
  }

  receive(peer: Peer, msg: ClientMessage): void {
    if (msg.kind === 'update') {
      // Edits wait in an inbox; one queued task takes every edit that arrived meanwhile and
      // stores them in one transaction before applying and relaying them (group commit).
      this.inbox.push({ peer, update: msg.update });
      if (!this.drainQueued) {
        this.drainQueued = true;
        this.run(() => this.drainInbox());
      }
      return;
    }
    this.run(async () => {
      if (!this.peers.has(peer) || this.state !== 'ready') return;
      switch (msg.kind) {
        case 'sync-step1':
          peer.send(this.syncStep2For(msg.stateVector));
          return;
        case 'sync-step2':
          // Sent once per connection; on a reconnect it usually holds nothing new but the whole
          // delete set, which would otherwise be stored again on every reconnect.
          if (Y.snapshotContainsUpdate(Y.snapshot(this.doc), msg.update)) return;
          await this.applyClientUpdate(peer, msg.update);
          return;
        case 'awareness':
          this.applyAwareness(peer, msg.update, msg.entries);
          return;
        case 'query-awareness': {
          const ids = [...this.awareness.getStates().keys()];
          peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)));
          return;
        }
      }
    });
  }

  /**
   * Counts a server-side user (a REST read or edit) as a member, so the room is not unloaded
   * while it works; `release` ends it. Rooms.withRoom pairs the two.
   */
  retain(): void {
    this.members++;
  }

  release(): void {
    this.members--;
    if (this.members === 0) this.deps.onEmpty(this);
  }

  /**
   * Runs `fn` on the loaded document inside the room's queue, so it sees every stored update
   * so far and nothing half-applied. Rejects with RoomUnavailableError when the board failed
   * to load or is closing: a board that did not load is never read as empty.
   */
  read<T>(fn: (doc: Y.Doc) => T): Promise<T> {
    return this.enqueue(() => {
      this.assertReady();
      return fn(this.doc);
    });
  }

  /**
   * An edit made by the server itself (a REST import), with the same guarantees as a peer's
   * update: `edit` runs on a scratch copy of the document inside the room's queue; the update
   * it produced is appended to the store first, then applied to the live document with origin
   * 'server', which relays it to every connected peer. If `edit` throws, or storing fails,
   * nothing is applied or relayed and the promise rejects.
   *
   * `author` names who asked for it in the version history (a comment's author); without
   * one the change is the API's.
   *
   * @example const counts = await room.applyServerEdit((doc) => applyPlanRows(doc, rows, 'import'))
   */
  applyServerEdit<T>(edit: (doc: Y.Doc) => T, author?: string): Promise<T> {
    return this.enqueue(() => this.serverEditInQueue(edit, author));
  }

  /**
   * Replaces the board's content after taking a backup version of it (a version restore), as
   * ONE queue task: the backup is captured and stored, then `edit` is applied as in
   * applyServerEdit. Holding the queue across the backup write is deliberate: as two tasks, a
   * peer's edit queued between them would be in neither the backup (taken before it) nor the
   * board (the replace overwrites it). Relays wait for one version write, only on an explicit
   * restore. If the backup cannot be stored, nothing is applied and the promise rejects.
   */
  applyServerEditAfterBackup<T>(backup: RequestedCapture, edit: (doc: Y.Doc) => T): Promise<{ backup: VersionRecord; result: T }> {
    return this.enqueue(async () => {
      this.assertReady();
      const saved = await this.captureVersion(backup);
      return { backup: saved, result: await this.serverEditInQueue(edit) };
    });
  }

  /** The body of applyServerEdit; must run inside the queue. */
  private async serverEditInQueue<T>(edit: (doc: Y.Doc) => T, author?: string): Promise<T> {
    this.assertReady();
    const scratch = new Y.Doc({ gc: false });
    let result: T;
    let update: Uint8Array;
    try {
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(this.doc));
      const before = Y.encodeStateVector(scratch);
      result = edit(scratch);
      update = Y.encodeStateAsUpdate(scratch, before);
    } finally {
      scratch.destroy();
    }
    if (isEmptyUpdate(update)) return result;
    const seq = await this.deps.store.appendUpdate(this.boardId, update);
    this.deps.metrics.inc('planvas_updates_stored_total');
    this.lastSeq = seq;
    this.rowsSinceSnapshot++;
    Y.applyUpdate(this.doc, update, author === undefined ? SERVER_ORIGIN : new AuthoredServerEdit(author));
    await this.syncStoredTitle();
    this.maybeScheduleCompaction();
    return result;
  }

  /**
   * Stores a version of the board as it is now ("Save version", or the backup before a
   * restore). The state is encoded inside the room's queue (every stored update so far, nothing
   * half-applied); the diff and the storage write run after the queue has moved on.
   * Rejects with RoomUnavailableError when the board is not loaded.
   */
  async saveVersion(opts: RequestedCapture): Promise<VersionRecord> {
    const saved = await this.enqueue(() => {
      this.assertReady();
      // Wrapped so the queue does not wait for the storage write.
      return { done: this.captureVersion(opts) };
    });
    return saved.done;
  }

  leave(peer: Peer): void {
    this.members--;
    this.run(() => {
      if (this.peers.delete(peer) && peer.awarenessIds.size > 0) {
        const ids = [...peer.awarenessIds].filter((id) => this.awarenessOwners.get(id) === peer);
        for (const id of peer.awarenessIds) if (this.awarenessOwners.get(id) === peer) this.awarenessOwners.delete(id);
        peer.awarenessIds.clear();
        if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, null);
      }
    });
    if (this.members === 0) this.deps.onEmpty(this);
  }

  /**
   * Unloads the room if nobody joined in the meantime: compacts and frees it. `onStart` runs
   * synchronously when the unload begins. Resolves true when the room is gone.
   */
  unloadIfEmpty(onStart: () => void): Promise<boolean> {
    return new Promise((resolve) => {
      this.run(async () => {
        if (this.members > 0 || this.state === 'closed' || this.state === 'failed') return resolve(false);
        onStart();
        await this.shutdown(CloseCode.goingAway);
        resolve(true);
      });
    });
  }

  /** Closes every peer with `code`, flushes the state and frees the room (SIGTERM). */
  close(code: number = CloseCode.goingAway): Promise<void> {
    return new Promise((resolve) => this.run(async () => {
      await this.shutdown(code);
      resolve();
    }));
  }

  /**
   * Deletes the board (DELETE /api/boards/:id): inside the room's queue, after every task
   * already waiting (an edit accepted before the delete is stored, then deleted with the rest),
   * runs `remove` (the storage delete); if it succeeds, closes every peer with 4404 and frees
   * the room without writing anything back. If `remove` throws, the room stays as it was.
   */
  deleteWith(remove: () => Promise<boolean>): Promise<boolean> {
    return this.enqueue(async () => {
      const removed = await remove();
      await this.shutdown(CloseCode.boardDeleted, { reason: 'board deleted', flush: false });
      return removed;
    });
  }

  private async shutdown(code: number, opts: { reason?: string; flush?: boolean } = {}): Promise<void> {
    if (this.state === 'closed') return;
    const wasReady = this.state === 'ready';
    this.state = 'closed';
    this.closeCode = code;
    for (const peer of this.peers) peer.close(code, opts.reason ?? 'server closing the board');
    this.peers.clear();
    // Never write anything for a board that did not load (it would overwrite the real state),
    // nor for one being deleted (it would store a snapshot of a board that is gone).
    if (wasReady && opts.flush !== false) await this.compact();
    this.checkpoints.stop();
    // Changes not yet in a version get one before the room goes (not for a deleted board).
    if (wasReady && opts.flush !== false && this.checkpoints.hasUnsavedChanges) await this.captureVersion({ kind: 'auto' }).catch(() => undefined);
    await this.checkpoints.flush();
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    if (wasReady) boardMaps(this.doc).meta.unobserveDeep(this.onMetaChange);
    this.awarenessOwners.clear();
    this.awareness.destroy();
    this.doc.destroy();
  }

  /**
   * Stores every edit in the inbox in one transaction, then applies and relays them in order.
   * Nothing is applied or relayed before it is stored; if storing fails, nothing of the batch
   * is applied and its senders are disconnected (their clients keep the edits and re-send
   * them after reconnecting). Under load the inbox fills while the previous batch is stored,
   * so a burst costs one commit instead of one per edit.
   */
  private async drainInbox(): Promise<void> {
    this.drainQueued = false;
    const batch = this.inbox.splice(0);
    if (this.state !== 'ready') return;
    const accepted: Array<{ peer: Peer; update: Uint8Array }> = [];
    for (const item of batch) {
      if (!this.peers.has(item.peer) || isEmptyUpdate(item.update)) continue;
      if (item.peer.role !== 'edit') {
        // View-only: dropped, never applied, stored or relayed; the connection stays open.
        this.deps.metrics.inc('planvas_view_updates_dropped_total');
        this.deps.logger.debug('view-only update dropped', { boardId: this.boardId, peer: item.peer.id, bytes: item.update.byteLength });
        continue;
      }
      accepted.push(item);
    }
    if (accepted.length === 0) return;
    let seqs: number[];
    try {
      seqs = await this.deps.store.appendUpdates(
        this.boardId,
        accepted.map((a) => a.update),
      );
    } catch (err) {
      this.deps.logger.error('append failed', { boardId: this.boardId, err, updates: accepted.length });
      for (const peer of new Set(accepted.map((a) => a.peer))) peer.close(CloseCode.internalError, 'storage error');
      return;
    }
    this.deps.metrics.inc('planvas_updates_stored_total', accepted.length);
    this.lastSeq = seqs[seqs.length - 1] ?? this.lastSeq;
    this.rowsSinceSnapshot += accepted.length;
    for (const { peer, update } of accepted) {
      try {
        Y.applyUpdate(this.doc, update, peer);
      } catch (err) {
        this.deps.logger.error('stored update failed to apply', { boardId: this.boardId, err });
        peer.close(CloseCode.invalidPayload, 'update does not apply');
      }
    }
    await this.syncStoredTitle();
    this.maybeScheduleCompaction();
  }

  private async applyClientUpdate(peer: Peer, update: Uint8Array): Promise<void> {
    // A step 2 with nothing we lack is the common case on (re)connect: nothing to do.
    if (isEmptyUpdate(update)) return;
    if (peer.role !== 'edit') {
      // View-only: dropped, never applied, stored or relayed; the connection stays open.
      this.deps.metrics.inc('planvas_view_updates_dropped_total');
      this.deps.logger.debug('view-only update dropped', { boardId: this.boardId, peer: peer.id, bytes: update.byteLength });
      return;
    }
    let seq: number;
    try {
      seq = await this.deps.store.appendUpdate(this.boardId, update);
    } catch (err) {
      // Not stored, so not applied: the client keeps the edit and re-sends it after reconnecting.
      this.deps.logger.error('append failed', { boardId: this.boardId, err });
      peer.close(CloseCode.internalError, 'storage error');
      return;
    }
    this.deps.metrics.inc('planvas_updates_stored_total');
    this.lastSeq = seq;
    this.rowsSinceSnapshot++;
    try {
      Y.applyUpdate(this.doc, update, peer);
    } catch (err) {
      this.deps.logger.error('stored update failed to apply', { boardId: this.boardId, seq, err });
      peer.close(CloseCode.invalidPayload, 'update does not apply');
    }
    await this.syncStoredTitle();
    this.maybeScheduleCompaction();
  }

  /**
   * Applies the entries of an awareness update that this peer may set: ids nobody owns yet
   * (the first connection to announce an id owns it) and ids it owns. Entries for ids another
   * connection owns, or for the server's own id, are dropped, so no peer (a viewer included)
   * can impersonate, freeze (huge clock) or remove someone else's presence. The reference
   * servers (y-websocket-server, Hocuspocus) apply every entry; the one case where a legit
   * client claims an owned id is a reconnect before its old socket was seen to close, which
   * `checkAlive` resolves within the probe timeout.
   */
  private applyAwareness(peer: Peer, update: Uint8Array, entries: readonly AwarenessEntry[]): void {
    const allowed = entries.filter((e) => {
      if (e.clientId === this.awareness.clientID) return false;
      const owner = this.awarenessOwners.get(e.clientId);
      if (owner === undefined || owner === peer) return true;
      owner.checkAlive();
      return false;
    });
    if (allowed.length < entries.length) {
      this.deps.metrics.inc('planvas_awareness_entries_dropped_total', entries.length - allowed.length);
      this.deps.logger.debug('awareness entries dropped (owned by another connection)', { boardId: this.boardId, peer: peer.id });
    }
    if (allowed.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, allowed.length === entries.length ? update : encodeAwarenessEntries(allowed), peer);
  }

  private readonly onMetaChange = (): void => {
    this.titleChanged = true;
  };

  /** Writes meta.title to the board registry when it changed, so lists and GET /api/boards/:id show renames after a restart. */
  private async syncStoredTitle(): Promise<void> {
    if (!this.titleChanged) return;
    this.titleChanged = false;
    const title = readMeta(this.doc).title.trim();
    if (title === '' || title === this.storedTitle) return;
    try {
      await this.deps.store.setBoardTitle(this.boardId, title);
      this.storedTitle = title;
    } catch (err) {
      // The document keeps the title; the next change, compaction or load retries.
      this.titleChanged = true;
      this.deps.logger.error('storing the board title failed', { boardId: this.boardId, err });
    }
  }

  /** Sync step 2 for a client with `stateVector`: what it lacks (cached for empty clients). */
  private syncStep2For(stateVector: Uint8Array): Uint8Array {
    if (Y.decodeStateVector(stateVector).size > 0) return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector));
    this.freshJoinFrame ??= encodeSyncStep2(Y.encodeStateAsUpdate(this.doc));
    return this.freshJoinFrame;
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.freshJoinFrame = null;
    this.checkpoints.noteChange(this.authorOf(origin));
    const frame = encodeSyncUpdate(update);
    for (const peer of this.peers) if (peer !== origin) peer.send(frame);
  };

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin && this.peers.has(origin as Peer)) {
      const peer = origin as Peer;
      for (const id of [...added, ...updated]) {
        peer.awarenessIds.add(id);
        this.awarenessOwners.set(id, peer);
      }
    }
    // Removed by its owner, by the owner leaving, or by the 30 s timeout: the id is free again.
    for (const id of removed) {
      this.awarenessOwners.get(id)?.awarenessIds.delete(id);
      this.awarenessOwners.delete(id);
    }
    const changed = [...added, ...updated, ...removed];
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    for (const peer of this.peers) peer.send(frame);
  };

  /** Captures a version of the live document; must run inside the queue. Logs (and rethrows) a failed save. */
  private captureVersion(opts: RequestedCapture): Promise<VersionRecord>;
  private captureVersion(opts: CaptureOptions): Promise<VersionRecord | null>;
  private captureVersion(opts: CaptureOptions): Promise<VersionRecord | null> {
    const saved = this.checkpoints.capture(Y.encodeStateAsUpdate(this.doc), opts);
    saved.catch((err: unknown) => this.deps.logger.error('saving a version failed', { boardId: this.boardId, kind: opts.kind, err }));
    return saved;
  }

  /**
   * Who made a document change, for version history: the name the connection announced in
   * its awareness state, "API" for the server's own edits (REST import, restore).
   */
  private authorOf(origin: unknown): string {
    if (origin instanceof AuthoredServerEdit) return origin.author;
    if (origin === SERVER_ORIGIN || origin === null || typeof origin !== 'object') return API_AUTHOR;
    const states = this.awareness.getStates();
    for (const id of (origin as Peer).awarenessIds) {
      const presence = readPresence(states.get(id));
      if (presence) return presence.user.name;
    }
    return 'Anonymous';
  }

  private maybeScheduleCompaction(): void {
    if (this.compactScheduled || this.rowsSinceSnapshot < this.deps.compactAfterUpdates) return;
    this.compactScheduled = true;
    // Off the message path: queued behind the messages already waiting.
    setImmediate(() => this.run(() => this.compact()));
  }

  /** Writes the live state as the snapshot and drops the log rows it covers, in one transaction. */
  private async compact(): Promise<void> {
    this.compactScheduled = false;
    if (this.doc.isDestroyed) return;
    await this.syncStoredTitle();
    if (this.rowsSinceSnapshot === 0) return;
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    const upToSeq = this.lastSeq;
    try {
      await this.deps.store.compact(this.boardId, snapshot, upToSeq);
    } catch (err) {
      // The log rows are still there: nothing is lost, the next compaction retries.
      this.deps.logger.error('compaction failed', { boardId: this.boardId, err });
      return;
    }
    this.rowsSinceSnapshot = 0;
    this.deps.metrics.inc('planvas_compactions_total');
    this.deps.logger.debug('compacted', { boardId: this.boardId, upToSeq, bytes: snapshot.byteLength });
  }

  private fail(err: unknown): void {
    this.state = 'failed';
    this.deps.metrics.inc('planvas_board_load_failures_total');
    this.deps.logger.error('board failed to load', { boardId: this.boardId, err });
    this.awareness.destroy();
    this.doc.destroy();
    this.deps.onFailed(this);
  }

  private assertReady(): void {
    if (this.state !== 'ready') throw new RoomUnavailableError(this.boardId, this.state);
  }

  /** Runs `task` in the queue and hands its result (or error) to the caller. */
  private enqueue<T>(task: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.run(async () => {
        try {
          resolve(await task());
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  private run(task: () => void | Promise<void>): void {
    this.queue = this.queue.then(task).catch((err: unknown) => {
      // A bug, not bad input (input is validated before it gets here): log it loudly, keep serving.
      this.deps.logger.error('room task failed', { boardId: this.boardId, err });
    });
  }
}
