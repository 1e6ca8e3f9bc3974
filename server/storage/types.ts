import type { VersionSummary } from '../../shared/history/summary.ts';

/**
 * Where boards live. The sync core only talks to this interface; SQLite (sqlite.ts) is the
 * embedded default, and every implementation runs test/contract/board-store.contract.ts.
 *
 * Methods are async so that networked stores (PostgreSQL) fit; the SQLite store resolves
 * at once. What must stay true for every implementation:
 * - `appendUpdate` has returned (resolved) only once the update is durable;
 * - `loadBoardState` reads snapshot and log as one consistent view (one transaction);
 * - `compact` replaces the snapshot and deletes the log rows it covers in one transaction;
 * - `createBoard`'s title is what `getBoard` returns until `setBoardTitle` changes it;
 * - corrupt data is reported (StorageCorruptError), never returned as if it were valid.
 */
export interface BoardRecord {
  id: string;
  title: string;
  /** ISO 8601. */
  createdAt: string;
}

export interface StoredBoardState {
  /** The last compacted state (a Yjs update), or null before the first compaction. */
  snapshot: Uint8Array | null;
  /** Log rows after the snapshot, oldest first. */
  updates: Uint8Array[];
  /** Sequence number of the newest row read (snapshot or log); 0 when there is none. */
  lastSeq: number;
}

export interface BoardStore {
  /** Registers a board and stores its first update, atomically. Throws if the id exists. */
  createBoard(record: BoardRecord, firstUpdate: Uint8Array): Promise<void>;
  /** The registry row, or null for an unknown id. */
  getBoard(id: string): Promise<BoardRecord | null>;
  /** Everything needed to rebuild the document. Throws StorageCorruptError on a checksum mismatch, UnknownBoardError for an unknown id. */
  loadBoardState(id: string): Promise<StoredBoardState>;
  /** Durably appends one update to the board's log; resolves with its sequence number (increasing per board). */
  appendUpdate(id: string, update: Uint8Array): Promise<number>;
  /**
   * Durably appends several updates in order, all or none (one transaction: one commit for a
   * burst of edits); resolves with their sequence numbers. An empty list resolves [].
   */
  appendUpdates(id: string, updates: readonly Uint8Array[]): Promise<number[]>;
  /** Atomically stores `snapshot` (covering every row with seq <= upToSeq) and deletes those rows. */
  compact(id: string, snapshot: Uint8Array, upToSeq: number): Promise<void>;
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
