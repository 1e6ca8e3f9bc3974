import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { newBoardUpdate } from '../../shared/doc/init.ts';
import { newId } from '../../shared/ids.ts';
import { emptySummary } from '../../shared/history/summary.ts';
import { signToken } from '../../server/auth/tokens.ts';
import { createApp } from '../../server/app.ts';
import { silentLogger } from '../../server/log.ts';
import { Metrics } from '../../server/metrics.ts';
import { openSqliteStore } from '../../server/storage/sqlite.ts';
import type { BoardStore } from '../../server/storage/types.ts';
import { Rooms } from '../../server/sync/rooms.ts';
import { waitFor } from '../helpers/clients.ts';
import { TEST_SECRET, makeTempDir, removeTempDir } from '../helpers/server.ts';

/**
 * POST /api/boards/:id/versions/:vid/restore, in process (createApp + Rooms + SQLite), with a
 * store whose version writes can be held: what happens to an edit that arrives while the
 * backup is being written, and to a version whose stored state does not load.
 */
describe('restoring a version', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) removeTempDir(d);
  });

  const setup = async () => {
    const dir = makeTempDir('planvas-restore-');
    dirs.push(dir);
    const inner = openSqliteStore(dir);
    const hooks = { saveGate: Promise.resolve(), saving: 0, failSave: false };
    const store: BoardStore = {
      ...inner,
      async saveVersion(boardId, version) {
        hooks.saving++;
        await hooks.saveGate;
        if (hooks.failSave) throw new Error('disk full');
        return inner.saveVersion(boardId, version);
      },
    };
    const rooms = new Rooms({ store, logger: silentLogger, metrics: new Metrics(), compactAfterUpdates: 1000 });
    const app = createApp({ store, rooms, metrics: new Metrics(), logger: silentLogger, secret: TEST_SECRET, publicUrl: null, clientDir: dir, startedAt: Date.now() });
    const id = newId();
    await store.createBoard({ id, title: 'Restore', createdAt: new Date().toISOString() }, newBoardUpdate('Restore', new Date().toISOString()));
    const token = signToken(TEST_SECRET, id, 'edit');
    const request = (route: string, init: RequestInit = {}) => app.request(`/api/boards/${id}${route}?token=${encodeURIComponent(token)}`, init);
    const titles = () => rooms.withRoom(id, (room) => room.read((doc) => [...readBoard(doc).tasks.values()].map((t) => t.title).sort()));
    const addTask = (title: string) => rooms.withRoom(id, (room) => room.applyServerEdit((doc) => createTask(doc, { title, x: 0, y: 0 }, 'test')));
    return { id, inner, store, hooks, rooms, request, titles, addTask };
  };

  it('an edit that arrives while the backup is written is in the backup or in the board, never lost', async () => {
    const { id, inner, hooks, rooms, request, titles, addTask } = await setup();
    await addTask('Original');
    const saved = await request('/versions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'v1' }) });
    expect(saved.status).toBe(201);
    const v1 = ((await saved.json()) as { id: string }).id;
    await addTask('Added after v1');

    let release!: () => void;
    hooks.saveGate = new Promise((r) => (release = r));
    const before = hooks.saving;
    const restoring = request(`/versions/${v1}/restore`, { method: 'POST' });
    await waitFor(() => hooks.saving > before, 'the backup is being written');
    // Someone edits while the backup is being written.
    const late = addTask('Typed during the restore');
    await new Promise((r) => setTimeout(r, 50));
    release();
    const res = await restoring;
    expect(res.status).toBe(200);
    await late;
    const backupId = ((await res.json()) as { backup: { id: string } }).backup.id;

    const backupState = await inner.getVersionState(id, backupId);
    const backup = new Y.Doc();
    Y.applyUpdate(backup, backupState!);
    const inBackup = [...readBoard(backup).tasks.values()].map((t) => t.title);
    const onBoard = await titles();
    expect(inBackup).toContain('Added after v1');
    expect([...inBackup, ...onBoard], 'the late edit survives somewhere').toContain('Typed during the restore');
    await rooms.closeAll();
  });

  it('a backup that cannot be stored: 500 with a clear error, and the board is left as it was', async () => {
    const { hooks, request, titles, addTask, rooms } = await setup();
    await addTask('Original');
    const saved = await request('/versions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'v1' }) });
    const v1 = ((await saved.json()) as { id: string }).id;
    await addTask('Added after v1');
    hooks.failSave = true;
    const res = await request(`/versions/${v1}/restore`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: string }).error).toMatch(/nothing was restored/);
    hooks.failSave = false;
    expect(await titles()).toEqual(['Added after v1', 'Original']);
    await rooms.closeAll();
  });

  it('a version whose stored state does not load (missing parts) is refused with a clear error and nothing is written', async () => {
    const { id, inner, request, titles, addTask, rooms } = await setup();
    await addTask('Keep me');
    // A state that passes the checksum but needs structs it does not carry: an update made on
    // top of a document the version never had. Applied alone it leaves an EMPTY board.
    const base = new Y.Doc();
    createTask(base, { title: 'Base', x: 0, y: 0 }, 'test');
    const sv = Y.encodeStateVector(base);
    base.getMap('tasks').set('orphan', new Y.Map());
    const orphanUpdate = Y.encodeStateAsUpdate(base, sv);
    const versionId = newId();
    await inner.saveVersion(id, { id: versionId, name: 'broken', kind: 'named', createdAt: new Date().toISOString(), authors: [], summary: emptySummary(), state: orphanUpdate });

    const res = await request(`/versions/${versionId}/restore`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: string }).error).toMatch(/nothing was restored/);
    expect(await titles()).toEqual(['Keep me']);
    // No backup was taken (an unload's automatic checkpoint may be, that is not the restore's).
    expect((await inner.listVersions(id)).filter((v) => v.kind === 'restore')).toEqual([]);
    // What is stored (not just what a room shows) still has the task.
    const stored = await inner.loadBoardState(id);
    const rebuilt = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(rebuilt, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(rebuilt, u);
    expect([...readBoard(rebuilt).tasks.values()].map((t) => t.title)).toEqual(['Keep me']);
    await rooms.closeAll();
  });
});
