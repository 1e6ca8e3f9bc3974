import { checksum } from './checksum.ts';
import type { BoardRecord, CorruptRow, StoredBoardState } from './types.ts';

/** A `boards` registry row, as both stores select it. */
export interface BoardRow {
  id: string;
  title: string;
  created_at: string;
  edit_generation: number;
  view_generation: number;
}

/** The columns `boardFromRow` reads, in the stores' SELECT. */
export const BOARD_COLUMNS = 'id, title, created_at, edit_generation, view_generation';

export function boardFromRow(row: BoardRow): BoardRecord {
  return { id: row.id, title: row.title, createdAt: row.created_at, linkGenerations: { edit: row.edit_generation, view: row.view_generation } };
}

/** A snapshot or log row as read from a store, before its checksum is verified. */
export interface RawRow {
  /** Log row: its seq. Snapshot: the seq it covers. */
  seq: number;
  data: Uint8Array;
  checksum: number;
}

/** A snapshot row: also its state vector and that vector's checksum, when it was stored with one. */
export interface RawSnapshotRow extends RawRow {
  stateVector?: Uint8Array | null;
  stateVectorChecksum?: number | null;
}

/** A row that failed its checksum, with what the quarantine keeps of it. */
export interface BadRow extends CorruptRow {
  data: Uint8Array;
  checksum: number;
}

/**
 * Verifies the rows a store read and assembles the state: rows whose checksum does not match
 * are left out and returned in `bad` (the store quarantines them) and reported in
 * `state.corrupt`. `lastSeq` is the newest seq read, corrupt rows included, and never less
 * than `afterSeq` (a follower that asked "after 41" and got nothing new stays at 41).
 */
export function assembleState(snapshot: RawSnapshotRow | null, updates: readonly RawRow[], afterSeq = 0): { state: StoredBoardState; bad: BadRow[] } {
  const bad: BadRow[] = [];
  let lastSeq = afterSeq;
  let snapshotData: Uint8Array | null = null;
  let snapshotVector: Uint8Array | null = null;
  if (snapshot) {
    if (checksum(snapshot.data) === snapshot.checksum) {
      snapshotData = new Uint8Array(snapshot.data);
      // A damaged vector is only left out (the load then applies before it answers anyone).
      const sv = snapshot.stateVector;
      if (sv && checksum(sv) === snapshot.stateVectorChecksum) snapshotVector = new Uint8Array(sv);
    }
    else bad.push({ kind: 'snapshot', seq: snapshot.seq, detail: `snapshot (up to seq ${snapshot.seq}) checksum mismatch`, data: snapshot.data, checksum: snapshot.checksum });
    lastSeq = Math.max(lastSeq, snapshot.seq);
  }
  const good: Uint8Array[] = [];
  for (const row of updates) {
    if (checksum(row.data) === row.checksum) good.push(new Uint8Array(row.data));
    else bad.push({ kind: 'update', seq: row.seq, detail: `update ${row.seq} checksum mismatch`, data: row.data, checksum: row.checksum });
    lastSeq = Math.max(lastSeq, row.seq);
  }
  return {
    state: { snapshot: snapshotData, ...(snapshotVector ? { snapshotVector } : {}), updates: good, lastSeq, corrupt: bad.map(({ kind, seq, detail }) => ({ kind, seq, detail })) },
    bad,
  };
}
