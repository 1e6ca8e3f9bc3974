import * as Y from 'yjs';
import { StorageCorruptError, type BoardStore, type CorruptRow, type StoredBoardState } from '../storage/types.ts';

/**
 * Reading a board back from storage, including when part of it is damaged: corrupt rows
 * (checksum mismatch, reported by the store and kept in its quarantine) are left out, and the
 * newest intact version from the version history is merged in to stand for what they held.
 * Merging is safe: a version is a state of the same document, so a CRDT merge can only add
 * what the damaged row carried; deletions made after that version are in later rows and win.
 *
 * @example const loaded = await readBoard(store, id); applyStored(doc, loaded.state, 'load')
 */
export interface LoadedBoard {
  state: StoredBoardState;
  /** The newest intact version's state, merged first when rows were corrupt; null otherwise. */
  recoveryBase: { versionId: string; state: Uint8Array } | null;
}

export async function readBoard(store: BoardStore, boardId: string): Promise<LoadedBoard> {
  const state = await store.loadBoardState(boardId);
  const recoveryBase = state.corrupt.length > 0 ? await newestIntactVersion(store, boardId) : null;
  return { state, recoveryBase };
}

/** The newest version whose state reads back intact, or null (used when stored rows are damaged). */
export async function newestIntactVersion(store: BoardStore, boardId: string): Promise<LoadedBoard['recoveryBase']> {
  for (const version of await store.listVersions(boardId)) {
    try {
      const state = await store.getVersionState(boardId, version.id);
      if (state) return { versionId: version.id, state };
    } catch (err) {
      if (!(err instanceof StorageCorruptError)) throw err;
      // A damaged version too: try the one before it.
    }
  }
  return null;
}

export interface ApplyResult {
  /** Pieces (base, snapshot, log rows) that applied. */
  applied: number;
  /** Bytes of what applied (the size estimate of the document). */
  bytes: number;
  /** Rows that passed their checksum but Yjs refused (also reported, never fatal for the rest). */
  unreadable: CorruptRow[];
}

/** Applies a stored state (and a recovery base) to `doc` in one transaction, row by row, so one bad row does not take the rest with it. */
export function applyStored(doc: Y.Doc, state: StoredBoardState, origin: unknown, base: Uint8Array | null = null): ApplyResult {
  const result: ApplyResult = { applied: 0, bytes: 0, unreadable: [] };
  const tryApply = (update: Uint8Array, row: CorruptRow | null): void => {
    try {
      Y.applyUpdate(doc, update, origin);
      result.applied++;
      result.bytes += update.byteLength;
    } catch (err) {
      if (row) result.unreadable.push({ ...row, detail: `${row.detail ? `${row.detail}: ` : ''}does not apply: ${(err as Error).message}` });
    }
  };
  doc.transact(() => {
    if (base) tryApply(base, null);
    if (state.snapshot) tryApply(state.snapshot, { kind: 'snapshot', seq: 0, detail: '' });
    // The state does not carry each row's seq (seqs may skip numbers): name the row by position.
    state.updates.forEach((update, i) => tryApply(update, { kind: 'update', seq: 0, detail: `log row ${i + 1} of ${state.updates.length}` }));
  }, origin);
  return result;
}
