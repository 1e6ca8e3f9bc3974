import { afterAll, describe, expect, it } from 'vitest';
import { createTask } from '../../shared/doc/ops.ts';
import { openSqliteStore } from '../../server/storage/sqlite.ts';
import { connectClient, waitFor } from '../helpers/clients.ts';
import { createBoard, makeTempDir, removeTempDir, spawnServer } from '../helpers/server.ts';

/**
 * SIGTERM takes a version of every board with changes not yet in one — in the real server
 * process (server/main.ts under tsx), whose version summaries run in a worker thread.
 */
describe('version history: a checkpoint on SIGTERM', () => {
  const dataDir = makeTempDir();
  afterAll(() => removeTempDir(dataDir));

  it('a board edited since its last version gets one before the process exits 0, summarised by the worker', async () => {
    // An hour: no automatic checkpoint can fall due during the test.
    const server = await spawnServer({ dataDir, args: ['--checkpoint-interval', '3600'] });
    const board = await createBoard(server.url, 'Shutdown');
    const c = connectClient(server.wsUrl, board.id, board.editToken);
    try {
      c.provider.awareness.setLocalStateField('user', { name: 'Dana', color: '#aa0000', role: 'edit' });
      await c.synced;
      createTask(c.doc, { title: 'Typed before the deploy' });
      const exportUrl = `${server.url}/api/boards/${board.id}/export?format=json&token=${board.viewToken}`;
      await waitFor(async () => (await (await fetch(exportUrl)).text()).includes('Typed before the deploy'), 'the edit stored');
      const versionsUrl = `${server.url}/api/boards/${board.id}/versions?token=${board.viewToken}`;
      expect(await (await fetch(versionsUrl)).json()).toEqual([]);
    } finally {
      c.provider.shouldConnect = false;
    }
    const exit = await server.stop();
    c.destroy();
    expect(exit.code).toBe(0);
    expect(server.logs.some((l) => /summary worker failed/.test(String(l.msg)))).toBe(false);

    const store = openSqliteStore(dataDir);
    try {
      const versions = await store.listVersions(board.id);
      expect(versions).toHaveLength(1);
      expect(versions[0]).toMatchObject({ kind: 'auto', authors: ['Dana'] });
      expect(versions[0]!.summary.tasksAdded.map((t) => t.title)).toEqual(['Typed before the deploy']);
    } finally {
      await store.close();
    }
  }, 60_000);
});
