import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { BoardRole } from '../../shared/protocol/api.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { BoardStore } from '../storage/types.ts';
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate, isEmptyUpdate, type ClientMessage } from './frames.ts';

/** One connected client, as a room sees it (connection.ts implements it over a `ws` socket). */
export interface Peer {
  readonly id: number;
  readonly role: BoardRole;
  /** Awareness client ids this peer announced; removed for everyone when it leaves. */
  readonly awarenessIds: Set<number>;
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface RoomDeps {
  store: BoardStore;
  logger: Logger;
  metrics: Metrics;
  compactAfterUpdates: number;
  /** Called once when loading failed; the registry forgets the room so a later join retries. */
  onFailed(room: Room): void;
  /** Called whenever the last member left. */
  onEmpty(room: Room): void;
}

type RoomState = 'loading' | 'ready' | 'failed' | 'closed';

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

  constructor(
    readonly boardId: string,
    private readonly deps: RoomDeps,
  ) {
    // The server is not a user: it publishes no awareness state of its own.
    this.awareness.setLocalState(null);
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
        const stored = await this.deps.store.loadBoardState(this.boardId);
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
      this.deps.logger.debug('room loaded', { boardId: this.boardId, lastSeq: this.lastSeq, logRows: this.rowsSinceSnapshot });
      this.maybeScheduleCompaction();
    });
  }

  join(peer: Peer): void {
    this.members++;
    this.run(() => {
      if (this.state !== 'ready') {
        peer.close(this.state === 'closed' ? CloseCode.goingAway : CloseCode.internalError, 'board unavailable');
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
    this.run(async () => {
      if (!this.peers.has(peer) || this.state !== 'ready') return;
      switch (msg.kind) {
        case 'sync-step1':
          peer.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, msg.stateVector)));
          return;
        case 'sync-step2':
          // Sent once per connection; on a reconnect it usually holds nothing new but the whole
          // delete set, which would otherwise be stored again on every reconnect.
          if (Y.snapshotContainsUpdate(Y.snapshot(this.doc), msg.update)) return;
          await this.applyClientUpdate(peer, msg.update);
          return;
        case 'update':
          await this.applyClientUpdate(peer, msg.update);
          return;
        case 'awareness':
          awarenessProtocol.applyAwarenessUpdate(this.awareness, msg.update, peer);
          return;
        case 'query-awareness': {
          const ids = [...this.awareness.getStates().keys()];
          peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)));
          return;
        }
      }
    });
  }

  leave(peer: Peer): void {
    this.members--;
    this.run(() => {
      if (this.peers.delete(peer) && peer.awarenessIds.size > 0) {
        awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null);
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

  private async shutdown(code: number): Promise<void> {
    if (this.state === 'closed') return;
    const wasReady = this.state === 'ready';
    this.state = 'closed';
    for (const peer of this.peers) peer.close(code, 'server closing the board');
    this.peers.clear();
    // Never write anything for a board that did not load: it would overwrite the real state.
    if (wasReady) await this.compact();
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
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
    this.maybeScheduleCompaction();
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    const frame = encodeSyncUpdate(update);
    for (const peer of this.peers) if (peer !== origin) peer.send(frame);
  };

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin && this.peers.has(origin as Peer)) {
      const peer = origin as Peer;
      for (const id of added) peer.awarenessIds.add(id);
      for (const id of updated) peer.awarenessIds.add(id);
      for (const id of removed) peer.awarenessIds.delete(id);
    }
    const changed = [...added, ...updated, ...removed];
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    for (const peer of this.peers) peer.send(frame);
  };

  private maybeScheduleCompaction(): void {
    if (this.compactScheduled || this.rowsSinceSnapshot < this.deps.compactAfterUpdates) return;
    this.compactScheduled = true;
    // Off the message path: queued behind the messages already waiting.
    setImmediate(() => this.run(() => this.compact()));
  }

  /** Writes the live state as the snapshot and drops the log rows it covers, in one transaction. */
  private async compact(): Promise<void> {
    this.compactScheduled = false;
    if (this.rowsSinceSnapshot === 0 || this.doc.isDestroyed) return;
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

  private run(task: () => void | Promise<void>): void {
    this.queue = this.queue.then(task).catch((err: unknown) => {
      // A bug, not bad input (input is validated before it gets here): log it loudly, keep serving.
      this.deps.logger.error('room task failed', { boardId: this.boardId, err });
    });
  }
}
