import type { VersionSummary } from '../../shared/history/summary.ts';

/**
 * Where boards live. The sync core only talks to this interface; SQLite (sqlite.ts) is the
 * embedded default, PostgreSQL (postgres.ts) the store several instances share (open.ts picks
 * one from DATABASE_URL), and every implementation runs test/contract/board-store.contract.ts.
 *
 * Methods are async so that networked stores (PostgreSQL) fit; the SQLite store resolves
 * at once. What must stay true for every implementation:
 * - `appendUpdate` has returned (resolved) only once the update is durable;
 * - `loadBoardState` reads snapshot and log as one consistent view (one transaction);
 * - `compact` replaces the snapshot and deletes the log rows it covers in one transaction;
 * - `createBoard`'s title is what `getBoard` returns until `setBoardTitle` changes it;
 * - corrupt board rows are reported (StoredBoardState.corrupt) and quarantined, never returned
 *   as if they were valid; a corrupt version state throws StorageCorruptError.
 */
export interface BoardRecord {
  id: string;
  title: string;
  /** ISO 8601. */
  createdAt: string;
  /**
   * The current generation of each link (server/auth/tokens.ts): a token signed for an older
   * generation no longer opens the board ("Reset link" revokes the old link). Both 0 for a new
   * board; `createBoard` ignores this field.
   */
  linkGenerations?: LinkGenerations;
}

export interface LinkGenerations {
  edit: number;
  view: number;
}

/** A stored row whose checksum did not match: left out of the state, kept in quarantine, reported. */
export interface CorruptRow {
  kind: 'snapshot' | 'update';
  /** The row's seq (for a snapshot: the seq it covered). */
  seq: number;
  detail: string;
}

export interface StoredBoardState {
  /** The last compacted state (a Yjs update), or null before the first compaction. */
  snapshot: Uint8Array | null;
  /**
   * The state vector of `snapshot` as stored with it (Y.encodeStateVector of the document it
   * was encoded from), or absent/null when unknown: no snapshot, one written before vectors
   * were kept, or a vector whose checksum did not match (then it is only left out: the
   * snapshot itself is intact). Lets a load announce the board's clocks before applying it.
   */
  snapshotVector?: Uint8Array | null;
  /** Log rows after the snapshot, oldest first. */
  updates: Uint8Array[];
  /** Sequence number of the newest row read (snapshot or log, corrupt rows included); 0 when there is none. */
  lastSeq: number;
  /**
   * Rows whose checksum did not match. They are NOT in `snapshot`/`updates`; the store has
   * copied them to its quarantine (kept for an operator, never deleted by compaction) and the
   * caller reports them and recovers the rest (server/sync/room.ts). Empty when all is well.
   */
  corrupt: CorruptRow[];
}

export interface BoardStore {
  /**
   * True when other processes may append to the same boards (PostgreSQL shared by several
   * instances): a loaded room then follows the log (headSeq / loadUpdatesSince) besides the
   * fan-out. For such a store a board's seqs are also gap-free (1, 2, 3, ...), so a follower
   * can tell that it missed a row. False for SQLite (one process owns the file).
   */
  readonly sharedLog: boolean;
  /** Resolves when the database answers a trivial query (readiness); rejects otherwise. */
  ping(): Promise<void>;
  /**
   * Shared stores only: a name for this very database, the same for every instance using it
   * and different for any other (a restored copy, another cluster). It namespaces the fan-out
   * channels, so deployments on different databases sharing one Redis never hear each other.
   */
  identity?(): Promise<string>;
  /**
   * The token signing secret shared by every instance: the stored one, or `candidate` stored
   * now if there is none yet (the first instance to start wins; all others read it).
   */
  sharedSecret(candidate: string): Promise<string>;
  /** Registers a board and stores its first update, atomically. Throws if the id exists. */
  createBoard(record: BoardRecord, firstUpdate: Uint8Array): Promise<void>;
  /** The registry row, or null for an unknown id. */
  getBoard(id: string): Promise<BoardRecord | null>;
  /**
   * Everything needed to rebuild the document, read as one consistent view. A row with a
   * checksum mismatch is reported in `corrupt` (and quarantined), never returned as data and
   * never thrown. UnknownBoardError for an unknown id.
   */
  loadBoardState(id: string): Promise<StoredBoardState>;
  /**
   * Rows after `afterSeq` (catch-up of a follower). When a compaction has covered rows beyond
   * `afterSeq`, the snapshot is returned too (with the rows after it); otherwise `snapshot` is
   * null. UnknownBoardError for an unknown (or deleted) board. Corrupt rows as in loadBoardState.
   * `lastSeq` is never less than `afterSeq` (nothing new: `afterSeq` itself).
   */
  loadUpdatesSince(id: string, afterSeq: number): Promise<StoredBoardState>;
  /** The newest seq of the board (snapshot or log; 0 if none), or null when the board does not exist (deleted). Cheap: polled. */
  headSeq(id: string): Promise<number | null>;
  /**
   * Starts a new generation of the board's edit or view link (revokes every token of older
   * generations); resolves with the new generation. UnknownBoardError for an unknown board.
   */
  rotateLink(id: string, role: 'edit' | 'view'): Promise<number>;
  /**
   * Durably appends one update to the board's log; resolves with its sequence number.
   * Seqs of one board increase in commit order: once a reader has seen row s, no row with a
   * smaller seq can appear later. Appends to one board through one store are numbered in the
   * order they were called, even when called without waiting for each other.
   */
  appendUpdate(id: string, update: Uint8Array): Promise<number>;
  /**
   * Durably appends several updates in order, all or none (one transaction: one commit for a
   * burst of edits); resolves with their sequence numbers. An empty list resolves [].
   */
  appendUpdates(id: string, updates: readonly Uint8Array[]): Promise<number[]>;
  /**
   * Atomically stores `snapshot` (covering every row with seq <= upToSeq) and deletes those
   * rows. `snapshotVector`: the snapshot's state vector, stored with it (loadBoardState
   * returns it); omitted: none is kept.
   */
  compact(id: string, snapshot: Uint8Array, upToSeq: number, snapshotVector?: Uint8Array): Promise<void>;
  /**
   * Records the board's current title in the registry (the title lives in the document's
   * meta.title; the registry copy answers GET /api/boards/:id and lists without loading the
   * board). Throws UnknownBoardError for an unknown id.
   */
  setBoardTitle(id: string, title: string): Promise<void>;
  /** Number of log rows not yet covered by the snapshot. */
  logLength(id: string): Promise<number>;
  /**
   * Deletes the board for good: its registry row, snapshot, update log and versions, in one
   * transaction (all or nothing). Resolves false for an unknown id. Afterwards `getBoard` is
   * null and `loadBoardState` throws UnknownBoardError, as for an id that never existed.
   */
  deleteBoard(id: string): Promise<boolean>;
  /**
   * Stores a version of the board (version history): its record and the full document state
   * (a Yjs update), checksummed. Throws UnknownBoardError for an unknown board, and on a
   * duplicate version id.
   */
  saveVersion(boardId: string, version: VersionRecord & { state: Uint8Array }): Promise<void>;
  /** The board's versions, newest first (by createdAt, then by insertion), without their states. */
  listVersions(boardId: string): Promise<VersionRecord[]>;
  /** The stored state of one version of this board, or null if there is none; StorageCorruptError on a checksum mismatch. */
  getVersionState(boardId: string, versionId: string): Promise<Uint8Array | null>;
  /** Deletes these versions of this board (retention, server/history/retention.ts); resolves with how many went. */
  deleteVersions(boardId: string, versionIds: readonly string[]): Promise<number>;
  close(): Promise<void>;
}

/** One entry of a board's version history (docs/api.md "Versions"). */
export interface VersionRecord {
  id: string;
  /** What people called it; automatic checkpoints are named '' and shown as "Autosave". */
  name: string;
  /** 'auto': a checkpoint while people edit; 'named': "Save version"; 'restore': the backup taken before a restore. */
  kind: VersionKind;
  /** ISO 8601. */
  createdAt: string;
  /** Names of the people (and "API" for REST edits) who changed the board since the previous version. */
  authors: string[];
  /** What changed since the previous version. */
  summary: VersionSummary;
  /** For kind 'restore': the id of the version that was restored. */
  restoredFrom?: string;
}

export type VersionKind = 'auto' | 'named' | 'restore';

export class StorageCorruptError extends Error {
  constructor(
    readonly boardId: string,
    detail: string,
  ) {
    super(`board ${boardId}: stored state is corrupt (${detail})`);
    this.name = 'StorageCorruptError';
  }
}

export class UnknownBoardError extends Error {
  constructor(readonly boardId: string) {
    super(`unknown board ${boardId}`);
    this.name = 'UnknownBoardError';
  }
}

/**
 * Marks an error as "the database did not answer" (set by the instrumented store,
 * server/storage/instrumented.ts), so that the HTTP layer answers 503 (try again) rather than
 * 500 (a bug). The error itself passes through unchanged; only a symbol-keyed flag is added.
 */
const STORAGE_FAILURE = Symbol.for('planvas.storageFailure');

export function markStorageFailure(err: unknown): void {
  if (typeof err === 'object' && err !== null && Object.isExtensible(err)) (err as Record<symbol, unknown>)[STORAGE_FAILURE] = true;
}

export function isStorageFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[STORAGE_FAILURE] === true;
}
