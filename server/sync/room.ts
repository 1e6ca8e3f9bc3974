import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { boardMaps } from '../../shared/doc/structure.ts';
import { readMeta } from '../../shared/doc/read.ts';
import type { BoardRole } from '../../shared/protocol/api.ts';
import { AcceptedClocks, missingDependency } from './dependencies.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { StorageCorruptError, UnknownBoardError, type BoardStore, type CorruptRow, type StoredBoardState, type VersionRecord } from '../storage/types.ts';
import { localFanout, type BoardListener, type ControlMessage, type Fanout, type SeqUpdate } from '../cluster/fanout.ts';
import { SERVER_STATUS_KEY, type ServerStatus } from '../../shared/protocol/serverStatus.ts';
import { AwarenessRelay } from './awarenessRelay.ts';
import { compactionPacer } from './compactionPacer.ts';
import { endOfTurn } from './endOfTurn.ts';
import { relayBatch, type AppliedUpdate } from './batchRelay.ts';
import { SeqTracker } from './seqTracker.ts';
import { applyStored, newestIntactVersion, readBoard } from './storedState.ts';
import { API_AUTHOR, Checkpoints, DEFAULT_CHECKPOINT_INTERVAL_MS, type CaptureOptions, type RequestedCapture } from '../history/checkpoints.ts';
import type { Summariser } from '../history/summariser.ts';
import { readPresence } from '../../shared/protocol/presence.ts';
import {
  FrameError,
  decodeAwarenessUpdate,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  isEmptyUpdate,
  type AwarenessEntry,
  type ClientMessage,
  type DecodedUpdate,
} from './frames.ts';

/** One connected client, as a room sees it (connection.ts implements it over a `ws` socket). */
export interface Peer {
  readonly id: number;
  readonly role: BoardRole;
  /** The generation of the link (token) it connected with; absent means 0 (links from before link reset). */
  readonly linkGeneration?: number;
  /** Awareness client ids this peer announced; removed for everyone when it leaves. */
  readonly awarenessIds: Set<number>;
  send(frame: Uint8Array): void;
  /**
   * Sends a large frame at once (not corked to the end of the turn) and resolves when it has
   * been handed to the operating system or the socket closed. The room uses it to get the
   * stored board out before a long synchronous apply blocks the event loop.
   */
  sendNow?(frame: Uint8Array): Promise<void>;
  /** Writes the frames sent so far this turn now instead of at the end of the turn (connection.ts corks per turn). */
  flush?(): void;
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
  /** Other instances (server/cluster); default: none. */
  fanout?: Fanout;
  /** Limits and timings (server/config.ts); defaults: DEFAULT_ROOM_LIMITS. */
  limits?: Partial<RoomLimits>;
  /** Version saves of this board's previous room still in flight (Rooms: unloaded just before); this room's follow them. */
  versionsBefore?: Promise<unknown>;
  /** Called once when loading failed; the registry forgets the room so a later join retries. */
  onFailed(room: Room): void;
  /** Called whenever the last member left. */
  onEmpty(room: Room): void;
  /** Called when the board was deleted through another instance (the room closed its peers with 4404). */
  onGone?(room: Room): void;
}

export interface RoomLimits {
  /** An edit that would grow the stored board beyond this many bytes is refused (4413). */
  maxDocBytes: number;
  /** Presence changes are relayed at most once per this many ms (0: once per event-loop turn). */
  awarenessFlushMs: number;
  /** While storage fails, edits are held in memory up to this many bytes per board... */
  maxHeldBytes: number;
  /** ...and this long; past either bound the writers are closed with 1013 (their clients keep the edits). */
  storageHoldMs: number;
  /** On a shared store, how often the room checks the log for rows it did not get through the fan-out. */
  logPollMs: number;
}

export const DEFAULT_ROOM_LIMITS: RoomLimits = {
  maxDocBytes: 64 * 1024 * 1024,
  awarenessFlushMs: 30,
  maxHeldBytes: 16 * 1024 * 1024,
  storageHoldMs: 30_000,
  logPollMs: 2_000,
};

type RoomState = 'loading' | 'ready' | 'failed' | 'closed';

/** The origin of the server's own edits (Room.applyServerEdit); relayed to every peer. */
export const SERVER_ORIGIN = 'server';

/** The origin of rows that came from another instance (fan-out) or from the log (catch-up). */
const REMOTE_ORIGIN = 'remote';
/** The origin of presence removed because its connection left (published to other instances). */
const LEAVE_ORIGIN = 'leave';
/** The transaction a stored batch of peers' edits is applied in (applyAndRelay); never seen by the 'update' listener. */
const BATCH_ORIGIN = 'batch';
/** The origin of presence that came from another instance (relayed here, never published back). */
const REMOTE_AWARENESS_ORIGIN = 'remote-awareness';

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
  /** Which log rows are in the document (set on load); compaction covers up to `synced`. */
  private seqs = new SeqTracker(0, false);
  /** Rows this instance appended since the last compaction (each instance compacts what it wrote). */
  private rowsSinceSnapshot = 0;
  /** Estimate of the stored board's size: snapshot plus log rows (maxDocBytes). */
  private docBytes = 0;
  private readonly fanout: Fanout;
  private readonly limits: RoomLimits;
  private unsubscribe: (() => void) | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private polling = false;
  private catchUpTimer: NodeJS.Timeout | null = null;
  /** Edits accepted but not yet stored (storage failing), in arrival order; never applied or relayed before stored. */
  private held: Array<{ peer: Peer; update: Uint8Array }> = [];
  private heldBytes = 0;
  /** When storing started to fail (ms since epoch); null while storage works. */
  private storageDownSince: number | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelayMs = RETRY_MIN_MS;
  private readonly relay: AwarenessRelay;
  /** Links reset while the room is open: a peer that joins with an older generation (its upgrade raced the reset) is closed too. */
  private readonly revokedBelow: Record<BoardRole, number> = { edit: 0, view: 0 };
  /** Bytes of the snapshot as last written or loaded: what compaction can squeeze the estimate down to. */
  private snapshotBytes = 0;
  private compactScheduled = false;
  /** Which connection announced each awareness client id; only that connection may change or remove it. */
  private readonly awarenessOwners = new Map<number, Peer>();
  /**
   * The document encoded as one update (`state`) and as the answer to a fresh client's sync
   * step 1 (`frame`: an empty state vector, it has nothing; `state` is a view into it), kept
   * until the document changes. Twenty people opening a 10k-task board at once cost one
   * encoding, not twenty, and other boards' messages are not held up behind them; a compaction
   * writes the same bytes when they are there. After a load from a snapshot alone it is that
   * snapshot, so the first join of a board loaded from storage sends the stored bytes instead of
   * encoding them again.
   */
  private encoded: { frame: Uint8Array; state: Uint8Array } | null = null;
  /** Peers that joined while the board was loading: the ones answerBeforeApply can serve from the stored snapshot. */
  private readonly joinedWhileLoading = new Set<Peer>();
  /**
   * Peers sent the stored snapshot before the load applied it (answerBeforeApply), and the
   * document's state vector right after that apply: their sync step 1 is answered with what
   * the board has beyond both, since the snapshot reaches them before that answer.
   */
  private readonly sentSnapshot = new WeakSet<Peer>();
  private snapshotVector: Map<number, number> | null = null;
  /** The stored vector those peers were sent as our step 1 matched the document once applied (see answerBeforeApply). */
  private earlyStep1Exact = false;
  /** Edits received and not yet stored, in arrival order (see drainInbox). */
  private inbox: Array<{ peer: Peer; update: Uint8Array; decoded: DecodedUpdate | undefined; step2: boolean }> = [];
  private drainQueued = false;
  /** Bytes of the edits in `inbox` (bounded with the held ones while storage is down). */
  private inboxBytes = 0;
  /** When the append in flight started (ms since epoch); null when none is. */
  private appendStartedAt: number | null = null;
  /** The board's clocks once the held edits are applied (missingDependency checks against them). */
  private readonly acceptedClocks = new AcceptedClocks(this.doc);
  /** When each peer was last asked to resync (askToResync); weak so a gone peer is forgotten. */
  private readonly lastResyncAsk = new WeakMap<Peer, number>();
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
    // The server is not a user: it publishes no awareness state of its own (only ServerStatus while storage fails).
    this.awareness.setLocalState(null);
    this.fanout = deps.fanout ?? localFanout('local');
    this.limits = { ...DEFAULT_ROOM_LIMITS, ...deps.limits };
    this.relay = new AwarenessRelay(
      this.awareness,
      this.limits.awarenessFlushMs,
      (frame) => {
        for (const peer of this.peers) peer.send(frame);
      },
      (update) => this.fanout.publishAwareness(this.boardId, update),
    );
    this.checkpoints = new Checkpoints({
      boardId,
      store: deps.store,
      logger: deps.logger,
      intervalMs: deps.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
      summariser: deps.summariser,
      after: deps.versionsBefore,
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
    // Subscribed before reading: what arrives is queued behind the load and skipped if the
    // load already had it. A row published before Redis confirmed the subscription is caught
    // by the gap check on the next row or by the log poll (logPollMs).
    if (this.fanout.enabled) this.unsubscribe = this.fanout.subscribe(this.boardId, this.listener);
    this.run(async () => {
      let corrupt: CorruptRow[] = [];
      try {
        const record = await this.deps.store.getBoard(this.boardId);
        this.storedTitle = record?.title ?? null;
        // Never lowered: a reset that happened while this read was in flight has already raised it (revokeLinks).
        if (record?.linkGenerations) for (const role of ['edit', 'view'] as const) this.revokedBelow[role] = Math.max(this.revokedBelow[role], record.linkGenerations[role]);
        const { state, recoveryBase } = await readBoard(this.deps.store, this.boardId);
        // The stored snapshot alone is the document's state, already encoded.
        const stored = state.snapshot && state.updates.length === 0 && state.corrupt.length === 0 && recoveryBase === null ? encodedAs(state.snapshot) : null;
        const answeredEarly = stored && state.snapshotVector ? await this.answerBeforeApply(state.snapshotVector, stored.frame) : false;
        const result = applyStored(this.doc, state, 'load', recoveryBase?.state ?? null);
        if (answeredEarly) {
          this.snapshotVector = Y.decodeStateVector(Y.encodeStateVector(this.doc));
          // Those peers were told the stored vector; if the document disagrees (it should not), their join asks again.
          this.earlyStep1Exact = sameVector(this.snapshotVector, Y.decodeStateVector(state.snapshotVector!));
        }
        corrupt = [...state.corrupt, ...result.unreadable];
        // Every board is created with a first update, so nothing to apply means lost rows:
        // serving it would hand out an empty board and compact that over the truth.
        if (result.applied === 0) throw new StorageCorruptError(this.boardId, corrupt.length > 0 ? 'every stored row is damaged and no version is intact' : 'neither a snapshot nor any log row');
        if (corrupt.length > 0) this.reportCorrupt(corrupt, 'load', recoveryBase?.versionId ?? null);
        this.seqs = new SeqTracker(state.lastSeq, this.deps.store.sharedLog);
        if (stored && corrupt.length === 0 && result.applied === 1) this.encoded = stored;
        this.docBytes = result.bytes;
        this.snapshotBytes = state.snapshot?.byteLength ?? 0;
        this.rowsSinceSnapshot = state.updates.length;
      } catch (err) {
        this.fail(err);
        return;
      }
      this.joinedWhileLoading.clear();
      this.state = 'ready';
      this.doc.on('update', this.onDocUpdate);
      this.awareness.on('update', this.onAwarenessUpdate);
      boardMaps(this.doc).meta.observeDeep(this.onMetaChange);
      this.deps.logger.debug('room loaded', { boardId: this.boardId, lastSeq: this.seqs.synced, logRows: this.rowsSinceSnapshot });
      if (this.deps.store.sharedLog) this.startPolling();
      if (this.fanout.enabled) this.fanout.publishAwarenessQuery(this.boardId);
      // A rename whose registry write was lost (killed before it) is caught up on the next load.
      this.titleChanged = true;
      await this.syncStoredTitle();
      // Damaged rows: compact now, so the recovered board is stored whole (the damaged bytes stay in quarantine).
      if (corrupt.length > 0) this.rowsSinceSnapshot = Math.max(this.rowsSinceSnapshot, this.deps.compactAfterUpdates);
      // A long log is compacted once the first joins (queued during the load) have had their
      // answer: they wait for the load, not for a snapshot write on top of it.
      this.maybeScheduleCompaction(corrupt.length > 0 ? 0 : COMPACT_AFTER_LOAD_DELAY_MS);
    });
  }

  join(peer: Peer): void {
    this.members++;
    if (this.state === 'loading') this.joinedWhileLoading.add(peer);
    this.run(() => {
      if (this.state !== 'ready') {
        peer.close(this.state === 'closed' ? this.closeCode : CloseCode.internalError, this.closeCode === CloseCode.boardDeleted ? 'board deleted' : 'board unavailable');
        return;
      }
      if ((peer.linkGeneration ?? 0) < this.revokedBelow[peer.role]) {
        peer.close(CloseCode.linkRevoked, 'this link was reset');
        return;
      }
      this.peers.add(peer);
      // Step 1 from the server makes the client send what we lack (its offline edits); a peer
      // answered before the load applied the board has had it already (answerBeforeApply).
      if (!(this.earlyStep1Exact && this.sentSnapshot.has(peer))) peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
      const states = this.awareness.getStates();
      if (states.size > 0) peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
    });
  }

  receive(peer: Peer, msg: ClientMessage): void {
    if (msg.kind === 'update' || msg.kind === 'sync-step2') {
      // While storage hangs (before it is even known to be slow), the queue waits on the append
      // and the inbox is the only buffer: it counts against the hold bound here, outside the
      // queue, or it would grow unchecked. In normal running the inbox empties every tick, and
      // one edit alone is always taken (a client re-sending after an outage must get through).
      if (this.storageIsStalled() && this.inboxBytes + this.heldBytes > 0 && this.inboxBytes + this.heldBytes + msg.update.byteLength > this.limits.maxHeldBytes) {
        this.deps.metrics.inc('planvas_edits_refused_total', 1, { reason: 'storage' });
        peer.close(CloseCode.tryAgainLater, 'storage unavailable; your edits are kept, reconnect later');
        return;
      }
      // Edits wait in an inbox; one queued task takes every edit that arrived meanwhile and
      // stores them in one transaction before applying and relaying them (group commit).
      // A step 2 goes the same way, so it keeps its place among the peer's edits.
      this.inbox.push({ peer, update: msg.update, decoded: msg.decoded, step2: msg.kind === 'sync-step2' });
      this.inboxBytes += msg.update.byteLength;
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
          peer.send(this.syncStep2For(peer, msg.stateVector));
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
    let seq: number;
    try {
      seq = await this.deps.store.appendUpdate(this.boardId, update);
    } catch (err) {
      if (err instanceof UnknownBoardError) throw err;
      this.storageFailed(err);
      throw new RoomUnavailableError(this.boardId, 'storage unavailable');
    }
    this.deps.metrics.inc('planvas_updates_stored_total');
    this.noteStored([seq], [update]);
    Y.applyUpdate(this.doc, update, author === undefined ? SERVER_ORIGIN : new AuthoredServerEdit(author));
    this.fanout.publishUpdates(this.boardId, [{ seq, update }]);
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
    this.joinedWhileLoading.delete(peer);
    this.run(() => {
      if (this.peers.delete(peer) && peer.awarenessIds.size > 0) {
        const ids = [...peer.awarenessIds].filter((id) => this.awarenessOwners.get(id) === peer);
        for (const id of peer.awarenessIds) if (this.awarenessOwners.get(id) === peer) this.awarenessOwners.delete(id);
        peer.awarenessIds.clear();
        if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, LEAVE_ORIGIN);
      }
    });
    if (this.members === 0) this.deps.onEmpty(this);
  }

  /**
   * Unloads the room if nobody joined in the meantime: compacts and frees it. `onStart` runs
   * synchronously when the unload begins; `onStored` once the document is stored (compacted),
   * before the last version is saved: a reload of the board needs only the former. Resolves
   * true when the room is gone, its version saved.
   */
  unloadIfEmpty(onStart: () => void, onStored: () => void = () => undefined): Promise<boolean> {
    return new Promise((resolve) => {
      this.run(async () => {
        if (this.members > 0 || this.state === 'closed' || this.state === 'failed') return resolve(false);
        onStart();
        try {
          await this.shutdown(CloseCode.goingAway, { onStored });
        } finally {
          // Even after a failed flush: waiting joins and the next room's versions must not hang on it.
          resolve(true);
        }
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

  private async shutdown(code: number, opts: { reason?: string; flush?: boolean; onStored?: () => void } = {}): Promise<void> {
    if (this.state === 'closed') return;
    const wasReady = this.state === 'ready';
    this.state = 'closed';
    this.closeCode = code;
    for (const peer of this.peers) peer.close(code, opts.reason ?? 'server closing the board');
    this.peers.clear();
    // Other instances would show this instance's clients for 30 s more (until the awareness
    // timeout): tell them they left now; the clients re-announce wherever they reconnect.
    if (wasReady && this.fanout.enabled && this.awarenessOwners.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...this.awarenessOwners.keys()], LEAVE_ORIGIN);
      this.relay.flush();
    }
    this.stopFollowing();
    this.relay.stop();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.held.length > 0) {
      // Not stored, so never applied or relayed: the clients that made them still have them and re-send them.
      this.deps.logger.warn('board closed with edits not yet stored', { boardId: this.boardId, held: this.held.length });
      this.clearHeld();
    }
    // Never write anything for a board that did not load (it would overwrite the real state),
    // nor for one being deleted (it would store a snapshot of a board that is gone).
    if (wasReady && opts.flush !== false) {
      // Encoded once when both the compaction and the last version need it (nothing changes it now).
      if (this.rowsSinceSnapshot > 0 && this.checkpoints.hasUnsavedChanges) this.encodedDoc();
      await this.compact();
    }
    opts.onStored?.();
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
   * Nothing is applied or relayed before it is stored. Under load the inbox fills while the
   * previous batch is stored, so a burst costs one commit instead of one per edit.
   *
   * If storing fails (the database is unreachable) the edits are held, in order, and retried
   * with backoff; the board's clients are told through the server's awareness state
   * (shared/protocol/serverStatus.ts) and stay connected. Past maxHeldBytes or storageHoldMs
   * the writers are closed with 1013: their clients keep the edits and re-send them after
   * reconnecting, so nothing is lost and the server's memory stays bounded.
   */
  private async drainInbox(): Promise<void> {
    // Wait for the end of this turn's I/O: edits that several sockets delivered in the same
    // turn become one batch (one commit, one merged relay frame) instead of one each. With an
    // embedded store everything else here is synchronous, so without this wait a batch would
    // only ever hold the edits of one socket read. The queue waits too, so the order of
    // everything queued after this drain is unchanged. Every room with edits wakes at the same
    // moment, so the embedded store commits all their appends together (endOfTurn.ts).
    await endOfTurn();
    this.drainQueued = false;
    const batch = this.inbox.splice(0);
    this.inboxBytes = 0;
    if (this.state !== 'ready') return;
    let snapshot: Y.Snapshot | null = null;
    for (const item of batch) {
      if (!this.peers.has(item.peer) || isEmptyUpdate(item.decoded ?? item.update)) continue;
      if (item.peer.role !== 'edit') {
        // View-only: dropped, never applied, stored or relayed; the connection stays open.
        this.deps.metrics.inc('planvas_view_updates_dropped_total');
        this.deps.logger.debug('view-only update dropped', { boardId: this.boardId, peer: item.peer.id, bytes: item.update.byteLength });
        continue;
      }
      if (item.step2) {
        // Sent once per connection; on a reconnect it usually holds nothing new but the whole
        // delete set, which would otherwise be stored again on every reconnect.
        snapshot ??= Y.snapshot(this.doc);
        if (Y.snapshotContainsUpdate(snapshot, item.update)) continue;
      }
      const missing = missingDependency(item.decoded ?? item.update, this.acceptedClocks.stateOf);
      if (missing !== null) {
        // Not stored: Yjs would keep it "pending" and merge every later edit and join with it
        // (test/fuzz). The sender is asked for what the board lacks instead (our sync step 1;
        // its step 2 brings this edit with what it builds on), without being disconnected.
        this.deps.metrics.inc('planvas_edits_refused_total', 1, { reason: 'missing_dependency' });
        this.deps.logger.info('edit not stored: it builds on data the board does not have; asking the sender to resync', { boardId: this.boardId, peer: item.peer.id, missing });
        this.askToResync(item.peer);
        continue;
      }
      if (this.docBytes + this.heldBytes + item.update.byteLength > this.limits.maxDocBytes && !(await this.squeezeForLimit(item.update.byteLength))) {
        this.refuseTooLarge(item.peer, item.update.byteLength);
        continue;
      }
      this.held.push({ peer: item.peer, update: item.update });
      this.acceptedClocks.add(item.decoded ?? item.update);
      this.heldBytes += item.update.byteLength;
      this.deps.metrics.add('planvas_held_edits', 1);
    }
    if (this.storageDownSince !== null) {
      // The retry loop stores them once the database answers; meanwhile only the bounds are checked.
      this.enforceHoldBounds();
      this.announceStorageStatus();
      return;
    }
    await this.storeHeld();
  }

  /** Appends every held edit in one transaction, then applies, relays and publishes them. Runs in the queue. */
  private async storeHeld(): Promise<void> {
    const items = this.held;
    if (items.length === 0) return;
    let seqs: number[];
    this.appendStartedAt = Date.now();
    // A database that hangs (no answer, no error) would only be noticed at the query timeout:
    // tell the clients as soon as an append is slow, and count the hold from then.
    const slow = setTimeout(() => {
      if (this.storageDownSince !== null) return;
      this.storageDownSince = Date.now();
      this.deps.logger.warn('storage slow: an append has not answered, holding edits', { boardId: this.boardId, held: this.held.length, afterMs: SLOW_STORAGE_MS });
      this.announceStorageStatus();
    }, SLOW_STORAGE_MS);
    try {
      seqs = await this.deps.store.appendUpdates(
        this.boardId,
        items.map((a) => a.update),
      );
    } catch (err) {
      if (err instanceof UnknownBoardError) return this.goneElsewhere();
      this.storageFailed(err);
      return;
    } finally {
      clearTimeout(slow);
      this.appendStartedAt = null;
    }
    // Only queue tasks add to `held`, and this one held the queue: these are exactly the items stored.
    this.clearHeld();
    this.storageRecovered();
    this.deps.metrics.inc('planvas_updates_stored_total', items.length);
    this.noteStored(
      seqs,
      items.map((a) => a.update),
    );
    this.applyAndRelay(items);
    this.fanout.publishUpdates(
      this.boardId,
      items.map((a, i): SeqUpdate => ({ seq: seqs[i]!, update: a.update })),
    );
    await this.syncStoredTitle();
    this.maybeScheduleCompaction();
  }

  /**
   * Applies a stored batch of peers' edits and relays each one as it was received.
   *
   * One Yjs transaction for the whole batch, with the doc's 'update' listener detached meanwhile:
   * Yjs ends every transaction by computing the document's state vector and, when anyone
   * listens for 'update', re-encoding what it integrated (at 8,000 edits/s over 50 boards the
   * transactions' clean-up was a tenth of the server's CPU). Relaying the received bytes instead
   * of that re-encoding is exact here: an edit reaches this point only when it applies whole
   * (missingDependency refused any that Yjs would keep pending), so receivers get the same
   * content, at worst with parts they already have, which Yjs skips. The version history still
   * learns each edit's author from its sender.
   */
  private applyAndRelay(items: readonly { peer: Peer; update: Uint8Array }[]): void {
    const applied: AppliedUpdate[] = [];
    this.doc.off('update', this.onDocUpdate);
    try {
      this.doc.transact(() => {
        for (const { peer, update } of items) {
          try {
            Y.applyUpdate(this.doc, update, peer);
            applied.push({ update, origin: peer });
          } catch (err) {
            this.deps.logger.error('stored update failed to apply', { boardId: this.boardId, err });
            peer.close(CloseCode.invalidPayload, 'update does not apply');
          }
        }
      }, BATCH_ORIGIN);
    } finally {
      this.doc.on('update', this.onDocUpdate);
      this.encoded = null;
      for (const { origin } of applied) this.checkpoints.noteChange(this.authorOf(origin));
      // A peer that sent none of the batch gets it as one merged frame (batchRelay.ts).
      relayBatch(applied, this.peers);
      // This runs after the drain's wait for the turn's end: without a flush the frames would
      // leave only after the next turn's I/O.
      if (applied.length > 0) for (const peer of this.peers) peer.flush?.();
    }
  }

  /** Forgets the held edits (stored, refused, or the room closing); planvas_held_edits is shared by every room. */
  private clearHeld(): void {
    this.deps.metrics.add('planvas_held_edits', -this.held.length);
    this.held = [];
    this.acceptedClocks.clear();
    this.heldBytes = 0;
  }

  /** Storage is down, or the append in flight has been waiting long enough that edits pile up behind it. */
  private storageIsStalled(): boolean {
    return this.storageDownSince !== null || (this.appendStartedAt !== null && Date.now() - this.appendStartedAt > STALLED_APPEND_MS);
  }

  /** Book-keeping for rows this instance appended. */
  private noteStored(seqs: readonly number[], updates: readonly Uint8Array[]): void {
    for (const seq of seqs) this.seqs.applied(seq);
    for (const update of updates) this.docBytes += update.byteLength;
    this.rowsSinceSnapshot += seqs.length;
    // Our own rows can overtake another instance's row (gap-free seqs): read the log if so.
    if (this.seqs.hasGap) this.catchUpSoon(CATCH_UP_GRACE_MS);
  }

  /**
   * The size estimate counts every log row (edits that were later undone or overwritten too);
   * before refusing an edit, compact once (if the log holds more than a tenth beyond the last
   * snapshot) so the limit applies to the board's real size, as it will after any unload.
   * Resolves true when the edit now fits. Runs in the queue.
   */
  private async squeezeForLimit(bytes: number): Promise<boolean> {
    if (this.storageDownSince !== null || this.docBytes <= this.snapshotBytes * 1.1) return false;
    await this.compact({ force: true });
    return this.docBytes + this.heldBytes + bytes <= this.limits.maxDocBytes;
  }

  /**
   * Sends the peer our sync step 1 so that it answers with everything the board lacks. At most
   * once per peer per RESYNC_MIN_INTERVAL_MS: a client flooding unintegrable edits gets one
   * state vector per interval, not one per frame (its later step 2 covers every edit anyway).
   */
  private askToResync(peer: Peer): void {
    const now = Date.now();
    if (now - (this.lastResyncAsk.get(peer) ?? 0) < RESYNC_MIN_INTERVAL_MS) return;
    this.lastResyncAsk.set(peer, now);
    peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
  }

  private refuseTooLarge(peer: Peer, bytes: number): void {
    this.deps.metrics.inc('planvas_edits_refused_total', 1, { reason: 'too_large' });
    this.deps.logger.warn('edit refused: board size limit', { boardId: this.boardId, peer: peer.id, bytes, docBytes: this.docBytes, maxDocBytes: this.limits.maxDocBytes });
    peer.close(CloseCode.boardTooLarge, 'board size limit reached');
  }

  private storageFailed(err: unknown): void {
    const first = this.storageDownSince === null;
    this.storageDownSince ??= Date.now();
    // planvas_errors_total{kind="storage"} is counted by the instrumented store, once per failed call.
    if (first) this.deps.logger.error('storage unavailable: holding edits', { boardId: this.boardId, err, held: this.held.length });
    this.enforceHoldBounds();
    this.announceStorageStatus();
    this.scheduleStorageRetry();
  }

  private storageRecovered(): void {
    if (this.storageDownSince === null) return;
    this.deps.logger.info('storage available again', { boardId: this.boardId, downMs: Date.now() - this.storageDownSince });
    this.storageDownSince = null;
    this.retryDelayMs = RETRY_MIN_MS;
    this.announceStorageStatus();
  }

  /** Past a bound, the writers of held edits are closed with 1013 (they keep their edits) and the memory is freed. */
  private enforceHoldBounds(): void {
    if (this.storageDownSince === null || this.held.length === 0) return;
    const tooLong = Date.now() - this.storageDownSince >= this.limits.storageHoldMs;
    if (!tooLong && this.heldBytes <= this.limits.maxHeldBytes) return;
    const writers = new Set(this.held.map((h) => h.peer));
    this.deps.metrics.inc('planvas_edits_refused_total', this.held.length, { reason: 'storage' });
    this.deps.logger.warn('storage still unavailable: closing writers, their clients keep the edits', {
      boardId: this.boardId,
      held: this.held.length,
      heldBytes: this.heldBytes,
      writers: writers.size,
    });
    this.clearHeld();
    for (const peer of writers) peer.close(CloseCode.tryAgainLater, 'storage unavailable; your edits are kept, reconnect later');
  }

  /** The server's awareness state: ServerStatus while storage fails, null otherwise (shared/protocol/serverStatus.ts). */
  private announceStorageStatus(): void {
    if (this.state !== 'ready') return;
    if (this.storageDownSince === null) {
      if (this.awareness.getLocalState() !== null) this.awareness.setLocalState(null);
      return;
    }
    const status: ServerStatus = { storage: 'unavailable', since: new Date(this.storageDownSince).toISOString(), heldEdits: this.held.length };
    const current = this.awareness.getLocalState()?.[SERVER_STATUS_KEY] as ServerStatus | undefined;
    if (current?.heldEdits === status.heldEdits && current.since === status.since) return;
    this.awareness.setLocalState({ [SERVER_STATUS_KEY]: status });
  }

  /** Checks the database with a ping outside the queue (a hung database must not stall presence), then stores what is held. */
  private scheduleStorageRetry(): void {
    if (this.retryTimer || this.state !== 'ready') return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(RETRY_MAX_MS, this.retryDelayMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.deps.store.ping().then(
        () =>
          this.run(async () => {
            if (this.state !== 'ready') return;
            if (this.held.length === 0) return this.storageRecovered();
            await this.storeHeld();
          }),
        () =>
          this.run(() => {
            this.enforceHoldBounds();
            this.announceStorageStatus();
            this.scheduleStorageRetry();
          }),
      );
    }, delay);
    this.retryTimer.unref();
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
    let claimed = 0;
    const allowed = entries.filter((e) => {
      if (e.clientId === this.awareness.clientID || claimsServerStatus(e.state)) return false;
      // Removing an id nobody announced removes nothing, but y-protocols would keep its clock forever.
      if (e.state === null && !this.awareness.states.has(e.clientId)) return false;
      const owner = this.awarenessOwners.get(e.clientId);
      if (owner === peer) return true;
      if (owner === undefined) {
        // A client announces one id (a few across reloads); a flood of new ids would make the
        // room keep (and relay, and publish) a state per id for 30 s: hundreds of MB per second.
        if (peer.awarenessIds.size + claimed >= MAX_AWARENESS_IDS_PER_PEER || this.awareness.states.size + claimed >= MAX_AWARENESS_STATES_PER_ROOM) return false;
        claimed++;
        return true;
      }
      owner.checkAlive();
      return false;
    });
    if (allowed.length < entries.length) {
      this.deps.metrics.inc('planvas_awareness_entries_dropped_total', entries.length - allowed.length);
      this.deps.logger.debug('awareness entries dropped (owned by another connection, or over the per-connection or per-board cap)', { boardId: this.boardId, peer: peer.id });
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
  private syncStep2For(peer: Peer, stateVector: Uint8Array): Uint8Array {
    const vector = Y.decodeStateVector(stateVector);
    if (this.snapshotVector && this.sentSnapshot.has(peer)) {
      this.sentSnapshot.delete(peer);
      for (const [client, clock] of this.snapshotVector) vector.set(client, Math.max(clock, vector.get(client) ?? 0));
      return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(vector)));
    }
    if (vector.size > 0) return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector));
    return this.encodedDoc().frame;
  }

  /**
   * A board stored as one snapshot (every unload compacts it) is sent, as the stored bytes, to
   * the peers that joined during the load before the load applies it: applying 5 MB to a Y.Doc
   * blocks this thread for half a second, and those peers need nothing from it. Each gets our
   * sync step 1 first, with the state vector stored with the snapshot (`vector`), so it sends
   * its offline edits before it sees our step 2 (a y-websocket client counts itself synced, and
   * its edits delivered, on our step 2), then the snapshot as an unasked step 2, which the
   * protocol allows: applying it is idempotent. Waits until the frames are written (at most
   * EARLY_ANSWER_WRITE_MAX_MS, so a slow reader does not hold the board), or they would sit in
   * the socket until the apply returned. `frame` is the snapshot as a sync step 2. Resolves
   * true when any peer was sent it. Runs in the queue, inside the load.
   */
  private async answerBeforeApply(vector: Uint8Array, frame: Uint8Array): Promise<boolean> {
    const peers = [...this.joinedWhileLoading].filter((p) => (p.linkGeneration ?? 0) >= this.revokedBelow[p.role]);
    if (peers.length === 0) return false;
    const step1 = encodeSyncStep1(vector);
    const written: Array<Promise<void>> = [];
    for (const peer of peers) {
      this.sentSnapshot.add(peer);
      peer.send(step1);
      if (peer.sendNow) written.push(peer.sendNow(frame));
      else peer.send(frame);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(written), new Promise<void>((resolve) => (timer = setTimeout(resolve, EARLY_ANSWER_WRITE_MAX_MS)))]);
    clearTimeout(timer);
    return true;
  }

  /** The document as one update and as a fresh join's answer, encoded once per state (see `encoded`). */
  private encodedDoc(): { frame: Uint8Array; state: Uint8Array } {
    this.encoded ??= encodedAs(Y.encodeStateAsUpdate(this.doc));
    return this.encoded;
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.encoded = null;
    // Another instance's clients' edits are in that instance's version history.
    if (origin !== REMOTE_ORIGIN) this.checkpoints.noteChange(this.authorOf(origin));
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
    // Published to other instances: what this instance's own clients did (and their leaving);
    // never what came from another instance, a timeout, or the server's own status.
    const ours = origin === LEAVE_ORIGIN || (origin !== null && typeof origin === 'object' && this.peers.has(origin as Peer));
    this.relay.note([...added, ...updated, ...removed], ours && this.fanout.enabled);
  };

  /** Messages from other instances about this board (server/cluster/fanout.ts). */
  private readonly listener: BoardListener = {
    updates: (batch) => this.run(() => this.applyRemoteRows(batch)),
    awareness: (update) => this.run(() => this.applyRemoteAwareness(update)),
    awarenessQuery: () => this.run(() => this.publishOwnAwareness()),
    control: (message) => this.run(() => this.onControl(message)),
    resync: () => {
      // The fan-out was down: rows and presence published meanwhile were lost.
      this.catchUpSoon(0);
      this.run(() => {
        this.publishOwnAwareness();
        this.fanout.publishAwarenessQuery(this.boardId);
      });
    },
  };

  /** Rows another instance stored: applied (once), relayed to this instance's peers by onDocUpdate. */
  private applyRemoteRows(batch: readonly SeqUpdate[]): void {
    if (this.state !== 'ready') return;
    const fresh = batch.filter((row) => !this.seqs.has(row.seq));
    if (fresh.length === 0) return;
    this.doc.transact(() => {
      for (const row of fresh) {
        try {
          Y.applyUpdate(this.doc, row.update, REMOTE_ORIGIN);
          this.docBytes += row.update.byteLength;
        } catch (err) {
          this.deps.logger.error('a row from another instance does not apply', { boardId: this.boardId, seq: row.seq, err });
        }
        this.seqs.applied(row.seq);
      }
    }, REMOTE_ORIGIN);
    // A row overtook another (two instances publishing): give the missing one a moment, then read the log.
    if (this.seqs.hasGap) this.catchUpSoon(CATCH_UP_GRACE_MS);
  }

  /** Presence of another instance's clients: applied unless it touches one of ours or the server's. */
  private applyRemoteAwareness(update: Uint8Array): void {
    if (this.state !== 'ready') return;
    let entries: AwarenessEntry[];
    try {
      entries = decodeAwarenessUpdate(update);
    } catch (err) {
      if (!(err instanceof FrameError)) throw err;
      this.deps.metrics.inc('planvas_fanout_dropped_total');
      return;
    }
    let added = 0;
    const allowed = entries.filter((e) => {
      if (e.clientId === this.awareness.clientID || this.awarenessOwners.has(e.clientId) || claimsServerStatus(e.state)) return false;
      if (e.state === null && !this.awareness.states.has(e.clientId)) return false;
      if (this.awareness.states.has(e.clientId)) return true;
      // The same per-board cap as for local clients: another instance's flood stops here too.
      if (this.awareness.states.size + added >= MAX_AWARENESS_STATES_PER_ROOM) return false;
      added++;
      return true;
    });
    if (allowed.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, allowed.length === entries.length ? update : encodeAwarenessEntries(allowed), REMOTE_AWARENESS_ORIGIN);
  }

  /** Publishes the presence of this instance's clients (another instance loaded the board, or the fan-out came back). */
  private publishOwnAwareness(): void {
    if (this.state !== 'ready' || !this.fanout.enabled) return;
    const states = this.awareness.getStates();
    const ids = [...this.awarenessOwners.keys()].filter((id) => states.has(id));
    if (ids.length > 0) this.fanout.publishAwareness(this.boardId, awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
  }

  private onControl(message: ControlMessage): void {
    if (message.kind === 'deleted') this.goneElsewhere();
    else this.closeRevokedPeers(message.role, message.generation);
  }

  /**
   * A link of `role` was reset to `generation` (POST /api/boards/:id/links/reset): closes this
   * instance's connections that opened the board with an older link of that role (4401), and
   * tells the other instances to do the same.
   */
  revokeLinks(role: BoardRole, generation: number): void {
    // Raised at once, not in the queue: a load in progress must not answer the old links'
    // peers from storage before it (answerBeforeApply filters on it), and joins check it.
    this.revokedBelow[role] = Math.max(this.revokedBelow[role], generation);
    this.run(() => this.closeRevokedPeers(role, generation));
    this.fanout.publishControl(this.boardId, { kind: 'links-rotated', role, generation });
  }

  private closeRevokedPeers(role: BoardRole, generation: number): void {
    this.revokedBelow[role] = Math.max(this.revokedBelow[role], generation);
    for (const peer of this.peers) {
      if (peer.role === role && (peer.linkGeneration ?? 0) < generation) peer.close(CloseCode.linkRevoked, 'this link was reset');
    }
  }

  /** The board was deleted through another instance: close like a local delete (4404), store nothing. */
  private async goneElsewhere(): Promise<void> {
    if (this.state === 'closed') return;
    this.deps.logger.info('board deleted through another instance', { boardId: this.boardId });
    await this.shutdown(CloseCode.boardDeleted, { reason: 'board deleted', flush: false });
    this.deps.onGone?.(this);
  }

  /** On a shared store: checks the log's head every logPollMs, outside the queue, and catches up when rows are missing. */
  private startPolling(): void {
    this.pollTimer = setInterval(() => {
      if (this.polling || this.state !== 'ready') return;
      this.polling = true;
      this.deps.store.headSeq(this.boardId).then(
        (head) => {
          this.polling = false;
          if (head === null) this.run(() => this.goneElsewhere());
          else if (this.seqs.isBehind(head)) this.catchUpSoon(0);
          // A link reset on another instance reaches this one through the fan-out, or here when
          // that message was lost (Redis down) or there is no fan-out.
          if (head !== null) void this.pollLinkGenerations();
        },
        () => {
          // Storage is down: the edit path reports it; the next poll tries again.
          this.polling = false;
        },
      );
    }, this.limits.logPollMs);
    this.pollTimer.unref();
  }

  private async pollLinkGenerations(): Promise<void> {
    const generations = (await this.deps.store.getBoard(this.boardId).catch(() => null))?.linkGenerations;
    if (!generations) return;
    for (const role of ['edit', 'view'] as const) {
      if (generations[role] > this.revokedBelow[role]) this.run(() => this.closeRevokedPeers(role, generations[role]));
    }
  }

  private catchUpSoon(delayMs: number): void {
    if (this.catchUpTimer || this.state !== 'ready' || !this.deps.store.sharedLog) return;
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = null;
      this.run(() => this.catchUp());
    }, delayMs);
    this.catchUpTimer.unref();
  }

  /** Reads the rows this room has not applied from the log (the truth) and applies them. Runs in the queue. */
  private async catchUp(): Promise<void> {
    if (this.state !== 'ready') return;
    const from = this.seqs.synced;
    let state: StoredBoardState;
    try {
      state = await this.deps.store.loadUpdatesSince(this.boardId, from);
    } catch (err) {
      if (err instanceof UnknownBoardError) return this.goneElsewhere();
      this.deps.logger.warn('reading the log failed; the next poll retries', { boardId: this.boardId, err });
      return;
    }
    // A damaged snapshot written by another instance: merge the newest intact version, as a load does.
    const base = state.corrupt.some((row) => row.kind === 'snapshot') ? await newestIntactVersion(this.deps.store, this.boardId).catch(() => null) : null;
    const result = applyStored(this.doc, state, REMOTE_ORIGIN, base?.state ?? null);
    if (state.corrupt.length + result.unreadable.length > 0) this.reportCorrupt([...state.corrupt, ...result.unreadable], 'catch-up', base?.versionId ?? null);
    this.docBytes += result.bytes;
    this.seqs.caughtUpTo(state.lastSeq);
    this.deps.metrics.inc('planvas_log_catchups_total');
    this.deps.metrics.inc('planvas_log_catchup_rows_total', state.updates.length + (state.snapshot ? 1 : 0));
    this.deps.logger.debug('caught up from the log', { boardId: this.boardId, from, to: state.lastSeq, rows: state.updates.length, snapshot: state.snapshot !== null });
  }

  private stopFollowing(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    this.pollTimer = null;
    this.catchUpTimer = null;
  }

  /** Damaged rows: an error log line naming the board and each row, and a metric; the rest of the board is served. */
  private reportCorrupt(rows: readonly CorruptRow[], when: 'load' | 'catch-up', recoveredFromVersion: string | null): void {
    this.deps.metrics.inc('planvas_corrupt_rows_total', rows.length);
    this.deps.logger.error('corrupt rows in stored board: left out, kept in quarantine, the rest recovered', {
      boardId: this.boardId,
      when,
      rows,
      recoveredFromVersion,
    });
  }

  /** Captures a version of the live document; must run inside the queue. Logs (and rethrows) a failed save. */
  private captureVersion(opts: RequestedCapture): Promise<VersionRecord>;
  private captureVersion(opts: CaptureOptions): Promise<VersionRecord | null>;
  private captureVersion(opts: CaptureOptions): Promise<VersionRecord | null> {
    const saved = this.checkpoints.capture(this.encoded?.state ?? Y.encodeStateAsUpdate(this.doc), opts);
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

  private maybeScheduleCompaction(delayMs = 0): void {
    if (this.compactScheduled || this.rowsSinceSnapshot < this.deps.compactAfterUpdates) return;
    this.compactScheduled = true;
    // Off the message path, queued behind the messages already waiting, and one board at a
    // time across the server (compactionPacer.ts).
    // A room that is closing compacts in its shutdown; it must not hold the pacer meanwhile.
    const compaction = (): Promise<void> =>
      this.state !== 'ready'
        ? Promise.resolve()
        : this.enqueue(() => this.compact()).catch((err: unknown) => this.deps.logger.error('room task failed', { boardId: this.boardId, err }));
    if (delayMs === 0) compactionPacer.schedule(compaction);
    else setTimeout(() => compactionPacer.schedule(compaction), delayMs).unref();
  }

  /** Writes the live state as the snapshot and drops the log rows it covers, in one transaction. */
  private async compact(opts: { force?: boolean } = {}): Promise<void> {
    this.compactScheduled = false;
    if (this.doc.isDestroyed) return;
    await this.syncStoredTitle();
    if (this.rowsSinceSnapshot === 0 && opts.force !== true) return;
    // The cached encoding when a join made one; otherwise encoded for this write only, not
    // cached: an idle open board would otherwise hold a second full copy of itself.
    const snapshot = this.encoded?.state ?? Y.encodeStateAsUpdate(this.doc);
    // Stored with it, so a later load can tell joiners the board's clocks before applying it.
    const vector = Y.encodeStateVector(this.doc);
    const upToSeq = this.seqs.synced;
    try {
      await this.deps.store.compact(this.boardId, snapshot, upToSeq, vector);
    } catch (err) {
      // The log rows are still there: nothing is lost, the next compaction retries.
      this.deps.logger.error('compaction failed', { boardId: this.boardId, err });
      return;
    }
    this.rowsSinceSnapshot = 0;
    this.docBytes = snapshot.byteLength;
    this.snapshotBytes = snapshot.byteLength;
    this.deps.metrics.inc('planvas_compactions_total');
    this.deps.logger.debug('compacted', { boardId: this.boardId, upToSeq, bytes: snapshot.byteLength });
  }

  private fail(err: unknown): void {
    this.state = 'failed';
    this.stopFollowing();
    this.relay.stop();
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

/** Retry of a failing database: from this delay, doubling, up to the maximum. */
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 2_000;
/** Presence ids one connection may own (a client has one; a few more across reloads in one tab). */
const MAX_AWARENESS_IDS_PER_PEER = 8;
/** Presence states one board keeps, local and from other instances (far above any real meeting). */
const MAX_AWARENESS_STATES_PER_ROOM = 2_000;
/** A peer sent an edit the board cannot integrate: it is asked for the missing part at most this often. */
const RESYNC_MIN_INTERVAL_MS = 1_000;
/** An append in flight this long: edits arriving behind it count against the hold bound at once. */
const STALLED_APPEND_MS = 250;
/** An append slower than this means the database is in trouble: clients are told while it lasts. */
const SLOW_STORAGE_MS = 1_500;
/** How long a missing row may take to arrive through the fan-out before the log is read. */
const CATCH_UP_GRACE_MS = 150;
/** A load's compaction of a long log waits this long, so joins that arrived during the load are answered first. */
const COMPACT_AFTER_LOAD_DELAY_MS = 250;
/** How long a load waits for the stored snapshot to be written to the peers that joined during it (answerBeforeApply). */
const EARLY_ANSWER_WRITE_MAX_MS = 250;

/** `state` (a whole document as one update) with its sync step 2 frame; `state` becomes a view into the frame, so the bytes are held once. */
function encodedAs(state: Uint8Array): { frame: Uint8Array; state: Uint8Array } {
  const frame = encodeSyncStep2(state);
  return { frame, state: frame.subarray(frame.byteLength - state.byteLength) };
}

/** Whether two decoded state vectors name the same clients at the same clocks. */
function sameVector(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [client, clock] of a) if (b.get(client) !== clock) return false;
  return true;
}

/** True for a presence state that pretends to be the server's status (only the server may set it). */
function claimsServerStatus(state: unknown): boolean {
  return typeof state === 'object' && state !== null && SERVER_STATUS_KEY in state;
}
