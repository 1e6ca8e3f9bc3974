import { beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { createThread, readComments } from '../../shared/doc/comments.ts';
import { createDependency, createNote, createTask } from '../../shared/doc/ops.ts';
import { saveBaseline, setBoardSetting, setParent } from '../../shared/doc/planOps.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { newId } from '../../shared/ids.ts';
import type { ScheduleReport } from '../../shared/planning/report.ts';
import { signToken } from '../../server/auth/tokens.ts';
import { waitFor } from '../helpers/clients.ts';
import { TEST_SECRET, createBoard, startTestServer, type TestServer } from '../helpers/server.ts';
import { serverSuite } from '../helpers/suite.ts';

/** The export with its one moving part (the export time) blanked. */
const withoutExportedAt = (text: string) => text.replace(/"exportedAt": "[^"]*"/, '"exportedAt": ""');

describe('formats API: JSON export/import, iCalendar feed, import refusals', () => {
  let server: TestServer;
  const { dataDir, url, client } = serverSuite(() => server);
  beforeAll(async () => {
    server = await startTestServer({ dataDir });
  });

  const post = (id: string, format: string, token: string | undefined, body: string, type = 'application/json') =>
    fetch(url(id, 'import', token, `format=${format}`), { method: 'POST', headers: { 'content-type': type }, body });
  const exportJson = async (id: string, token: string) => {
    const res = await fetch(url(id, 'export', token, 'format=json'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".*\.json"/);
    return res.text();
  };
  const schedule = async (id: string, token: string) => (await (await fetch(url(id, 'schedule', token))).json()) as ScheduleReport;

  /** Board A, written live by a stock y-websocket client: every kind of content. */
  async function richBoard() {
    const board = await createBoard(server.url, 'Source plan');
    const editor = await client(board.id, board.editToken);
    const doc: Y.Doc = editor.doc;
    const phase = createTask(doc, { title: 'Phase 1' });
    const a = createTask(doc, { title: 'Design', duration: 5, assignees: ['Ann'], progress: 30, budget: 900, description: 'mockups' });
    const b = createTask(doc, { title: 'Build', duration: 8 });
    const m = createTask(doc, { title: 'Launch', milestone: true, duration: 0 });
    setParent(doc, a, phase);
    createDependency(doc, a, b, { type: 'SS', lag: 3 });
    createDependency(doc, b, m, { type: 'FS', lag: -1 });
    createNote(doc, { text: 'Party!', x: 900 });
    setBoardSetting(doc, 'projectStart', '2026-03-02');
    setBoardSetting(doc, 'holidays', ['2026-03-10']);
    saveBaseline(doc, 'Plan of record', { [a]: { start: '2026-03-02', finish: '2026-03-06', duration: 5, cost: 900 } }, '2026-03-01T00:00:00.000Z');
    createThread(doc, { anchor: { kind: 'point', x: 10, y: 20 }, text: 'Looks good', author: { name: 'Bo', color: '#00ff00' } });
    await waitFor(async () => (await schedule(board.id, board.viewToken)).tasks.length === 4, 'the server to have the edits');
    await waitFor(async () => JSON.parse(await exportJson(board.id, board.viewToken)).board.comments !== undefined, 'the comment to reach the server');
    return { board, ids: { a, b, m } };
  }

  it('JSON: export of A, imported into B, exports identically and schedules identically; a connected client sees it live', async () => {
    const { board: a } = await richBoard();
    const fileA = await exportJson(a.id, a.viewToken);
    const b = await createBoard(server.url, 'Target');
    const watcher = await client(b.id, b.viewToken);
    const res = await post(b.id, 'json', b.editToken, fileA);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ imported: { tasks: 4, dependencies: 2, notes: 1, baselines: 1, comments: 1 }, warnings: [] });
    expect(withoutExportedAt(await exportJson(b.id, b.viewToken))).toBe(withoutExportedAt(fileA));
    expect(await schedule(b.id, b.viewToken)).toEqual(await schedule(a.id, a.viewToken));
    // The stock y-websocket client on B got the import as a live update.
    await waitFor(() => readBoard(watcher.doc).tasks.size === 4 && readBoard(watcher.doc).deps.size === 2, 'the watcher to see the import');
    expect(readBoard(watcher.doc).meta.title).toBe('Source plan');
    expect(readComments(watcher.doc).map((t) => t.messages[0]!.text)).toEqual(['Looks good']);
  });

  it('viewers get 403 on every import format, and nothing is written', async () => {
    const board = await createBoard(server.url);
    const bodies: Record<string, [string, string]> = {
      csv: ['Name\nA\n', 'text/csv'],
      json: [JSON.stringify({ format: 'planvas-board', version: 1, board: { tasks: { [newId()]: { title: 'x' } } } }), 'application/json'],
      mspdi: ['<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><Tasks/></Project>', 'application/xml'],
    };
    for (const [format, [body, type]] of Object.entries(bodies)) {
      const res = await post(board.id, format, board.viewToken, body, type);
      expect(res.status, format).toBe(403);
      expect(((await res.json()) as { error: string }).error).toMatch(/view-only/);
    }
    expect((await schedule(board.id, board.viewToken)).tasks).toEqual([]);
  });

  it('a bad JSON file is 400 with every problem listed, and nothing is written', async () => {
    const board = await createBoard(server.url, 'Untouched');
    const watcher = await client(board.id, board.viewToken);
    const bad = JSON.stringify({
      format: 'planvas-board',
      version: 1,
      board: { tasks: { 'bad id': { title: 'x' }, [newId()]: { title: 'fine' } }, notes: { [newId()]: 7 } },
    });
    const res = await post(board.id, 'json', board.editToken, bad);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; problems: string[] };
    expect(body.error).toBe('the file has 2 problems; nothing was imported');
    expect(body.problems).toEqual([expect.stringMatching(/"bad id" is not a valid id/), expect.stringMatching(/^notes\/.*: not an object$/)]);
    for (const text of ['not json', '{"format":"other"}']) expect((await post(board.id, 'json', board.editToken, text)).status).toBe(400);
    expect((await schedule(board.id, board.viewToken)).tasks).toEqual([]);
    expect(readBoard(watcher.doc).meta.title).toBe('Untouched');
  });

  it('refuses a wrong content type with 415 and an unknown format with 400', async () => {
    const board = await createBoard(server.url);
    const file = JSON.stringify({ format: 'planvas-board', version: 1, board: {} });
    expect((await post(board.id, 'json', board.editToken, file, 'multipart/form-data; boundary=x')).status).toBe(415);
    expect((await post(board.id, 'json', board.editToken, file, 'text/csv')).status).toBe(415);
    expect((await post(board.id, 'csv', board.editToken, 'Name\nA\n', 'application/json')).status).toBe(415);
    // What browsers and curl send for files they do not know is fine for every format.
    expect((await post(board.id, 'json', board.editToken, file, 'application/octet-stream')).status).toBe(200);
    expect((await post(board.id, 'json', board.editToken, file, 'text/plain')).status).toBe(200);
    expect((await post(board.id, 'yaml', board.editToken, file)).status).toBe(400);
  });

  it('MS Project XML: export, then import into an empty board, reproduces the tasks and the schedule; a broken file is 400 with nothing written', async () => {
    const { board: a } = await richBoard();
    const exported = await fetch(url(a.id, 'export', a.viewToken, 'format=mspdi'));
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(exported.headers.get('content-disposition')).toMatch(/filename="Source plan\.xml"/);
    const xml = await exported.text();
    expect(xml).toContain('<Project xmlns="http://schemas.microsoft.com/project">');

    const b = await createBoard(server.url, 'From MS Project');
    const watcher = await client(b.id, b.viewToken);
    const res = await post(b.id, 'mspdi', b.editToken, xml, 'application/xml');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { imported: { tasks: number; dependencies: number }; warnings: string[] };
    expect(body.imported).toMatchObject({ tasks: 4, dependencies: 2 });
    await waitFor(() => readBoard(watcher.doc).tasks.size === 4, 'the watcher to see the MSPDI import');
    const dates = (r: ScheduleReport) => r.tasks.map((t) => [t.title, t.earlyStart, t.earlyFinish]);
    expect(dates(await schedule(b.id, b.viewToken))).toEqual(dates(await schedule(a.id, a.viewToken)));

    const c = await createBoard(server.url);
    const broken = await post(c.id, 'mspdi', c.editToken, '<Project><Tasks><Task>', 'text/xml');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { problems: unknown[] }).problems.length).toBeGreaterThan(0);
    expect((await schedule(c.id, c.viewToken)).tasks).toEqual([]);
  });

  it('calendar.ics: 200 text/calendar with either token, 401 without, 403 with a wrong one, 404 for an unknown board', async () => {
    const { board, ids } = await richBoard();
    for (const token of [board.viewToken, board.editToken]) {
      const res = await fetch(url(board.id, 'calendar.ics', token));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="Source plan\.ics"/);
      const text = await res.text();
      expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
      expect(text).toContain(`UID:${board.id}-${ids.m}-milestone@planvas`);
      expect(text).toContain(`UID:${board.id}-${ids.a}-due@planvas`);
      // Design: 5 working days from Mon 2 Mar 2026.
      expect(text).toMatch(new RegExp(`UID:${board.id}-${ids.a}-due@planvas\r\nDTSTAMP:\\d{8}T\\d{6}Z\r\nDTSTART;VALUE=DATE:20260306\r\n`));
      // Links in the feed never carry a token.
      expect(text).not.toContain(token);
      expect(text).toContain(`URL:${server.url}/b/${board.id}`);
    }
    const other = await createBoard(server.url);
    expect((await fetch(url(board.id, 'calendar.ics'))).status).toBe(401);
    expect((await fetch(url(board.id, 'calendar.ics', other.viewToken))).status).toBe(403);
    expect((await fetch(url(board.id, 'calendar.ics', 'garbage'))).status).toBe(403);
    const unknown = newId();
    expect((await fetch(url(unknown, 'calendar.ics', signToken(TEST_SECRET, unknown, 'view')))).status).toBe(404);
  });
});
