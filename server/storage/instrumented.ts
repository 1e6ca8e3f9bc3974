import { performance } from 'node:perf_hooks';
import type { Metrics, StorageOp } from '../metrics.ts';
import { StorageCorruptError, UnknownBoardError, markStorageFailure, type BoardStore } from './types.ts';

/**
 * Wraps a BoardStore so that operators can see it: every call is timed into
 * planvas_storage_seconds{op=<method>}, a failed call counts in planvas_errors_total{kind="storage"}
 * and sets planvas_storage_available to 0, a successful one sets it back to 1.
 *
 * Results and errors pass through unchanged: the wrapper only watches. "Failed" means the
 * database did not answer (connection refused, timeout, disk error). An answer that happens to
 * be an error — an unknown board, a corrupt row, a duplicate id — shows the database is up, so it
 * neither counts as a storage error nor marks storage unavailable.
 *
 * Every method is listed by hand (not a Proxy) so that a method added to BoardStore is a type
 * error here until it is timed too.
 *
 * @example const store = instrumentStore(await openStore({ databaseUrl, dataDir }), metrics);
 */
export function instrumentStore(store: BoardStore, metrics: Metrics): BoardStore {
  const timed = async <T>(op: StorageOp, call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const result = await call();
      metrics.set('planvas_storage_available', 1);
      return result;
    } catch (err) {
      if (isAnswerFromDatabase(err)) {
        metrics.set('planvas_storage_available', 1);
      } else {
        metrics.inc('planvas_errors_total', 1, { kind: 'storage' });
        metrics.set('planvas_storage_available', 0);
        markStorageFailure(err);
      }
      throw err;
    } finally {
      metrics.observe('planvas_storage_seconds', (performance.now() - started) / 1000, { op });
    }
  };

  return {
    get sharedLog() {
      return store.sharedLog;
    },
    ping: () => timed('ping', () => store.ping()),
    ...(store.identity ? { identity: () => timed('identity', () => store.identity!()) } : {}),
    sharedSecret: (candidate) => timed('sharedSecret', () => store.sharedSecret(candidate)),
    createBoard: (record, firstUpdate) => timed('createBoard', () => store.createBoard(record, firstUpdate)),
    getBoard: (id) => timed('getBoard', () => store.getBoard(id)),
    loadBoardState: (id) => timed('loadBoardState', () => store.loadBoardState(id)),
    loadUpdatesSince: (id, afterSeq) => timed('loadUpdatesSince', () => store.loadUpdatesSince(id, afterSeq)),
    headSeq: (id) => timed('headSeq', () => store.headSeq(id)),
    rotateLink: (id, role) => timed('rotateLink', () => store.rotateLink(id, role)),
    appendUpdate: (id, update) => timed('appendUpdate', () => store.appendUpdate(id, update)),
    appendUpdates: (id, updates) => timed('appendUpdates', () => store.appendUpdates(id, updates)),
    compact: (id, snapshot, upToSeq, snapshotVector) => timed('compact', () => store.compact(id, snapshot, upToSeq, snapshotVector)),
    setBoardTitle: (id, title) => timed('setBoardTitle', () => store.setBoardTitle(id, title)),
    logLength: (id) => timed('logLength', () => store.logLength(id)),
    deleteBoard: (id) => timed('deleteBoard', () => store.deleteBoard(id)),
    saveVersion: (boardId, version) => timed('saveVersion', () => store.saveVersion(boardId, version)),
    listVersions: (boardId) => timed('listVersions', () => store.listVersions(boardId)),
    getVersionState: (boardId, versionId) => timed('getVersionState', () => store.getVersionState(boardId, versionId)),
    deleteVersions: (boardId, versionIds) => timed('deleteVersions', () => store.deleteVersions(boardId, versionIds)),
    // Closing is not a sign of health either way; it is timed only.
    close: async () => {
      const started = performance.now();
      try {
        await store.close();
      } finally {
        metrics.observe('planvas_storage_seconds', (performance.now() - started) / 1000, { op: 'close' });
      }
    },
  };
}

/**
 * True for errors that the database itself answered with: the call reached it and it replied.
 * - our own domain errors (unknown board, checksum mismatch);
 * - SQLite constraint violations (better-sqlite3 `code` SQLITE_CONSTRAINT*), e.g. a duplicate id;
 * - PostgreSQL SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation).
 */
export function isAnswerFromDatabase(err: unknown): boolean {
  if (err instanceof UnknownBoardError || err instanceof StorageCorruptError) return true;
  if (typeof err !== 'object' || err === null || !('code' in err)) return false;
  const code = (err as { code: unknown }).code;
  if (typeof code !== 'string') return false;
  return code.startsWith('SQLITE_CONSTRAINT') || /^2[23][0-9A-Z]{3}$/.test(code);
}
