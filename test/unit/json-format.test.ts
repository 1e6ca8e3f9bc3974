import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createThread, readComments } from '../../shared/doc/comments.ts';
import { initBoardDocument } from '../../shared/doc/init.ts';
import { createDependency, createNote, createTask } from '../../shared/doc/ops.ts';
import { saveBaseline, setBoardSetting, setParent } from '../../shared/doc/planOps.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import { BOARD_FILE_LIMITS, exportBoardJson, importBoardJson, parseBoardJson, type BoardFile } from '../../shared/formats/json/index.ts';
import { scheduleReport } from '../../shared/planning/report.ts';
import { newId } from '../../shared/ids.ts';

const EXPORTED_AT = '2026-03-01T10:00:00.000Z';

/** A board with every kind of content: fields, hierarchy, typed links with lag, notes, settings, a baseline, comments. */
function richBoard(): Y.Doc {
  const doc = new Y.Doc();
  initBoardDocument(doc, 'Launch; "Q3", plan', '2026-01-02T09:00:00.000Z');
  const phase = createTask(doc, { title: 'Phase 1' });
  const a = createTask(doc, { title: 'Design', duration: 5, assignees: ['Ann', 'Bo'], status: 'in-progress', priority: 'high', progress: 40, budget: 1200, actualCost: 300, estimate: 16, color: '#e3f2fd', description: 'Wireframes\nand mockups, ü' });
  const b = createTask(doc, { title: 'Build', duration: 10, mode: 'manual', start: '2026-01-20' });
  const m = createTask(doc, { title: 'Go live', milestone: true, duration: 0 });
  setParent(doc, a, phase);
  createDependency(doc, a, b, { type: 'SS', lag: 2 });
  createDependency(doc, b, m, { type: 'FF', lag: -1 });
  createNote(doc, { text: 'Remember the launch party', x: 500, y: -40, color: '#a5d6a7' });
  setBoardSetting(doc, 'holidays', ['2026-01-19']);
  setBoardSetting(doc, 'workingDays', [1, 2, 3, 4]);
  setBoardSetting(doc, 'viewersMayComment', true); // a permission: restores keep it, a board file carries it
  saveBaseline(doc, 'Kickoff', { [a]: { start: '2026-01-05', finish: '2026-01-09', duration: 5, cost: 1200 } }, '2026-01-03T08:00:00.000Z');
  const thread = createThread(doc, { anchor: { kind: 'task', taskId: a }, text: 'Is 5 days enough?', author: { name: 'Ann', color: '#ff0000' }, now: '2026-01-04T08:00:00.000Z' });
  expect(thread.ok).toBe(true);
  return doc;
}

function parseOk(text: string) {
  const parsed = parseBoardJson(text);
  if (!parsed.ok) throw new Error(`expected ok, got ${parsed.errors.join('; ')}`);
  return parsed;
}

function blankBoard(): Y.Doc {
  const doc = new Y.Doc();
  initBoardDocument(doc, 'Target', '2026-06-01T00:00:00.000Z');
  createTask(doc, { title: 'Will be replaced' });
  return doc;
}

describe('Planvas board JSON', () => {
  it('export -> import into another board -> export is byte-identical (except exportedAt), and schedules the same', () => {
    const a = richBoard();
    const file = exportBoardJson(a, EXPORTED_AT);
    const parsed = parseOk(file);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.counts).toEqual({ tasks: 4, dependencies: 2, notes: 1, baselines: 1, comments: 1 });
    const b = blankBoard();
    importBoardJson(b, parsed.source, 'import');
    expect(exportBoardJson(b, EXPORTED_AT)).toBe(file);
    const today = '2026-02-01';
    expect(scheduleReport({ ...readBoard(b), today })).toEqual(scheduleReport({ ...readBoard(a), today }));
    expect(readComments(b).map((t) => t.messages[0]!.text)).toEqual(['Is 5 days enough?']);
    // The description is still co-editable text.
    const [id] = [...readBoard(b).tasks.values()].filter((t) => t.title === 'Design').map((t) => t.id);
    expect((boardMaps(b).tasks.get(id!) as Y.Map<unknown>).get('description')).toBeInstanceOf(Y.Text);
  });

  it('keeps everything named in the issue: fields, link type and lag, notes, baselines, settings', () => {
    const file = JSON.parse(exportBoardJson(richBoard(), EXPORTED_AT)) as BoardFile;
    expect(file).toMatchObject({ format: 'planvas-board', version: 1, exportedAt: EXPORTED_AT });
    const tasks = Object.values(file.board.tasks);
    expect(tasks.find((t) => t.title === 'Design')).toMatchObject({ duration: 5, assignees: ['Ann', 'Bo'], progress: 40, budget: 1200, description: 'Wireframes\nand mockups, ü', color: '#e3f2fd' });
    expect(Object.values(file.board.deps).map((d) => [d.type, d.lag]).sort()).toEqual([['FF', -1], ['SS', 2]]);
    expect(Object.values(file.board.notes)[0]).toMatchObject({ text: 'Remember the launch party', x: 500, y: -40 });
    expect(Object.values(file.board.baselines)[0]).toMatchObject({ name: 'Kickoff' });
    expect(file.board.meta).toMatchObject({ title: 'Launch; "Q3", plan', holidays: ['2026-01-19'], workingDays: [1, 2, 3, 4] });
  });

  it('the import is one transaction with the given origin (one undo step) and replaces what was there', () => {
    const parsed = parseOk(exportBoardJson(richBoard(), EXPORTED_AT));
    const b = blankBoard();
    const origin = { user: 'me' };
    const undo = new Y.UndoManager([boardMaps(b).tasks, boardMaps(b).deps, boardMaps(b).notes, boardMaps(b).meta], { trackedOrigins: new Set([origin]) });
    let transactions = 0;
    b.on('afterTransaction', () => transactions++);
    importBoardJson(b, parsed.source, origin);
    expect(transactions).toBe(1);
    expect([...readBoard(b).tasks.values()].map((t) => t.title).sort()).toEqual(['Build', 'Design', 'Go live', 'Phase 1']);
    undo.undo();
    expect([...readBoard(b).tasks.values()].map((t) => t.title)).toEqual(['Will be replaced']);
  });

  it('reports unknown fields, unusable values and dangling links as warnings, and imports the rest', () => {
    const file = JSON.parse(exportBoardJson(richBoard(), EXPORTED_AT)) as BoardFile;
    const [taskId] = Object.keys(file.board.tasks);
    file.board.tasks[taskId!]!.frobnicate = 1;
    file.board.tasks[taskId!]!.progress = 250;
    file.board.deps[newId()] = { from: taskId!, to: newId(), type: 'FS', lag: 0 };
    const parsed = parseOk(JSON.stringify(file));
    expect(parsed.warnings).toEqual([
      `tasks/${taskId}: unknown field "frobnicate" dropped`,
      `tasks/${taskId}: progress: Too big: expected number to be <=100; default used`,
      expect.stringMatching(/^deps\/.*: links a task that is not in the file/),
    ]);
    expect(parsed.counts.dependencies).toBe(2);
  });

  it.each([
    ['not JSON', '{"format":', /not valid JSON/],
    ['another format', '{"format":"excalidraw","version":1,"board":{}}', /not a Planvas board file/],
    ['a newer version', '{"format":"planvas-board","version":9,"board":{}}', /newer Planvas/],
    ['no board', '{"format":"planvas-board","version":1}', /"board" is missing/],
    ['tasks as a list', '{"format":"planvas-board","version":1,"board":{"tasks":[]}}', /"tasks" is not an object/],
    ['too deep', `{"format":"planvas-board","version":1,"board":{"meta":${'['.repeat(100)}${']'.repeat(100)}}}`, /nests deeper/],
  ])('refuses %s with a clear error', (_name, text, message) => {
    const parsed = parseBoardJson(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.join('\n')).toMatch(message);
  });

  it('lists every bad entity by id and builds nothing', () => {
    const good = newId();
    const text = JSON.stringify({
      format: 'planvas-board',
      version: 1,
      board: { tasks: { '../etc': { title: 'x' }, [good]: 'not an object', [newId()]: { title: 'fine' } }, deps: { [newId()]: { type: 'FS' } } },
    });
    const parsed = parseBoardJson(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toHaveLength(3);
    expect(parsed.errors[0]).toMatch(/"\.\.\/etc" is not a valid id/);
    expect(parsed.errors[1]).toBe(`tasks/${good}: not an object`);
    expect(parsed.errors[2]).toMatch(/needs both "from" and "to"/);
  });

  it('caps size and entity counts', () => {
    const tooMany: Record<string, object> = {};
    for (let i = 0; i <= BOARD_FILE_LIMITS.baselines; i++) tooMany[newId()] = {};
    const parsed = parseBoardJson(JSON.stringify({ format: 'planvas-board', version: 1, board: { baselines: tooMany } }));
    expect(parsed.ok === false && parsed.errors[0]).toMatch(/at most 500/);
    const huge = parseBoardJson(' '.repeat(BOARD_FILE_LIMITS.maxBytes + 1));
    expect(huge.ok === false && huge.errors[0]).toMatch(/larger than/);
  });

  it('reports progress while validating', () => {
    const tasks: Record<string, object> = {};
    for (let i = 0; i < 1200; i++) tasks[newId()] = { title: `T${i}` };
    const seen: number[] = [];
    parseBoardJson(JSON.stringify({ format: 'planvas-board', version: 1, board: { tasks } }), { onProgress: (done, total) => seen.push(done / total) });
    expect(seen).toEqual([500 / 1200, 1000 / 1200, 1]);
  });
});
