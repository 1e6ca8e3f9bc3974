import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, updateShape } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import * as encoding from 'lib0/encoding';
import { setBoardTitle } from '../../shared/doc/init.ts';
import type { BoardInfoResponse } from '../../shared/protocol/api.ts';
import { SQLITE_FILE_NAME } from '../../server/storage/sqlite.ts';
import { encodeSyncStep2, encodeSyncUpdate } from '../../server/sync/frames.ts';
import * as decoding from 'lib0/decoding';
import { openRawSocket, sameState, sleep, waitFor } from '../helpers/clients.ts';
import { trackResources } from '../helpers/resources.ts';
import { createLogger, createBoard, makeTempDir, removeTempDir, type TestServer } from '../helpers/server.ts';

/** True for a sync step 1 frame (message type 0, sync type 0). */
function isSyncStep1(frame: Uint8Array): boolean {
  const d = decoding.createDecoder(frame);
  return decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === 0;
}

/** The board's snapshot rows and its log rows after the snapshot (rows it covers are deleted in a later sweep and never read). */
function countRows(dataDir: string, boardId: string): { updates: number; snapshots: number } {
  const db = new Database(path.join(dataDir, SQLITE_FILE_NAME), { readonly: true });
  try {
    const updates = (
      db.prepare('SELECT count(*) AS n FROM updates WHERE board_id = ? AND seq > coalesce((SELECT last_seq FROM snapshots WHERE board_id = ?), 0)').get(boardId, boardId) as { n: number }
    ).n;
    const snapshots = (db.prepare('SELECT count(*) AS n FROM snapshots WHERE board_id = ?').get(boardId) as { n: number }).n;
    return { updates, snapshots };
  } finally {
    db.close();
  }
}

describe('persistence and view-only enforcement', () => {
  const dataDir = makeTempDir();
  const opened = trackResources();
  const start = (opts: { compactAfterUpdates?: number } = {}) => opened.start({ dataDir, ...opts, logger: process.env.DEBUG_LOG ? createLogger('debug') : undefined });
  const client = (s: TestServer, boardId: string, token: string, doc?: Y.Doc) => opened.client(s, boardId, token, { doc });
  afterAll(async () => {
    await opened.cleanup();
    removeTempDir(dataDir);
  });

  it('a board survives a restart on the same data dir, with the same links', async () => {
    const first = await start();
    const board = await createBoard(first.url, 'Survivor');
    const a = client(first, board.id, board.editToken);
    await a.synced;
    const id = createTask(a.doc, { title: 'keep me', x: 42 });
    for (let i = 0; i < 30; i++) updateShape(a.doc, id, { y: i });
    const b = client(first, board.id, board.editToken);
    await waitFor(() => sameState(a.doc, b.doc), 'second client has it');
    a.destroy();
    b.destroy();
    await first.close();

    const second = await start();
    const fresh = client(second, board.id, board.editToken);
    await fresh.synced;
    const task = readBoard(fresh.doc).tasks.get(id);
    expect(task?.title).toBe('keep me');
    expect(task?.y).toBe(29);
    expect(readBoard(fresh.doc).meta.title).toBe('Survivor');
    // Graceful close compacted the log into a snapshot.
    await second.close();
    expect(countRows(dataDir, board.id)).toEqual({ updates: 0, snapshots: 1 });
  });

  it('unloads a board after its last client leaves, compacted, and reloads it on the next join', async () => {
    const s = await start();
    const board = await createBoard(s.url);
    const a = client(s, board.id, board.editToken);
    await a.synced;
    const id = createTask(a.doc, { title: 'before unload' });
    await waitFor(() => s.server.metrics.get('planvas_updates_stored_total') >= 1, 'stored');
    a.destroy();
    await waitFor(() => s.server.rooms.size === 0, 'room unloaded');
    expect(countRows(dataDir, board.id)).toEqual({ updates: 0, snapshots: 1 });

    // Leave and rejoin in a burst: the rejoin either keeps the room or waits for its flush.
    for (let i = 0; i < 5; i++) {
      const c = client(s, board.id, board.editToken);
      await c.synced;
      expect(readBoard(c.doc).tasks.get(id)?.title).toBe('before unload');
      updateShape(c.doc, id, { x: i + 1 });
      await waitFor(() => s.server.metrics.get('planvas_updates_stored_total') >= 2 + i, 'stored');
      c.destroy();
    }
    const last = client(s, board.id, board.viewToken);
    await last.synced;
    expect(readBoard(last.doc).tasks.get(id)?.x).toBe(5);
  });

  it('compacts the log in the background once it exceeds the threshold, without losing edits', async () => {
    const s = await start({ compactAfterUpdates: 20 });
    const board = await createBoard(s.url);
    const a = client(s, board.id, board.editToken);
    const b = client(s, board.id, board.editToken);
    await Promise.all([a.synced, b.synced]);
    const id = createTask(a.doc, { title: 't' });
    // Three bursts of 25 edits: each burst crosses the threshold once, and its compaction runs
    // after the burst's queued messages (off the message path).
    for (let round = 1; round <= 3; round++) {
      for (let i = 1; i <= 25; i++) updateShape(a.doc, id, { x: round * 100 + i });
      await waitFor(() => readBoard(b.doc).tasks.get(id)?.x === round * 100 + 25, 'edits relayed');
      await waitFor(() => s.server.metrics.get('planvas_compactions_total') >= round, `compaction ${round}`);
    }
    const rows = countRows(dataDir, board.id);
    expect(rows.snapshots).toBe(1);
    expect(rows.updates).toBeLessThan(20);
    // A fresh load (snapshot + remaining log) equals the live state.
    const state = await s.server.store.loadBoardState(board.id);
    const rebuilt = new Y.Doc();
    if (state.snapshot) Y.applyUpdate(rebuilt, state.snapshot);
    for (const u of state.updates) Y.applyUpdate(rebuilt, u);
    expect(readBoard(rebuilt).tasks.get(id)?.x).toBe(325);
  });

  it('a view token syncs but its edits never reach other peers or storage, even after restart', async () => {
    const s = await start();
    const board = await createBoard(s.url, 'Read only');
    const editor = client(s, board.id, board.editToken);
    const viewer = client(s, board.id, board.viewToken);
    await Promise.all([editor.synced, viewer.synced]);
    const kept = createTask(editor.doc, { title: 'by editor' });
    await waitFor(() => readBoard(viewer.doc).tasks.has(kept), 'viewer reads the editor');

    const dropped = createTask(viewer.doc, { title: 'by viewer' });
    updateShape(viewer.doc, kept, { title: 'vandalised' });
    // A viewer that reconnects re-sends its state in step 2: dropped as well.
    viewer.provider.disconnect();
    viewer.provider.connect();
    await waitFor(() => s.server.metrics.get('planvas_view_updates_dropped_total') >= 3, 'viewer updates dropped');
    // The editor keeps working and the viewer still receives (its connection stayed usable).
    const later = createTask(editor.doc, { title: 'after' });
    await waitFor(() => readBoard(viewer.doc).tasks.has(later), 'viewer still receives');
    await sleep(50);
    expect(readBoard(editor.doc).tasks.has(dropped)).toBe(false);
    expect(readBoard(editor.doc).tasks.get(kept)?.title).toBe('by editor');

    editor.destroy();
    viewer.destroy();
    await s.close();
    const again = await start();
    const check = client(again, board.id, board.editToken);
    await check.synced;
    const tasks = readBoard(check.doc).tasks;
    expect(tasks.has(dropped)).toBe(false);
    expect(tasks.get(kept)?.title).toBe('by editor');
    expect(tasks.has(later)).toBe(true);
  });

  it('an update with missing dependencies is not stored; the sender stays connected and is asked to resync, and its step 2 brings both halves, which survive restarts', async () => {
    // A third-party client's edits 0..9 and 10..19; the server first gets only the second half.
    const author = new Y.Doc();
    author.clientID = 424242;
    for (let i = 0; i < 10; i++) author.getMap('notes').set(`head-${i}`, i);
    const sv = encoding.createEncoder();
    encoding.writeVarUint(sv, 1);
    encoding.writeVarUint(sv, author.clientID);
    encoding.writeVarUint(sv, 10);
    for (let i = 0; i < 10; i++) author.getMap('notes').set(`tail-${i}`, i);
    const tail = Y.encodeStateAsUpdate(author, encoding.toUint8Array(sv));

    let s = await start();
    const board = await createBoard(s.url, 'Pending');
    const watcher = client(s, board.id, board.viewToken);
    await watcher.synced;
    const raw = await openRawSocket(`${s.wsUrl}/${board.id}?token=${board.editToken}`);
    await waitFor(() => raw.frames.length > 0, 'joined');
    const storedBefore = s.server.metrics.get('planvas_updates_stored_total');
    const step1sBefore = raw.frames.filter(isSyncStep1).length;
    raw.ws.send(encodeSyncUpdate(tail));
    // Not stored (Yjs would keep it pending forever and merge every later edit with it); the
    // sender is not disconnected but asked, with the server's sync step 1, for what it lacks.
    await waitFor(() => raw.frames.filter(isSyncStep1).length === step1sBefore + 1, 'asked to resync');
    await sleep(50);
    expect(s.server.metrics.get('planvas_updates_stored_total')).toBe(storedBefore);
    expect(notesCount(watcher.doc)).toBe(0);
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
    // What the stock client does with a step 1: a step 2 with everything the server lacks.
    raw.ws.send(encodeSyncStep2(Y.encodeStateAsUpdate(author, Y.encodeStateVector(watcher.doc))));
    await waitFor(() => notesCount(watcher.doc) === 20, 'head and tail integrated and relayed');
    raw.ws.close();
    watcher.destroy();

    // Restart twice: once without compaction (log replay), once after a compaction (snapshot).
    await s.close();
    s = await start();
    let check = client(s, board.id, board.editToken);
    await check.synced;
    expect(notesCount(check.doc)).toBe(20);
    check.destroy();
    await waitFor(() => s.server.rooms.size === 0, 'unloaded (compacted)');
    expect(countRows(dataDir, board.id).snapshots).toBe(1);
    await s.close();
    s = await start();
    check = client(s, board.id, board.viewToken);
    await check.synced;
    expect(notesCount(check.doc)).toBe(20);
  });

  it('a renamed board shows its new title in GET /api/boards/:id, also once unloaded and after a restart', async () => {
    const info = async (srv: TestServer, id: string, token: string) =>
      ((await (await fetch(`${srv.url}/api/boards/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as BoardInfoResponse).title;
    let s = await start();
    const board = await createBoard(s.url, 'Old name');
    const a = client(s, board.id, board.editToken);
    await a.synced;
    setBoardTitle(a.doc, 'New name');
    await waitFor(async () => (await s.server.store.getBoard(board.id))?.title === 'New name', 'registry updated');
    expect(await info(s, board.id, board.viewToken)).toBe('New name');
    a.destroy();
    await waitFor(() => s.server.rooms.size === 0, 'unloaded');
    expect(await info(s, board.id, board.viewToken)).toBe('New name');
    await s.close();

    // A rename whose registry write was lost (killed in between) is caught up when the board next loads.
    const db = new Database(path.join(dataDir, SQLITE_FILE_NAME));
    db.prepare('UPDATE boards SET title = ? WHERE id = ?').run('Stale', board.id);
    db.close();
    s = await start();
    expect(await info(s, board.id, board.editToken)).toBe('Stale');
    const b = client(s, board.id, board.editToken);
    await b.synced;
    await waitFor(async () => (await s.server.store.getBoard(board.id))?.title === 'New name', 'registry caught up on load');
    b.destroy();
    await s.close();
    s = await start();
    expect(await info(s, board.id, board.editToken)).toBe('New name');
  });
});

function notesCount(doc: Y.Doc): number {
  return doc.getMap('notes').size;
}
