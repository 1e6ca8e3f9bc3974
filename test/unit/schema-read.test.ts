import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readBoard, readDependency, readNote, readTask, type ReadProblem } from '../../shared/doc/read.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import { DEFAULT_TASK_SIZE, MAX_SHAPE_SIZE, MIN_SHAPE_SIZE } from '../../shared/schema/entities.ts';
import { isIsoDate } from '../../shared/schema/validators.ts';

function entity(fields: Record<string, unknown>): Y.Map<unknown> {
  const doc = new Y.Doc();
  const map = doc.getMap('tasks');
  const e = new Y.Map<unknown>();
  map.set('t', e);
  for (const [k, v] of Object.entries(fields)) e.set(k, v);
  return e;
}

describe('reading a task written by any peer', () => {
  it('fills every missing field with its default and reports nothing', () => {
    const problems: ReadProblem[] = [];
    const task = readTask('t1', entity({}), (p) => problems.push(p));
    expect(task).toEqual({
      id: 't1', kind: 'task', title: '', x: 0, y: 0, w: DEFAULT_TASK_SIZE.w, h: DEFAULT_TASK_SIZE.h,
      color: '#ffffff', z: 'a0', description: '', assignees: [], status: '', priority: '', start: '', duration: 1,
      progress: 0, estimate: 0, budget: 0, actualCost: 0, milestone: false, parent: '', mode: 'auto', rank: '', boardRank: '',
    });
    expect(problems).toEqual([]);
  });

  it.each([
    ['x', 'ten', 0],
    ['x', Number.NaN, 0],
    ['y', Infinity, 0],
    ['x', 1e9, 0],
    ['title', 42, ''],
    ['color', 'red', '#ffffff'],
    ['color', { r: 1 }, '#ffffff'],
    ['z', '', 'a0'],
    ['z', 'zzz', 'a0'],
    ['z', 7, 'a0'],
    ['start', '2024-02-30', ''],
    ['start', 'tomorrow', ''],
    ['status', ['done'], ''],
    ['duration', -1, 1],
    ['duration', '5', 1],
    ['progress', 140, 0],
    ['budget', -5, 0],
    ['milestone', 'yes', false],
    ['mode', 'fixed', 'auto'],
    ['priority', 'p0', ''],
    ['assignees', 'Ada', []],
    ['rank', '!!', ''],
  ])('replaces a wrong %s (%o) with %o and reports it', (field, value, expected) => {
    const problems: ReadProblem[] = [];
    const task = readTask('t1', entity({ [field]: value }), (p) => problems.push(p));
    expect(task?.[field as keyof typeof task]).toEqual(expected);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain(field);
  });

  it('reads a schema v1 task (one assignee, start and end) as v2 fields', () => {
    const task = readTask('t', entity({ assignee: 'Ada', start: '2026-01-05', end: '2026-01-13' }));
    expect(task).toMatchObject({ assignees: ['Ada'], start: '2026-01-05', duration: 7 });
  });

  it('rounds durations up to whole working days and tidies assignees', () => {
    const task = readTask('t', entity({ duration: 2.5, assignees: [' Ada ', 'Ada', '', 'Bob'] }));
    expect(task).toMatchObject({ duration: 3, assignees: ['Ada', 'Bob'] });
  });

  it('clamps sizes into the allowed range and normalises colours', () => {
    const task = readTask('t', entity({ w: 1, h: 1e6, color: '#ABCDEF' }));
    expect(task?.w).toBe(MIN_SHAPE_SIZE);
    expect(task?.h).toBe(MAX_SHAPE_SIZE);
    expect(task?.color).toBe('#abcdef');
  });

  it('keeps unknown fields in the document untouched', () => {
    const e = entity({ title: 'A', futureField: { nested: true } });
    readTask('t', e);
    expect(e.get('futureField')).toEqual({ nested: true });
  });

  it('skips and reports an entry that is not a Y.Map', () => {
    const problems: ReadProblem[] = [];
    expect(readTask('t', { title: 'plain object' }, (p) => problems.push(p))).toBeNull();
    expect(readTask('t', 12, (p) => problems.push(p))).toBeNull();
    expect(problems).toHaveLength(2);
  });

  it('reads a note body from Y.Text, or from a plain string a foreign client wrote', () => {
    const doc = new Y.Doc();
    const notes = doc.getMap('notes');
    const a = new Y.Map<unknown>();
    notes.set('a', a);
    a.set('text', new Y.Text('co-edited'));
    const b = new Y.Map<unknown>();
    notes.set('b', b);
    b.set('text', 'plain');
    expect(readNote('a', a)?.text).toBe('co-edited');
    expect(readNote('b', b)?.text).toBe('plain');
  });

  it('refuses a dependency without both ends and defaults its type and lag', () => {
    expect(readDependency('d', entity({ from: 'a' }))).toBeNull();
    expect(readDependency('d', entity({ from: 'a', to: 'b', type: 'XX', lag: 'soon' }))).toMatchObject({ type: 'FS', lag: 0 });
  });
});

describe('reading a whole board', () => {
  it('ignores dependencies whose task is gone or that loop on one task, and reports them', () => {
    const doc = new Y.Doc();
    const { tasks, deps } = boardMaps(doc);
    const t = new Y.Map<unknown>();
    tasks.set('t1', t);
    for (const [id, from, to] of [['d1', 't1', 'gone'], ['d2', 't1', 't1']]) {
      const d = new Y.Map<unknown>();
      d.set('from', from);
      d.set('to', to);
      deps.set(id as string, d);
    }
    const board = readBoard(doc);
    expect(board.deps.size).toBe(0);
    expect(board.problems.map((p) => p.id).sort()).toEqual(['d1', 'd2']);
  });

  it('gives an empty, default board for an empty document', () => {
    const board = readBoard(new Y.Doc());
    expect(board.meta).toMatchObject({ title: 'Untitled board', schemaVersion: 0, createdAt: '', projectStart: '', workingDays: [1, 2, 3, 4, 5], holidays: [], wipLimits: {} });
    expect(board.meta.statuses.map((s) => s.label)).toEqual(['To do', 'In progress', 'Blocked', 'Done']);
    expect(board.baselines).toEqual([]);
    expect(board.tasks.size + board.notes.size + board.deps.size).toBe(0);
  });
});

describe('ISO dates', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2024-13-01', false],
    ['24-01-01', false],
    ['2024-01-01T00:00', false],
  ])('%s is %s', (value, ok) => expect(isIsoDate(value)).toBe(ok));
});
