import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { newBoardUpdate } from '../../shared/doc/init.ts';
import { newId } from '../../shared/ids.ts';
import { silentLogger } from '../../server/log.ts';
import { Metrics } from '../../server/metrics.ts';
import { openSqliteStore } from '../../server/storage/sqlite.ts';
import type { BoardStore } from '../../server/storage/types.ts';
import { Rooms } from '../../server/sync/rooms.ts';
import { waitFor } from '../helpers/clients.ts';
import { makeTempDir, removeTempDir } from '../helpers/server.ts';

/**
 * Unloading a board stores it (compaction), then saves its last version. A reload waits for
 * the first only: the version's summary of a big board keeps the worker busy for a second,
 * and someone reopening the board must not wait for it. The new room's versions are saved
 * after that one, so the history stays in order; shutdown still waits for every save.
 */
describe('reloading a board while its last version is being saved', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) removeTempDir(d);
  });

  it('loads at once, saves the versions in order, and closeAll waits for them', async () => {
    const dir = makeTempDir('planvas-unload-');
    dirs.push(dir);
    const inner = openSqliteStore(dir);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let saving = 0;
    const store: BoardStore = {
      ...inner,
      async saveVersion(boardId, version) {
        saving++;
        await gate;
        return inner.saveVersion(boardId, version);
      },
    };
    const rooms = new Rooms({ store, logger: silentLogger, metrics: new Metrics(), compactAfterUpdates: 1000 });
    const id = newId();
    await store.createBoard({ id, title: 'Unload', createdAt: new Date().toISOString() }, newBoardUpdate('Unload', new Date().toISOString()));
    const addTask = (title: string) => rooms.withRoom(id, (room) => room.applyServerEdit((doc) => createTask(doc, { title, x: 0, y: 0 }, 'test')));
    const titles = () => rooms.withRoom(id, (room) => room.read((doc) => [...readBoard(doc).tasks.values()].map((t) => t.title).sort()));
    const within = <T>(p: Promise<T>, ms: number, what: string) =>
      Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms))]);

    await addTask('first');
    // The room unloads once the edit's caller is gone: compacted, then its version is held at the gate.
    await waitFor(() => saving === 1, 'the last version is being saved');
    expect((await inner.loadBoardState(id)).updates).toHaveLength(0);

    // Reopened while that save is held: it loads the stored board at once.
    expect(await within(titles(), 2_000, 'reloading the board')).toEqual(['first']);
    await within(addTask('second'), 2_000, 'an edit after the reload');
    // The second room unloads too; its version waits behind the first one's.
    await new Promise((r) => setTimeout(r, 200));
    expect(saving).toBe(1);

    let closed = false;
    const closing = rooms.closeAll().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false);
    release();
    await closing;

    const versions = await inner.listVersions(id);
    expect(versions).toHaveLength(2);
    const contents = await Promise.all(
      versions.map(async (v) => {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, (await inner.getVersionState(id, v.id))!);
        return [...readBoard(doc).tasks.values()].map((t) => t.title).sort();
      }),
    );
    // Newest first: the second room's version, whose summary counts only what it added.
    expect(contents).toEqual([['first', 'second'], ['first']]);
    const [newest] = versions;
    expect(JSON.stringify(newest!.summary)).toContain('second');
    expect(JSON.stringify(newest!.summary)).not.toContain('"first"');
    await inner.close();
  });
});
