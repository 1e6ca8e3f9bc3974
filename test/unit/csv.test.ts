import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initBoardDocument } from '../../shared/doc/init.ts';
import { createDependency, createTask } from '../../shared/doc/ops.ts';
import { setParent } from '../../shared/doc/planOps.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { parseCost, parseDate, parseDuration, parsePredecessors, parseResources } from '../../shared/formats/csv/cells.ts';
import { applyPlanRows, exportPlanCsv, parsePlanCsv, type PlanRow } from '../../shared/formats/csv/index.ts';
import { planOutline } from '../../shared/planning/outline.ts';
import { ROOT } from '../helpers/server.ts';

function rowsOf(csv: string): PlanRow[] {
  const result = parsePlanCsv(csv);
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result.rows;
}

function newBoard(createdAt = '2026-01-01T00:00:00.000Z'): Y.Doc {
  const doc = new Y.Doc();
  initBoardDocument(doc, 'Plan', createdAt);
  return doc;
}

describe('CSV cells', () => {
  it.each([
    ['5 days', 5],
    ['5d', 5],
    ['5', 5],
    ['0 days', 0],
    ['1 day', 1],
    ['2.5d', 3],
    ['5 days?', 5],
    ['16 DAYS', 16],
  ])('Duration %j -> %d working days', (text, days) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: days });
  });

  it.each(['abc', '5 weeks', '-1 days', '5 days 3', ''])('Duration %j is refused with a message naming it', (text) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toBe(`Duration ${JSON.stringify(text)} is not a number of days`);
  });

  it.each([
    ['2026-01-05', '2026-01-05'],
    ['1/5/2026', '2026-01-05'],
    ['1/5/26', '2026-01-05'],
    ['Mon 1/5/26', '2026-01-05'],
    ['Mon 1/5/26 8:00 AM', '2026-01-05'],
    ['1/5/2026 17:00', '2026-01-05'],
    ['January 5, 2026', '2026-01-05'],
    ['Jan 5, 2026', '2026-01-05'],
    ['January 5, 2026 8:00 AM', '2026-01-05'],
    ['12/31/99', '1999-12-31'],
  ])('date %j -> %s', (text, iso) => {
    expect(parseDate(text, 'Start')).toEqual({ ok: true, value: iso });
  });

  it.each(['13/5/26', '2/30/2026', 'soon', '1/5/26 25:00', 'Tue 1/5/26'])('date %j is refused', (text) => {
    const result = parseDate(text, 'Start');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(`Start ${JSON.stringify(text)}`);
  });

  it('Predecessors: ";" or "," separated, FS default, SS/FF/SF, lags in d/day/days with + or -', () => {
    expect(parsePredecessors('3;4SS+2 days;5FF-1d')).toEqual({
      ok: true,
      value: [
        { id: 3, type: 'FS', lag: 0 },
        { id: 4, type: 'SS', lag: 2 },
        { id: 5, type: 'FF', lag: -1 },
      ],
    });
    expect(parsePredecessors('3, 4SS+2 days, 5FF-1 day, 6sf+3, 7FS+0.4d')).toEqual({
      ok: true,
      value: [
        { id: 3, type: 'FS', lag: 0 },
        { id: 4, type: 'SS', lag: 2 },
        { id: 5, type: 'FF', lag: -1 },
        { id: 6, type: 'SF', lag: 3 },
        { id: 7, type: 'FS', lag: 0 },
      ],
    });
    expect(parsePredecessors('')).toEqual({ ok: true, value: [] });
    expect(parsePredecessors('3XX').ok).toBe(false);
    expect(parsePredecessors('4SS+50%').ok).toBe(false);
  });

  it.each([
    ['$1,200.50', 1200.5],
    ['1200', 1200],
    ['$1,200.00', 1200],
    ['€ 300', 300],
    ['0', 0],
  ])('Cost %j -> %d', (text, value) => {
    expect(parseCost(text)).toEqual({ ok: true, value });
  });

  it.each(['-5', 'lots', '1,20'])('Cost %j is refused', (text) => expect(parseCost(text).ok).toBe(false));

  it('Resource Names: comma or semicolon separated, units suffix dropped, de-duplicated', () => {
    expect(parseResources('Ann Lee[50%], Bo; Ann Lee')).toEqual({ ok: true, value: ['Ann Lee', 'Bo'] });
  });
});

describe('parsePlanCsv', () => {
  it('reads every column, with a BOM, odd header case and spacing, CRLF and unknown columns', () => {
    const csv = `\uFEFF  id ,NAME, duration ,Start,Finish,predecessors,% complete,resource names,COST,Milestone,Outline Level,Notes\r\n` +
      `1,Phase,,,,,,,,No,1,x\r\n2,"Design, v2",5 days,1/5/26,,,50%,"Ann, Bo","$1,200.50",No,2,\r\n3,Ship,0 days,,,2FS+1 day,50,,1200,Yes,1,\r\n`;
    const rows = rowsOf(csv);
    expect(rows).toEqual([
      { row: 2, id: 1, name: 'Phase', duration: null, start: '', finish: '', predecessors: [], progress: 0, assignees: [], cost: 0, actualCost: 0, milestone: false, outlineLevel: 1, parentId: null },
      { row: 3, id: 2, name: 'Design, v2', duration: 5, start: '2026-01-05', finish: '', predecessors: [], progress: 50, assignees: ['Ann', 'Bo'], cost: 1200.5, actualCost: 0, milestone: false, outlineLevel: 2, parentId: 1 },
      { row: 4, id: 3, name: 'Ship', duration: 0, start: '', finish: '', predecessors: [{ id: 2, type: 'FS', lag: 1 }], progress: 50, assignees: [], cost: 1200, actualCost: 0, milestone: true, outlineLevel: 1, parentId: null },
    ]);
  });

  it('only Name is required; IDs default to the position; blank rows are skipped', () => {
    const rows = rowsOf('Name\nA\n\n,\nB\n');
    expect(rows.map((r) => [r.id, r.name, r.row])).toEqual([
      [1, 'A', 2],
      [2, 'B', 5],
    ]);
  });

  it('Outline Level builds parents from the nearest row one level up', () => {
    const rows = rowsOf('ID,Name,Outline Level\n1,A,1\n2,A.1,2\n3,A.1.a,3\n4,A.2,2\n5,B,1\n6,B.1,2\n');
    expect(rows.map((r) => [r.id, r.parentId])).toEqual([
      [1, null],
      [2, 1],
      [3, 2],
      [4, 1],
      [5, null],
      [6, 5],
    ]);
  });

  it('reports every bad row at once, by spreadsheet row number, with a clear message', () => {
    const csv = [
      'ID,Name,Duration,Start,Predecessors,% Complete,Cost,Milestone,Outline Level',
      '1,Fine,5 days,,,,,,1',
      '2,Bad duration,abc,,,,,,1',
      '3,Two problems,2,someday,,150%,,,1',
      '4,Too many links,3,,"' + Array.from({ length: 101 }, (_, i) => i + 1).join(';') + '",,,,1',
      '5,Dangling,1,,99,,,,1',
      '5,Duplicate id,1,,,,,,1',
      '7,Jump,1,,,,,,3',
      '8,Bad flag,1,,,,,maybe,1',
      '9,Money,1,,,,lots,,1',
    ].join('\n');
    const result = parsePlanCsv(csv);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { row: 3, message: 'Duration "abc" is not a number of days' },
      { row: 4, message: 'Start "someday" is not a date (use 2026-01-05, 1/5/2026 or January 5, 2026); % Complete "150%" is not a percentage from 0 to 100' },
      { row: 5, message: 'Predecessors lists 101 tasks; at most 100 per task' },
      { row: 6, message: 'Predecessors: ID 99 is not in the file' },
      { row: 7, message: 'ID 5 is also used by row 6' },
      { row: 8, message: 'Outline Level 3 is more than one level below the row above (level 1)' },
      { row: 9, message: 'Milestone "maybe" is not Yes or No' },
      { row: 10, message: 'Cost "lots" is not an amount of money (e.g. 1200 or $1,200.50)' },
    ]);
  });

  it('accepts a loop of links (a board may hold one, its export must import), refuses self-links and links between a summary and its subtask', () => {
    const cycle = parsePlanCsv('ID,Name,Predecessors\n1,A,3\n2,B,1\n3,C,2\n4,D,\n');
    expect(cycle.ok).toBe(true);
    const self = parsePlanCsv('ID,Name,Predecessors\n1,A,1\n');
    expect(self.ok || self.errors[0]!.message).toBe('Predecessors: a task cannot be its own predecessor (ID 1)');
    const summary = parsePlanCsv('ID,Name,Predecessors,Outline Level\n1,A,,1\n2,A.1,1,2\n');
    expect(summary.ok || summary.errors[0]!.message).toMatch(/summary task of this task/);
  });

  it('file-level problems: empty, no data rows, no Name column, unclosed quote, too many rows, too big', () => {
    expect(parsePlanCsv('')).toEqual({ ok: false, errors: [{ row: 0, message: 'the file is empty' }] });
    expect(parsePlanCsv('Name,Duration\n\n')).toEqual({ ok: false, errors: [{ row: 0, message: 'the file has no data rows' }] });
    const noName = parsePlanCsv('Task,Duration\nA,1\n');
    expect(noName.ok || noName.errors[0]).toMatchObject({ row: 1, message: expect.stringContaining('no "Name" column') });
    const quote = parsePlanCsv('Name,Duration\n"A,1\n');
    expect(quote.ok).toBe(false);
    const many = parsePlanCsv('Name\n' + 'x\n'.repeat(10_001));
    expect(many).toEqual({ ok: false, errors: [{ row: 0, message: 'the file has more than 10,000 rows' }] });
    expect(rowsOf('Name\n' + 'x\n'.repeat(10_000))).toHaveLength(10_000);
    const big = parsePlanCsv('Name\n' + 'x'.repeat(5 * 1024 * 1024));
    expect(big).toEqual({ ok: false, errors: [{ row: 0, message: 'the file is larger than 5 MB' }] });
  });

  it('a value with an unquoted comma is reported as too many values', () => {
    const result = parsePlanCsv('Name,Cost\nA,$1,200.00\n');
    expect(result.ok || result.errors[0]!.message).toMatch(/3 values but the header has 2 columns/);
  });

  it('reads an MS Project export (test/fixtures/msproject-export.csv)', () => {
    const rows = rowsOf(fs.readFileSync(path.join(ROOT, 'test/fixtures/msproject-export.csv'), 'utf8'));
    expect(rows.map((r) => [r.id, r.name, r.duration, r.start, r.outlineLevel, r.parentId])).toEqual([
      [1, 'Website relaunch', 16, '2026-01-05', 1, null],
      [2, 'Discovery', 5, '2026-01-05', 2, 1],
      [3, 'Design', 5, '2026-01-12', 2, 1],
      [4, 'Build', 8, '2026-01-14', 2, 1],
      [5, 'QA sign-off', 1, '2026-01-26', 2, 1],
      [6, 'Launch', 0, '2026-01-26', 1, null],
    ]);
    expect(rows[1]).toMatchObject({ assignees: ['Ann Lee', 'Bo Chen'], cost: 1200, progress: 100 });
    expect(rows[3]!.predecessors).toEqual([{ id: 3, type: 'SS', lag: 2 }]);
    expect(rows[5]).toMatchObject({ milestone: true, predecessors: [{ id: 4, type: 'FF', lag: -1 }, { id: 5, type: 'FS', lag: 0 }] });
  });
});

describe('applyPlanRows', () => {
  const fixture = () => rowsOf(fs.readFileSync(path.join(ROOT, 'test/fixtures/msproject-export.csv'), 'utf8'));

  it('adds tasks, links and parents in one transaction (one update event)', () => {
    const doc = newBoard();
    const existing = createTask(doc, { title: 'Existing', x: 100, y: 50 });
    let updates = 0;
    doc.on('update', () => updates++);
    const result = applyPlanRows(doc, fixture(), 'import');
    expect(result).toEqual({ tasks: 6, dependencies: 5 });
    expect(updates).toBe(1);
    const board = readBoard(doc);
    expect(board.problems).toEqual([]);
    const byTitle = new Map([...board.tasks.values()].map((t) => [t.title, t]));
    const phase = byTitle.get('Website relaunch')!;
    expect(byTitle.get('Design')).toMatchObject({ parent: phase.id, mode: 'auto', start: '2026-01-12', duration: 5, progress: 40, budget: 2500, assignees: ['Ann Lee'] });
    expect(byTitle.get('Launch')).toMatchObject({ parent: '', milestone: true, status: 'todo' });
    // The Kanban column comes from % complete: files carry progress, not a board status.
    expect(byTitle.get('Discovery')!.status).toBe('done');
    expect(byTitle.get('Design')!.status).toBe('in-progress');
    expect(byTitle.get('Launch')!.duration === 0).toBe(true); // the read layer gives -0 for 0 (validators' Math.ceil)
    const links = [...board.deps.values()].map((d) => [board.tasks.get(d.from)!.title, board.tasks.get(d.to)!.title, d.type, d.lag]);
    expect(links).toEqual(
      expect.arrayContaining([
        ['Discovery', 'Design', 'FS', 0],
        ['Design', 'Build', 'SS', 2],
        ['Build', 'Launch', 'FF', -1],
        ['QA sign-off', 'Launch', 'FS', 0],
        ['Build', 'QA sign-off', 'FS', 0],
      ]),
    );
    // After the existing task in the outline, in file order; cards below the existing one, not overlapping.
    expect(planOutline(board.tasks.values()).map((e) => board.tasks.get(e.id)!.title)).toEqual([
      'Existing', 'Website relaunch', 'Discovery', 'Design', 'Build', 'QA sign-off', 'Launch',
    ]);
    const cards = [...board.tasks.values()].filter((t) => t.id !== existing);
    for (const card of cards) expect(card.y).toBeGreaterThanOrEqual(50 + 130);
    const positions = new Set(cards.map((c) => `${c.x},${c.y}`));
    expect(positions.size).toBe(cards.length);
    // The project start in effect (creation date 2026-01-01) is not later than the earliest import: unchanged.
    expect(board.meta.projectStart).toBe('2026-01-01'); // not later than the earliest import: unchanged
  });

  it('moves the project start back to the earliest imported start, and computes durations from Start+Finish', () => {
    const doc = newBoard('2026-03-01T00:00:00.000Z');
    applyPlanRows(doc, rowsOf('Name,Start,Finish\nA,1/5/2026,1/9/2026\nB,2026-01-12,2026-01-20\n'));
    const board = readBoard(doc);
    expect(board.meta.projectStart).toBe('2026-01-05');
    expect([...board.tasks.values()].map((t) => t.duration).sort()).toEqual([5, 7]);
  });
});

describe('exportPlanCsv', () => {
  it('writes the columns, scheduled dates, MS Project predecessors and outline levels', () => {
    const doc = newBoard('2026-01-05T00:00:00.000Z');
    const phase = createTask(doc, { title: 'Phase', rank: 'a0' });
    const a = createTask(doc, { title: 'Design, "v2"', duration: 5, rank: 'a1', assignees: ['Ann', 'Bo'], budget: 1200.5, progress: 50 });
    const b = createTask(doc, { title: 'Build', duration: 3, rank: 'a2' });
    const m = createTask(doc, { title: 'Launch', milestone: true, duration: 0, rank: 'a3' });
    setParent(doc, a, phase);
    setParent(doc, b, phase);
    createDependency(doc, a, b, { type: 'SS', lag: 2 });
    createDependency(doc, b, m, { type: 'FF', lag: -1 });
    const csv = exportPlanCsv({ ...readBoard(doc), today: '2026-01-05' });
    expect(csv.split('\r\n')).toEqual([
      'ID,Name,Duration,Start,Finish,Predecessors,% Complete,Resource Names,Cost,Milestone,Outline Level,Actual Cost',
      '1,Phase,5 days,2026-01-05,2026-01-09,,31.25%,,1200.5,No,1,0',
      '2,"Design, ""v2""",5 days,2026-01-05,2026-01-09,,50%,"Ann,Bo",1200.5,No,2,0',
      '3,Build,3 days,2026-01-07,2026-01-09,2SS+2 days,0%,,0,No,2,0',
      '4,Launch,0 days,2026-01-08,2026-01-08,3FF-1 day,0%,,0,Yes,1,0',
    ]);
  });

  it('round trip: export -> parse -> apply into an empty board -> export gives the same CSV', () => {
    const source = newBoard('2026-01-05T00:00:00.000Z');
    applyPlanRows(source, rowsOf(fs.readFileSync(path.join(ROOT, 'test/fixtures/msproject-export.csv'), 'utf8')));
    const first = exportPlanCsv({ ...readBoard(source), today: '2026-01-05' });
    const target = newBoard('2026-01-05T00:00:00.000Z');
    applyPlanRows(target, rowsOf(first));
    const second = exportPlanCsv({ ...readBoard(target), today: '2026-01-05' });
    expect(second).toBe(first);
    expect(first.split('\r\n')).toHaveLength(7);
  });
});

describe('what a board can hold exports and imports again', () => {
  it('untitled tasks, a formula-looking title, a loop of links and a duplicate link made by two peers', () => {
    const source = newBoard('2026-01-05T00:00:00.000Z');
    const a = createTask(source, { title: '' });
    const b = createTask(source, { title: '=HYPERLINK("http://evil","x")' });
    const c = createTask(source, { title: 'C', actualCost: 250 });
    createDependency(source, a, b);
    createDependency(source, b, c);
    // Two people linking at once: a loop (c -> a) and a second a -> b, written raw as a peer would.
    const deps = source.getMap('deps');
    for (const [id, from, to] of [['loop', c, a], ['twin', a, b]] as const) {
      const e = new Y.Map<unknown>();
      e.set('from', from);
      e.set('to', to);
      e.set('type', 'FS');
      e.set('lag', 0);
      deps.set(id, e);
    }
    const csv = exportPlanCsv({ ...readBoard(source), today: '2026-01-05' });
    expect(csv).toContain(`'=HYPERLINK`);
    const parsed = parsePlanCsv(csv);
    expect(parsed.ok).toBe(true);
    const target = newBoard('2026-01-05T00:00:00.000Z');
    expect(applyPlanRows(target, rowsOf(csv))).toMatchObject({ tasks: 3, dependencies: 3 });
    const titles = [...readBoard(target).tasks.values()].map((t) => t.title).sort();
    expect(titles).toEqual(['', '=HYPERLINK("http://evil","x")', 'C']);
    expect([...readBoard(target).tasks.values()].find((t) => t.title === 'C')!.actualCost).toBe(250);
    expect(exportPlanCsv({ ...readBoard(target), today: '2026-01-05' })).toBe(csv);
  });

  it('refuses a file that would make more links than one import may add', () => {
    const ids = Array.from({ length: 100 }, (_, i) => i + 1);
    const lines = ['ID,Name,Predecessors', ...ids.map((id) => `${id},T${id},`)];
    for (let id = 101; id <= 10_000; id++) lines.push(`${id},T${id},"${ids.slice(0, 2).join(";")}"`); // 19,800 links: allowed
    const result = parsePlanCsv(lines.join('\n'));
    expect(result.ok).toBe(true);
    const heavy = ['ID,Name,Predecessors', ...ids.map((id) => `${id},T${id},`)];
    for (let id = 101; id <= 400; id++) heavy.push(`${id},T${id},"${ids.join(';')}"`);
    const refused = parsePlanCsv(heavy.join('\n'));
    expect(refused.ok || refused.errors).toEqual([{ row: 0, message: 'the file has 30,000 links; at most 20,000 can be imported at once' }]);
  });
});
