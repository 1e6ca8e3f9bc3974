import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initBoardDocument } from '../../shared/doc/init.ts';
import { createDependency, createNote, createTask, deleteEntities, setNoteText, updateShape } from '../../shared/doc/ops.ts';
import { updateDependency } from '../../shared/doc/planOps.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { diffBoards, emptyBoardContent, taskChanges } from '../../shared/history/diff.ts';
import { CHANGE_KINDS, readSummary, summaryLine, type ChangeKind } from '../../shared/history/summary.ts';
import { versionsToPrune } from '../../server/history/retention.ts';
import type { VersionRecord } from '../../server/storage/types.ts';
import { emptySummary } from '../../shared/history/summary.ts';
import { describeChange, previewRows } from '../../client/history/previewRows.ts';

/** A board with tasks A and B linked A -> B, and one note. */
function base() {
  const doc = new Y.Doc();
  initBoardDocument(doc, 'Plan', '2026-01-05T09:00:00.000Z');
  const a = createTask(doc, { title: 'A', x: 0, y: 0, duration: 2 });
  const b = createTask(doc, { title: 'B', x: 300, y: 0, duration: 3 });
  const link = createDependency(doc, a, b);
  if (!('id' in link)) throw new Error('link refused');
  const dep = link.id;
  const note = createNote(doc, { text: 'hello\nsecond line' });
  return { doc, a, b, dep, note };
}

type Ids = ReturnType<typeof base>;

/** Only the non-zero counts: what a reader of the summary line would see. */
function nonZero(counts: Record<ChangeKind, number>): Partial<Record<ChangeKind, number>> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

const CASES: Array<{ name: string; edit: (ids: Ids) => void; counts: Partial<Record<ChangeKind, number>>; line: string }> = [
  { name: 'nothing', edit: () => {}, counts: {}, line: 'No changes' },
  { name: 'a task added', edit: ({ doc }) => void createTask(doc, { title: 'C' }), counts: { tasksAdded: 1 }, line: '1 task added' },
  { name: 'a task removed (its link goes with it)', edit: ({ doc, b }) => deleteEntities(doc, [b]), counts: { tasksRemoved: 1, depsRemoved: 1 }, line: '1 task removed · 1 link removed' },
  { name: 'a task renamed', edit: ({ doc, a }) => updateShape(doc, a, { title: 'A2' }), counts: { tasksRenamed: 1 }, line: '1 renamed' },
  { name: 'a task moved on the canvas', edit: ({ doc, a }) => updateShape(doc, a, { x: 50, y: 60 }), counts: { tasksMoved: 1 }, line: '1 moved' },
  { name: 'a task rescheduled', edit: ({ doc, a }) => updateShape(doc, a, { start: '2026-02-02' }), counts: { tasksRescheduled: 1 }, line: '1 rescheduled' },
  { name: 'a milestone made', edit: ({ doc, b }) => updateShape(doc, b, { milestone: true }), counts: { tasksRescheduled: 1 }, line: '1 rescheduled' },
  { name: 'status and progress', edit: ({ doc, a }) => updateShape(doc, a, { status: 'done', progress: 100 }), counts: { tasksUpdated: 1 }, line: '1 updated' },
  {
    name: 'one task renamed, moved and rescheduled at once',
    edit: ({ doc, a }) => updateShape(doc, a, { title: 'A!', x: 1, duration: 9 }),
    counts: { tasksRenamed: 1, tasksMoved: 1, tasksRescheduled: 1 },
    line: '1 renamed · 1 rescheduled · 1 moved',
  },
  { name: 'a link added', edit: ({ doc, b }) => void createDependency(doc, b, createTask(doc, { title: 'C' })), counts: { tasksAdded: 1, depsAdded: 1 }, line: '1 task added · 1 link added' },
  { name: 'a link retyped', edit: ({ doc, dep }) => updateDependency(doc, dep, { type: 'SS', lag: 2 }), counts: { depsChanged: 1 }, line: '1 link changed' },
  { name: 'a note edited', edit: ({ doc, note }) => setNoteText(doc, note, 'bye'), counts: { notesChanged: 1 }, line: '1 note edited' },
  { name: 'a note removed', edit: ({ doc, note }) => deleteEntities(doc, [note]), counts: { notesRemoved: 1 }, line: '1 note removed' },
  { name: 'the board renamed', edit: ({ doc }) => doc.getMap('meta').set('title', 'Plan B'), counts: { settingsChanged: 1 }, line: '1 setting changed' },
];

describe('diffBoards', () => {
  for (const c of CASES) {
    it(`summarises: ${c.name}`, () => {
      const ids = base();
      const before = readBoard(ids.doc);
      c.edit(ids);
      const summary = diffBoards(before, readBoard(ids.doc));
      expect(nonZero(summary.counts)).toEqual(c.counts);
      expect(summaryLine(summary)).toBe(c.line);
      for (const kind of CHANGE_KINDS) expect(summary[kind]).toHaveLength(summary.counts[kind]);
    });
  }

  it('names what changed: titles, the title before a rename, links by their tasks, notes by their first line', () => {
    const { doc, a, b, note } = base();
    const before = readBoard(doc);
    updateShape(doc, a, { title: 'Alpha', status: 'done' });
    setNoteText(doc, note, 'changed note');
    deleteEntities(doc, [b]);
    const s = diffBoards(before, readBoard(doc));
    expect(s.tasksRenamed).toEqual([{ id: a, title: 'Alpha', from: 'A' }]);
    expect(s.tasksUpdated).toEqual([{ id: a, title: 'Alpha', fields: ['status'] }]);
    expect(s.tasksRemoved).toEqual([{ id: b, title: 'B' }]);
    expect(s.depsRemoved[0]!.title).toBe('Alpha → B');
    expect(s.notesChanged[0]).toMatchObject({ id: note, title: 'changed note', fields: ['text'] });
  });

  it('caps every list but keeps the real count, so a huge change stays a small summary', () => {
    const doc = new Y.Doc();
    const before = readBoard(doc);
    for (let i = 0; i < 120; i++) createTask(doc, { title: `T${String(i).padStart(3, '0')}` });
    const s = diffBoards(before, readBoard(doc));
    expect(s.counts.tasksAdded).toBe(120);
    expect(s.tasksAdded).toHaveLength(50);
    expect(s.tasksAdded[0]!.title).toBe('T000');
    expect(diffBoards(before, readBoard(doc), Infinity).tasksAdded).toHaveLength(120);
    expect(JSON.stringify(s).length).toBeLessThan(10_000);
  });

  it('the first version of a board is compared with an empty board, settings not counted', () => {
    const { doc } = base();
    const now = readBoard(doc);
    const s = diffBoards(emptyBoardContent(now.meta), now);
    expect(nonZero(s.counts)).toEqual({ tasksAdded: 2, depsAdded: 1, notesAdded: 1 });
  });

  it('taskChanges marks every task added, removed or changed, uncapped', () => {
    const { doc, a, b } = base();
    const before = readBoard(doc);
    const c = createTask(doc, { title: 'C' });
    deleteEntities(doc, [b]);
    updateShape(doc, a, { x: 5 });
    const changes = taskChanges(before, readBoard(doc));
    expect(changes.get(c)).toEqual({ kind: 'added' });
    expect(changes.get(b)).toEqual({ kind: 'removed' });
    expect(changes.get(a)).toEqual({ kind: 'changed', renamed: false, moved: true, rescheduled: false, fields: ['x'] });
    expect(changes.size).toBe(3);
  });

  it('readSummary survives anything from the network', () => {
    for (const junk of [null, 42, 'x', [], { tasksAdded: 'no' }, { tasksAdded: [null, { id: 1 }, { id: 'a', title: 'A', fields: [1, 'x'] }], counts: { tasksAdded: -3 } }]) {
      const s = readSummary(junk);
      for (const kind of CHANGE_KINDS) expect(Array.isArray(s[kind])).toBe(true);
    }
    const s = readSummary({ tasksAdded: [{ id: 'a', title: 'A', fields: [1, 'x'] }], counts: { tasksAdded: 70 } });
    expect(s.tasksAdded).toEqual([{ id: 'a', title: 'A', fields: ['x'] }]);
    expect(s.counts.tasksAdded).toBe(70);
  });
});

describe('version retention', () => {
  const version = (id: string, createdAt: string, kind: VersionRecord['kind'] = 'auto'): VersionRecord => ({ id, name: '', kind, createdAt, authors: [], summary: emptySummary() });

  it('keeps named and restore versions and the recent automatic ones', () => {
    const list = [version('n', '2020-01-01T00:00:00Z', 'named'), version('r', '2020-01-01T00:00:00Z', 'restore'), version('a1', '2026-01-02T10:00:00Z'), version('a2', '2026-01-02T09:00:00Z')];
    expect(versionsToPrune(list, 2)).toEqual([]);
  });

  it('thins older automatic checkpoints to the newest of each day', () => {
    const list = [
      version('recent', '2026-01-05T10:00:00Z'),
      version('d4-late', '2026-01-04T18:00:00Z'),
      version('d4-early', '2026-01-04T08:00:00Z'),
      version('named', '2026-01-04T07:00:00Z', 'named'),
      version('d3-late', '2026-01-03T18:00:00Z'),
      version('d3-mid', '2026-01-03T12:00:00Z'),
      version('d3-early', '2026-01-03T08:00:00Z'),
    ];
    // One recent kept; beyond it, one per day.
    expect(versionsToPrune(list, 1).sort()).toEqual(['d3-early', 'd3-mid', 'd4-early']);
    // A day already represented among the recent ones needs no extra keeper.
    expect(versionsToPrune(list, 2).sort()).toEqual(['d3-early', 'd3-mid', 'd4-early']);
    expect(versionsToPrune(list, 3).sort()).toEqual(['d3-early', 'd3-mid']);
  });

  it('past 30 days before the newest checkpoint, keeps one per week, so a year of daily edits stays small', () => {
    // A checkpoint every day for a year (newest first), 12 a day.
    const list: VersionRecord[] = [];
    const end = Date.parse('2026-12-31T18:00:00Z');
    for (let day = 0; day < 365; day++) for (let h = 0; h < 12; h++) list.push(version(`d${day}h${h}`, new Date(end - day * 86_400_000 - h * 3_600_000).toISOString()));
    const pruned = new Set(versionsToPrune(list));
    const kept = list.filter((v) => !pruned.has(v.id));
    // 50 recent, then one a day up to 30 days back, then one a week: ~50 + 26 + 48, not 50 + 361.
    expect(kept.length).toBeLessThan(130);
    expect(kept.length).toBeGreaterThan(110);
    // Within the first 30 days every day keeps one; the oldest week keeps exactly one.
    const keptDays = new Set(kept.map((v) => v.createdAt.slice(0, 10)));
    for (let day = 0; day <= 29; day++) expect(keptDays.has(new Date(end - day * 86_400_000).toISOString().slice(0, 10))).toBe(true);
    expect(kept.filter((v) => v.createdAt < '2026-01-05').length).toBe(1); // 2026-01-01..04: Thu..Sun of one week
  });
});

describe('version preview rows (client/history/previewRows.ts)', () => {
  it('lists the version’s tasks with dates and status; compared with now, marks each and adds the new ones', () => {
    const { doc, a, b } = base();
    updateShape(doc, a, { status: 'todo' });
    const version = readBoard(doc);
    updateShape(doc, a, { duration: 5, x: 99 });
    deleteEntities(doc, [b]);
    const c = createTask(doc, { title: 'C' });
    const live = readBoard(doc);
    const today = '2026-01-05';

    const plain = previewRows(version, null, today);
    expect(plain.map((r) => [r.title, r.start, r.finish, r.status, r.change])).toEqual([
      ['A', '2026-01-05', '2026-01-06', 'To do', undefined],
      ['B', '2026-01-07', '2026-01-09', '', undefined],
    ]);

    const compared = previewRows(version, live, today);
    expect(compared.map((r) => [r.id, r.change?.kind])).toEqual([
      [a, 'changed'],
      [b, 'removed'],
      [c, 'added'],
    ]);
    expect(compared[0]).toMatchObject({ finish: '2026-01-06', nowFinish: '2026-01-09' });
    expect(describeChange(compared[0]!.change!)).toBe('Changed: rescheduled, moved');
    expect(describeChange(compared[1]!.change!)).toBe('Removed since');
  });
});
