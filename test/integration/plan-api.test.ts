import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { exportPlanCsv } from '../../shared/formats/csv/index.ts';
import type { ScheduleReport } from '../../shared/planning/report.ts';
import { signToken } from '../../server/auth/tokens.ts';
import { waitFor } from '../helpers/clients.ts';
import { ROOT, TEST_SECRET, createBoard, startTestServer, type TestServer } from '../helpers/server.ts';
import { serverSuite } from '../helpers/suite.ts';

const FIXTURE = fs.readFileSync(path.join(ROOT, 'test/fixtures/msproject-export.csv'), 'utf8');
const today = () => new Date().toISOString().slice(0, 10);

describe('plan REST API: schedule, export, import', () => {
  let server: TestServer;
  const { dataDir, clients, url, client } = serverSuite(() => server);
  beforeAll(async () => {
    server = await startTestServer({ dataDir });
  });

  const importCsv = (id: string, token: string | undefined, body: string | Blob, query = 'format=csv') =>
    fetch(url(id, 'import', token, query), { method: 'POST', headers: { 'content-type': 'text/csv' }, body });
  const getSchedule = async (id: string, token: string) => {
    const res = await fetch(url(id, 'schedule', token));
    expect(res.status).toBe(200);
    return (await res.json()) as ScheduleReport;
  };

  it('import with the edit token: 200, a connected client sees the tasks, the schedule and the export reflect them', async () => {
    const board = await createBoard(server.url, 'Relaunch / Q1');
    const watcher = await client(board.id, board.viewToken);
    const res = await importCsv(board.id, board.editToken, FIXTURE);
    expect(res.status).toBe(200);
    // The board was created today; the plan starts in January 2026, so the project start moves back to hold it.
    expect(await res.json()).toEqual({ imported: { tasks: 6, dependencies: 5, projectStart: '2026-01-05' }, warnings: [] });
    await waitFor(() => readBoard(watcher.doc).tasks.size === 6 && readBoard(watcher.doc).deps.size === 5, 'the client to see the import');

    const report = await getSchedule(board.id, board.viewToken);
    expect(report.tasks.map((t) => t.title)).toEqual(['Website relaunch', 'Discovery', 'Design', 'Build', 'QA sign-off', 'Launch']);
    const byTitle = new Map(report.tasks.map((t) => [t.title, t]));
    expect(byTitle.get('Discovery')).toMatchObject({ earlyStart: '2026-01-05', earlyFinish: '2026-01-09', critical: true, totalFloat: 0 });
    expect(byTitle.get('Build')).toMatchObject({ earlyStart: '2026-01-14', earlyFinish: '2026-01-23', critical: true });
    expect(byTitle.get('Launch')).toMatchObject({ earlyStart: '2026-01-26', critical: true });
    expect(report.projectFinish).toBe('2026-01-26');
    expect(report.cycles).toEqual([]);
    for (const t of report.tasks) expect(Object.keys(t).sort()).toEqual(['critical', 'earlyFinish', 'earlyStart', 'freeFloat', 'id', 'lateFinish', 'lateStart', 'title', 'totalFloat']);

    const exported = await fetch(url(board.id, 'export', board.viewToken, 'format=csv'));
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="Relaunch _ Q1\.csv"/);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await exported.arrayBuffer());
    expect(text).toBe('\uFEFF' + exportPlanCsv({ ...readBoard(watcher.doc), today: today() }));
    expect(text).toContain('4,Build,8 days,2026-01-14,2026-01-23,3SS+2 days,0%,"Carl Diaz,Bo Chen",6000,No,2,0');
  });

  it('the schedule reports cycles made by peers', async () => {
    const board = await createBoard(server.url);
    await importCsv(board.id, board.editToken, 'ID,Name,Predecessors\n1,A,\n2,B,1\n');
    const editor = await client(board.id, board.editToken);
    await waitFor(() => readBoard(editor.doc).tasks.size === 2, 'sync');
    const [a, b] = [...readBoard(editor.doc).tasks.values()].sort((x, y) => (x.title < y.title ? -1 : 1));
    // A second link closing the loop, as two people linking at once could (the ops refuse it locally).
    const { Map: YMap } = await import('yjs');
    editor.doc.transact(() => {
      const dep = new YMap<unknown>();
      dep.set('from', b!.id);
      dep.set('to', a!.id);
      dep.set('type', 'FS');
      dep.set('lag', 0);
      editor.doc.getMap('deps').set(newId(), dep);
    });
    await waitFor(async () => (await getSchedule(board.id, board.viewToken)).cycles.length === 1, 'the cycle in the schedule');
    const report = await getSchedule(board.id, board.editToken);
    expect(report.cycles[0]!.tasks.sort()).toEqual([a!.id, b!.id].sort());
    expect(report.cycles[0]!.dependencies).toHaveLength(2);
  });

  it('view token -> 403 on import and nothing changes', async () => {
    const board = await createBoard(server.url);
    const watcher = await client(board.id, board.editToken);
    const res = await importCsv(board.id, board.viewToken, FIXTURE);
    expect(res.status).toBe(403);
    expect(typeof ((await res.json()) as { error: unknown }).error).toBe('string');
    expect((await getSchedule(board.id, board.viewToken)).tasks).toEqual([]);
    expect(readBoard(watcher.doc).tasks.size).toBe(0);
  });

  it('a file with bad rows -> 400 with every bad row, and the board is unchanged', async () => {
    const board = await createBoard(server.url);
    const watcher = await client(board.id, board.editToken);
    const bad = 'ID,Name,Duration,Predecessors\n1,Fine,5 days,\n2,Broken,abc,\n3,Own predecessor,2,3\n4,Dangling,1,42\n';
    const res = await importCsv(board.id, board.editToken, bad);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'the file has 3 bad rows; nothing was imported',
      rows: [
        { row: 3, message: 'Duration "abc" is not a number of days' },
        { row: 4, message: 'Predecessors: a task cannot be its own predecessor (ID 3)' },
        { row: 5, message: 'Predecessors: ID 42 is not in the file' },
      ],
    });
    for (const body of ['', 'Name,Duration\n']) {
      const empty = await importCsv(board.id, board.editToken, body);
      expect(empty.status).toBe(400);
      expect(((await empty.json()) as { error: string }).error).toMatch(/empty|no data rows/);
    }
    expect((await getSchedule(board.id, board.editToken)).tasks).toEqual([]);
    expect(readBoard(watcher.doc).tasks.size).toBe(0);
  });

  it('errors: 401 no token, 403 wrong token, 404 unknown board or malformed id, 413 over 5 MB, 400 unsupported format', async () => {
    const board = await createBoard(server.url);
    const other = await createBoard(server.url);
    for (const route of ['schedule', 'export']) {
      expect((await fetch(url(board.id, route, undefined, 'format=csv'))).status).toBe(401);
      expect((await fetch(url(board.id, route, other.viewToken, 'format=csv'))).status).toBe(403);
      expect((await fetch(url('not-an-id', route, board.viewToken, 'format=csv'))).status).toBe(404);
      const unknown = newId();
      expect((await fetch(url(unknown, route, signToken(TEST_SECRET, unknown, 'view'), 'format=csv'))).status).toBe(404);
    }
    expect((await importCsv(board.id, undefined, 'Name\nA\n')).status).toBe(401);
    expect((await importCsv(board.id, other.editToken, 'Name\nA\n')).status).toBe(403);
    expect((await importCsv('../etc', board.editToken, 'Name\nA\n')).status).toBe(404);
    const unknown = newId();
    expect((await importCsv(unknown, signToken(TEST_SECRET, unknown, 'edit'), 'Name\nA\n')).status).toBe(404);

    const huge = new Blob(['Name\n' + 'x'.repeat(5 * 1024 * 1024 + 10)]);
    expect((await importCsv(board.id, board.editToken, huge)).status).toBe(413);

    for (const query of ['', 'format=xml']) {
      const exp = await fetch(url(board.id, 'export', board.viewToken, query));
      expect(exp.status).toBe(400);
      expect(((await exp.json()) as { error: string }).error).toMatch(/^unsupported format .*; supported: csv, json, mspdi$/);
      expect((await importCsv(board.id, board.editToken, 'Name\nA\n', query)).status).toBe(400);
    }
    expect((await getSchedule(board.id, board.editToken)).tasks).toEqual([]);
  });

  it('imported data survives a server restart', async () => {
    const board = await createBoard(server.url, 'Durable');
    expect((await importCsv(board.id, board.editToken, FIXTURE)).status).toBe(200);
    const before = await (await fetch(url(board.id, 'export', board.viewToken, 'format=csv'))).text();
    for (const c of clients.splice(0)) c.destroy();
    await server.close();
    server = await startTestServer({ dataDir });
    const after = await (await fetch(url(board.id, 'export', board.viewToken, 'format=csv'))).text();
    expect(after).toBe(before);
    const reader = await client(board.id, board.viewToken);
    expect(readBoard(reader.doc).tasks.size).toBe(6);
  });
});
