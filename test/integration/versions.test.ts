import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, updateShape } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { newId } from '../../shared/ids.ts';
import type { VersionInfo } from '../../shared/history/versions.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../shared/protocol/wire.ts';
import { signToken } from '../../server/auth/tokens.ts';
import type { Config } from '../../server/config.ts';
import { silentLogger } from '../../server/log.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { connectClient, sleep, waitFor, type TestClient } from '../helpers/clients.ts';
import { ROOT, TEST_SECRET, createBoard, makeTempDir, removeTempDir } from '../helpers/server.ts';

/** A server on port 0 with a short automatic checkpoint interval (the helper has no such option). */
async function startWithInterval(dataDir: string, checkpointIntervalMs: number): Promise<RunningServer> {
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    secret: TEST_SECRET,
    maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
    publicUrl: null,
    clientDir: path.join(ROOT, 'dist', 'client'),
    compactAfterUpdates: 500,
    checkpointIntervalMs,
    logLevel: 'debug',
  };
  return startServer(config, silentLogger);
}

const INTERVAL_MS = 300;

describe('version history REST API and automatic checkpoints', () => {
  const dataDir = makeTempDir();
  let server: RunningServer;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startWithInterval(dataDir, INTERVAL_MS);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.close();
    removeTempDir(dataDir);
  });

  const wsUrl = () => `ws://127.0.0.1:${server.port}/ws`;
  const url = (id: string, route: string, token?: string) => `${server.url}/api/boards/${id}/${route}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const list = async (id: string, token: string): Promise<VersionInfo[]> => {
    const res = await fetch(url(id, 'versions', token));
    expect(res.status).toBe(200);
    return (await res.json()) as VersionInfo[];
  };
  const post = (id: string, token: string | undefined, body: unknown, type = 'application/json') =>
    fetch(url(id, 'versions', token), { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const restore = (id: string, versionId: string, token: string | undefined) => fetch(url(id, `versions/${versionId}/restore`, token), { method: 'POST' });
  /** A stock y-websocket client that announces `name` in its awareness state, as Planvas clients do. */
  const person = async (id: string, token: string, name: string) => {
    const c = connectClient(wsUrl(), id, token);
    clients.push(c);
    c.provider.awareness.setLocalStateField('user', { name, color: '#3366ff', role: 'edit' });
    await c.synced;
    return c;
  };
  const titles = (doc: Y.Doc) => [...readBoard(doc).tasks.values()].map((t) => t.title).sort();

  it('takes automatic checkpoints while people edit, naming who changed what, and none while idle', async () => {
    const board = await createBoard(server.url, 'Checkpoints');
    const ann = await person(board.id, board.editToken, 'Ann');
    const bob = await person(board.id, board.editToken, 'Bob');
    await sleep(100); // both awareness states reach the server before the edits

    const a = createTask(ann.doc, { title: 'Design' });
    createTask(ann.doc, { title: 'Build' });
    await waitFor(async () => (await list(board.id, board.viewToken)).length === 1, 'the first automatic checkpoint', 15_000);
    const [first] = await list(board.id, board.viewToken);
    expect(first).toMatchObject({ name: '', kind: 'auto', authors: ['Ann'] });
    expect(first!.summary.counts.tasksAdded).toBe(2);
    expect(first!.summary.tasksAdded.map((t) => t.title).sort()).toEqual(['Build', 'Design']);

    // Bob moves and reschedules one task: the next checkpoint is his, against the previous one.
    await waitFor(() => readBoard(bob.doc).tasks.has(a), 'Bob to see the task');
    updateShape(bob.doc, a, { x: 400, duration: 4 });
    await waitFor(async () => (await list(board.id, board.viewToken)).length === 2, 'the second automatic checkpoint', 15_000);
    const [second] = await list(board.id, board.viewToken);
    expect(second).toMatchObject({ kind: 'auto', authors: ['Bob'] });
    expect(second!.summary.counts).toMatchObject({ tasksAdded: 0, tasksMoved: 1, tasksRescheduled: 1 });
    expect(second!.summary.tasksRescheduled).toEqual([{ id: a, title: 'Design', fields: ['duration'] }]);

    // Nobody edits: no more checkpoints.
    await sleep(INTERVAL_MS * 3);
    expect(await list(board.id, board.viewToken)).toHaveLength(2);
  });

  it('saves a named version (201), lists it newest first and serves its state to view and edit tokens', async () => {
    const board = await createBoard(server.url, 'Named');
    const ann = await person(board.id, board.editToken, 'Ann');
    await sleep(50);
    createTask(ann.doc, { title: 'Scope' });
    await waitFor(async () => (await list(board.id, board.viewToken)).length === 1, 'the automatic checkpoint', 15_000);

    const res = await post(board.id, board.editToken, { name: '  Kickoff review  ' });
    expect(res.status).toBe(201);
    const saved = (await res.json()) as VersionInfo;
    expect(saved).toMatchObject({ name: 'Kickoff review', kind: 'named', authors: [] });
    expect(saved.id).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(Date.parse(saved.createdAt)).toBeGreaterThan(Date.now() - 60_000);

    const versions = await list(board.id, board.editToken);
    expect(versions.map((v) => v.kind)).toEqual(['named', 'auto']);
    expect(versions[0]).toEqual(saved);

    for (const token of [board.viewToken, board.editToken]) {
      const state = await fetch(url(board.id, `versions/${saved.id}/state`, token));
      expect(state.status).toBe(200);
      expect(state.headers.get('content-type')).toBe('application/octet-stream');
      const doc = new Y.Doc();
      Y.applyUpdate(doc, new Uint8Array(await state.arrayBuffer()));
      expect(titles(doc)).toEqual(['Scope']);
    }
  });

  it('restores a version: backup first, connected clients see it live, it survives a restart, history keeps everything', async () => {
    const board = await createBoard(server.url, 'Restore');
    const ann = await person(board.id, board.editToken, 'Ann');
    const watcher = connectClient(wsUrl(), board.id, board.viewToken);
    clients.push(watcher);
    await watcher.synced;
    const keep = createTask(ann.doc, { title: 'Keep me', x: 10 });
    createTask(ann.doc, { title: 'Original' });
    await waitFor(() => readBoard(watcher.doc).tasks.size === 2, 'the watcher to see the tasks');
    const named = (await (await post(board.id, board.editToken, { name: 'Baseline plan' })).json()) as VersionInfo;

    // Edits after the version: one task deleted, one added, one moved.
    ann.doc.transact(() => {
      const id = [...readBoard(ann.doc).tasks.values()].find((t) => t.title === 'Original')!.id;
      ann.doc.getMap('tasks').delete(id);
    });
    createTask(ann.doc, { title: 'Added later' });
    updateShape(ann.doc, keep, { x: 900 });
    await waitFor(() => titles(watcher.doc).join() === 'Added later,Keep me', 'the watcher to see the edits');

    // A viewer may not restore; nothing changes.
    expect((await restore(board.id, named.id, board.viewToken)).status).toBe(403);
    expect((await restore(board.id, named.id, undefined)).status).toBe(401);

    const res = await restore(board.id, named.id, board.editToken);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { restored: { id: string; name: string }; backup: { id: string } };
    expect(body.restored).toEqual({ id: named.id, name: 'Baseline plan' });

    await waitFor(() => titles(watcher.doc).join() === 'Keep me,Original', 'the watcher to see the restore');
    await waitFor(() => titles(ann.doc).join() === 'Keep me,Original', 'the editor to see the restore');
    expect(readBoard(watcher.doc).tasks.get(keep)?.x).toBe(10);

    const versions = await list(board.id, board.viewToken);
    const backup = versions.find((v) => v.id === body.backup.id)!;
    expect(backup).toMatchObject({ kind: 'restore', name: 'Before restoring “Baseline plan”', restoredFrom: named.id, authors: ['Ann'] });
    expect(backup.summary.counts).toMatchObject({ tasksAdded: 1, tasksRemoved: 1, tasksMoved: 1 });
    // The backup holds the state before the restore: nothing was lost.
    const backupState = await fetch(url(board.id, `versions/${backup.id}/state`, board.viewToken));
    const backupDoc = new Y.Doc();
    Y.applyUpdate(backupDoc, new Uint8Array(await backupState.arrayBuffer()));
    expect(titles(backupDoc)).toEqual(['Added later', 'Keep me']);

    // The restore itself becomes an automatic checkpoint by "API".
    await waitFor(async () => (await list(board.id, board.viewToken)).some((v) => v.kind === 'auto' && v.authors.includes('API')), 'a checkpoint of the restore');

    // Restart: the restored board and its history are stored.
    for (const c of [ann, watcher]) c.destroy();
    await server.close();
    server = await startWithInterval(dataDir, INTERVAL_MS);
    const after = connectClient(wsUrl(), board.id, board.viewToken);
    clients.push(after);
    await after.synced;
    expect(titles(after.doc)).toEqual(['Keep me', 'Original']);
    const listed = await list(board.id, board.viewToken);
    expect(listed.map((v) => v.id)).toContain(named.id);
    expect(listed.map((v) => v.id)).toContain(backup.id);
  });

  it('a viewer can list and preview but gets 403 on saving and restoring', async () => {
    const board = await createBoard(server.url, 'Viewer');
    const saved = (await (await post(board.id, board.editToken, { name: 'v1' })).json()) as VersionInfo;
    expect((await list(board.id, board.viewToken)).map((v) => v.id)).toEqual([saved.id]);
    expect((await fetch(url(board.id, `versions/${saved.id}/state`, board.viewToken))).status).toBe(200);
    const refused = await post(board.id, board.viewToken, { name: 'sneaky' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(/view-only/);
    expect((await restore(board.id, saved.id, board.viewToken)).status).toBe(403);
    expect(await list(board.id, board.editToken)).toHaveLength(1);
  });

  it('answers 401, 403, 404, 400 and 415 for bad requests', async () => {
    const board = await createBoard(server.url, 'Errors');
    const other = await createBoard(server.url, 'Other');
    const saved = (await (await post(board.id, board.editToken, { name: 'v1' })).json()) as VersionInfo;

    expect((await fetch(url(board.id, 'versions'))).status).toBe(401);
    expect((await post(board.id, undefined, { name: 'x' })).status).toBe(401);
    expect((await fetch(url(board.id, 'versions', other.viewToken))).status).toBe(403);
    expect((await post(board.id, other.editToken, { name: 'x' })).status).toBe(403);

    const unknown = newId();
    expect((await fetch(url(unknown, 'versions', signToken(TEST_SECRET, unknown, 'view')))).status).toBe(404);
    expect((await post(unknown, signToken(TEST_SECRET, unknown, 'edit'), { name: 'x' })).status).toBe(404);
    expect((await fetch(url(board.id, `versions/${newId()}/state`, board.viewToken))).status).toBe(404);
    expect((await fetch(url(board.id, 'versions/..%2F..%2Fetc/state', board.viewToken))).status).toBe(404);
    expect((await restore(board.id, newId(), board.editToken)).status).toBe(404);
    // A version is only reachable through its own board.
    expect((await fetch(url(other.id, `versions/${saved.id}/state`, other.viewToken))).status).toBe(404);
    expect((await restore(other.id, saved.id, other.editToken)).status).toBe(404);

    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 42 }, { name: 'x'.repeat(121) }, [], 'null', '{not json', { name: 'x', restoredFrom: 'nope' }]) {
      const res = await post(board.id, board.editToken, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(typeof ((await res.json()) as { error: unknown }).error).toBe('string');
    }
    expect((await post(board.id, board.editToken, { name: 'x'.repeat(120) })).status).toBe(201);
    expect((await post(board.id, board.editToken, 'name=x', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post(board.id, board.editToken, '{"name":"x"}', 'text/plain')).status).toBe(415);
  });
});

describe('version history: a checkpoint when the board unloads', () => {
  it('stores the changes made since the last version when the last client leaves', async () => {
    const dataDir = makeTempDir();
    // An hour: no automatic checkpoint can fall due during the test.
    const server = await startWithInterval(dataDir, 3600_000);
    try {
      const board = await createBoard(server.url, 'Unload');
      const c = connectClient(`ws://127.0.0.1:${server.port}/ws`, board.id, board.editToken);
      c.provider.awareness.setLocalStateField('user', { name: 'Cleo', color: '#00aa00', role: 'edit' });
      await c.synced;
      await sleep(50);
      createTask(c.doc, { title: 'Written just before leaving' });
      await sleep(100);
      const versionsUrl = `${server.url}/api/boards/${board.id}/versions?token=${board.viewToken}`;
      expect(await (await fetch(versionsUrl)).json()).toEqual([]);
      c.destroy();
      await waitFor(async () => ((await (await fetch(versionsUrl)).json()) as unknown[]).length === 1, 'the unload checkpoint', 20_000);
      const [v] = (await (await fetch(versionsUrl)).json()) as VersionInfo[];
      expect(v).toMatchObject({ kind: 'auto', authors: ['Cleo'] });
      expect(v!.summary.tasksAdded.map((t) => t.title)).toEqual(['Written just before leaving']);
    } finally {
      await server.close();
      removeTempDir(dataDir);
    }
  });
});
