import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardModel } from '../../client/canvas/boardModel.ts';
import { planDecorations } from '../../client/plan/cardInfo.ts';
import { PlanModel, descendantIds, outlineRows, visibleRows } from '../../client/plan/planModel.ts';
import { createDependency, createTask, moveShapes, updateShape } from '../../shared/doc/ops.ts';
import { saveBaseline, setBoardSetting, setParent, updateDependency } from '../../shared/doc/planOps.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import type { Task } from '../../shared/schema/entities.ts';

function mkTask(id: string, extra: Partial<Task> = {}): Task {
  return {
    id, kind: 'task', x: 0, y: 0, w: 240, h: 130, color: '#ffffff', z: 'a0', title: id, description: '', assignees: [],
    status: '', priority: '', start: '', duration: 1, progress: 0, estimate: 0, budget: 0, actualCost: 0, milestone: false,
    parent: '', mode: 'auto', rank: '', boardRank: '', ...extra,
  };
}

function tasksMap(...tasks: Task[]): Map<string, Task> {
  return new Map(tasks.map((t) => [t.id, t]));
}

describe('outlineRows', () => {
  it('lists depth first, siblings by rank then id, unranked last', () => {
    const rows = outlineRows(tasksMap(
      mkTask('u2'),
      mkTask('A', { rank: 'a1' }),
      mkTask('u1'),
      mkTask('B', { rank: 'a0' }),
      mkTask('A2', { parent: 'A', rank: 'a0' }),
      mkTask('A1', { parent: 'A', rank: 'a0' }),
      mkTask('A0', { parent: 'A', rank: '' }),
      mkTask('A1x', { parent: 'A1', rank: 'a5' }),
    ));
    expect(rows.map((r) => r.task.id)).toEqual(['B', 'A', 'A1', 'A1x', 'A2', 'A0', 'u1', 'u2']);
    expect(rows.map((r) => r.depth)).toEqual([0, 0, 1, 2, 1, 1, 0, 0]);
    expect(rows.map((r) => r.hasChildren)).toEqual([false, true, true, false, false, false, false, false]);
    expect(Object.fromEntries(rows.map((r) => [r.task.id, r.parentId]))).toEqual({
      B: '', A: '', A1: 'A', A1x: 'A1', A2: 'A', A0: 'A', u1: '', u2: '',
    });
    expect([...descendantIds(rows, 'A')]).toEqual(['A1', 'A1x', 'A2', 'A0']);
    expect(visibleRows(rows, new Set(['A1'])).map((r) => r.task.id)).toEqual(['B', 'A', 'A1', 'A2', 'A0', 'u1', 'u2']);
    expect(visibleRows(rows, new Set(['A', 'A1'])).map((r) => r.task.id)).toEqual(['B', 'A', 'u1', 'u2']);
  });

  it('shows a task with a missing parent at the top level, and cuts a parent loop once (as the scheduler does)', () => {
    const rows = outlineRows(tasksMap(
      mkTask('T', { rank: 'a0' }),
      mkTask('orphan', { parent: 'gone', rank: 'a1' }),
      mkTask('L1', { parent: 'L2', rank: 'a2' }),
      mkTask('L2', { parent: 'L1', rank: 'a3' }),
      mkTask('self', { parent: 'self', rank: 'a4' }),
      mkTask('kid', { parent: 'T', rank: 'a0' }),
    ));
    expect(rows.map((r) => [r.task.id, r.depth])).toEqual([
      ['T', 0],
      ['kid', 1],
      ['orphan', 0],
      ['L1', 0],
      ['L2', 1],
      ['self', 0],
    ]);
    expect(rows.filter((r) => r.task.id !== 'kid' && r.task.id !== 'L2').every((r) => r.parentId === '')).toBe(true);
    expect(rows.map((r) => r.hasChildren)).toEqual([true, false, false, true, false, false]);
  });

  it('keeps the subtasks of a task whose own parent is missing under it, like the scheduler', () => {
    const rows = outlineRows(tasksMap(mkTask('orphan', { parent: 'gone', rank: 'a0' }), mkTask('kid', { parent: 'orphan', rank: 'a0' })));
    expect(rows.map((r) => [r.task.id, r.depth, r.hasChildren])).toEqual([
      ['orphan', 0, true],
      ['kid', 1, false],
    ]);
  });

  it('returns no rows for no tasks', () => {
    expect(outlineRows(new Map())).toEqual([]);
  });
});

const TODAY = '2026-01-10';

describe('PlanModel', () => {
  const stops: Array<() => void> = [];
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
  });

  function setup(projectStart = '2026-01-05') {
    const doc = new Y.Doc();
    if (projectStart) setBoardSetting(doc, 'projectStart', projectStart);
    const board = new BoardModel(doc);
    board.start();
    const plan = new PlanModel(doc, board, () => TODAY);
    plan.start();
    stops.push(() => plan.stop(), () => board.stop());
    return { doc, board, plan };
  }

  it('recomputes after a duration change, and reuses the schedule after a move', () => {
    const { doc, board, plan } = setup();
    const a = createTask(doc, { duration: 3 });
    const s1 = plan.schedule();
    expect(s1.tasks.get(a)).toMatchObject({ start: '2026-01-05', finish: '2026-01-07' });
    expect(plan.schedule()).toBe(s1);

    const planVersion = board.planVersion;
    moveShapes(doc, [{ id: a, x: 500, y: 300 }]);
    updateShape(doc, a, { color: '#ff0000', w: 300 });
    expect(board.tasks.get(a)).toMatchObject({ x: 500, y: 300, w: 300 });
    expect(board.planVersion).toBe(planVersion);
    expect(plan.schedule()).toBe(s1);

    updateShape(doc, a, { duration: 5 });
    const s2 = plan.schedule();
    expect(s2).not.toBe(s1);
    expect(s2.tasks.get(a)!.finish).toBe('2026-01-09');
  });

  it('recomputes after a link is added or changed', () => {
    const { doc, plan } = setup();
    const a = createTask(doc, { duration: 3 });
    const b = createTask(doc, { duration: 2 });
    const s1 = plan.schedule();
    expect(s1.tasks.get(b)!.start).toBe('2026-01-05');
    const result = createDependency(doc, a, b);
    if (!('id' in result)) throw new Error('link refused');
    const s2 = plan.schedule();
    expect(s2).not.toBe(s1);
    expect(s2.tasks.get(b)!.start).toBe('2026-01-08');
    updateDependency(doc, result.id, { lag: 2 });
    const s3 = plan.schedule();
    expect(s3).not.toBe(s2);
    expect(s3.tasks.get(b)!.start).toBe('2026-01-12');
  });

  it('recomputes when the calendar changes (working days, holidays)', () => {
    const { doc, plan } = setup();
    const a = createTask(doc, { duration: 5 });
    const b = createTask(doc, { duration: 1 });
    createDependency(doc, a, b);
    const s1 = plan.schedule();
    expect(s1.tasks.get(b)!.start).toBe('2026-01-12');
    setBoardSetting(doc, 'workingDays', [1, 2, 3, 4, 5, 6]);
    expect(plan.meta.workingDays).toEqual([1, 2, 3, 4, 5, 6]);
    const s2 = plan.schedule();
    expect(s2).not.toBe(s1);
    expect(s2.tasks.get(b)!.start).toBe('2026-01-10');
    setBoardSetting(doc, 'holidays', ['2026-01-06']);
    const s3 = plan.schedule();
    expect(s3).not.toBe(s2);
    expect(s3.tasks.get(a)!.finish).toBe('2026-01-10');
    expect(s3.tasks.get(b)!.start).toBe('2026-01-12');
  });

  it('falls back to the creation date when meta.projectStart is empty, then to task starts, then to today', () => {
    const { doc, plan } = setup('');
    expect(plan.projectStart()).toBe(TODAY);
    const a = createTask(doc, { duration: 1, start: '2026-04-07' });
    expect(plan.projectStart()).toBe('2026-04-07');
    boardMaps(doc).meta.set('createdAt', '2026-02-03T10:00:00.000Z');
    expect(plan.meta.createdAt).toBe('2026-02-03T10:00:00.000Z');
    expect(plan.projectStart()).toBe('2026-02-03');
    const s = plan.schedule();
    expect(s.projectStart).toBe('2026-02-03');
    updateShape(doc, a, { start: '' });
    expect(plan.schedule().tasks.get(a)!.start).toBe('2026-02-03');
    setBoardSetting(doc, 'projectStart', '2026-03-02');
    expect(plan.projectStart()).toBe('2026-03-02');
    expect(plan.schedule().tasks.get(a)!.start).toBe('2026-03-02');
  });

  it('updates the baselines list (and notifies) after saveBaseline', () => {
    const { doc, plan } = setup();
    expect(plan.baselines).toEqual([]);
    let calls = 0;
    const unsubscribe = plan.subscribe(() => calls++);
    const version = plan.getVersion();
    const id = saveBaseline(doc, 'First', { t: { start: '2026-01-05', finish: '2026-01-05', duration: 1, cost: 0 } }, '2026-01-09T12:00:00.000Z');
    expect(plan.baselines).toEqual([
      { id, name: 'First', createdAt: '2026-01-09T12:00:00.000Z', tasks: { t: { start: '2026-01-05', finish: '2026-01-05', duration: 1, cost: 0 } } },
    ]);
    expect(calls).toBe(1);
    expect(plan.getVersion()).toBe(version + 1);
    unsubscribe();
    saveBaseline(doc, 'Second', {}, '2026-01-10T12:00:00.000Z');
    expect(plan.baselines.map((b) => b.name)).toEqual(['First', 'Second']);
    expect(calls).toBe(1);
  });

  it('outline() follows parent and rank changes', () => {
    const { doc, plan } = setup();
    const a = createTask(doc);
    const b = createTask(doc);
    expect(plan.outline().map((r) => r.task.id)).toEqual([a, b]);
    const first = plan.outline();
    expect(plan.outline()).toBe(first);
    setParent(doc, b, a);
    expect(plan.outline().map((r) => [r.task.id, r.depth])).toEqual([[a, 0], [b, 1]]);
  });

  it('stop() stops following meta changes', () => {
    const { doc, plan } = setup();
    plan.stop();
    setBoardSetting(doc, 'workingDays', [1, 2, 3]);
    expect(plan.meta.workingDays).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('planDecorations', () => {
  const stops: Array<() => void> = [];
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
  });

  function setup() {
    const doc = new Y.Doc();
    setBoardSetting(doc, 'projectStart', '2026-01-05');
    const board = new BoardModel(doc);
    board.start();
    const plan = new PlanModel(doc, board, () => TODAY);
    plan.start();
    stops.push(() => plan.stop(), () => board.stop());
    return { doc, board, plan };
  }

  it('keeps the same info object for an unchanged task across recomputes', () => {
    const { doc, plan } = setup();
    const a = createTask(doc, { duration: 3 });
    const b = createTask(doc, { duration: 10 });
    const d1 = planDecorations(plan);
    expect(planDecorations(plan)).toBe(d1);
    const infoA = d1.infos.get(a)!;
    const infoB = d1.infos.get(b)!;
    expect(infoB).toMatchObject({ start: '2026-01-05', finish: '2026-01-16', critical: true });
    updateShape(doc, b, { duration: 4 });
    const d2 = planDecorations(plan);
    expect(d2).not.toBe(d1);
    expect(d2.infos.get(a)).toBe(infoA);
    expect(d2.infos.get(b)).not.toBe(infoB);
    expect(d2.infos.get(b)!.finish).toBe('2026-01-08');
    // A peer dragging a card changes nothing a card shows: the very same decorations (the canvas
    // shape list stays memoized instead of rebuilding every card's info per remote move).
    updateShape(doc, a, { x: 500, y: 40 });
    expect(planDecorations(plan)).toBe(d2);
  });

  it('marks late tasks: finish before today and progress below 100; never summaries', () => {
    const { doc, plan } = setup();
    const early = createTask(doc, { duration: 3 });
    const done = createTask(doc, { duration: 3, progress: 100 });
    const half = createTask(doc, { duration: 3, progress: 50 });
    const onToday = createTask(doc, { duration: 5, start: '2026-01-09' });
    const future = createTask(doc, { duration: 10 });
    const summary = createTask(doc, { duration: 1 });
    const child = createTask(doc, { duration: 2 });
    setParent(doc, child, summary);
    const { infos } = planDecorations(plan);
    expect(infos.get(early)).toMatchObject({ finish: '2026-01-07', progress: 0, late: true, summary: false });
    expect(infos.get(done)).toMatchObject({ finish: '2026-01-07', progress: 100, late: false });
    expect(infos.get(half)).toMatchObject({ progress: 50, late: true });
    expect(infos.get(onToday)).toMatchObject({ finish: '2026-01-15', late: false });
    expect(infos.get(future)).toMatchObject({ finish: '2026-01-16', late: false });
    expect(infos.get(child)).toMatchObject({ finish: '2026-01-06', late: true });
    expect(infos.get(summary)).toMatchObject({ summary: true, finish: '2026-01-06', late: false });
    updateShape(doc, early, { progress: 100 });
    expect(planDecorations(plan).infos.get(early)!.late).toBe(false);
  });

  it('carries the status label and rounds progress', () => {
    const { doc, plan } = setup();
    const t = createTask(doc, { status: 'in-progress', progress: 33.6 });
    const u = createTask(doc, { status: 'custom' });
    const { infos } = planDecorations(plan);
    expect(infos.get(t)).toMatchObject({ statusLabel: 'In progress', progress: 34 });
    expect(infos.get(u)!.statusLabel).toBe('custom');
  });

  it('tones links on the critical path critical, and drops the tone when they get slack', () => {
    const { doc, plan } = setup();
    const a = createTask(doc, { duration: 3 });
    const b = createTask(doc, { duration: 2 });
    const other = createTask(doc, { duration: 1 });
    const result = createDependency(doc, a, b);
    if (!('id' in result)) throw new Error('link refused');
    const d1 = planDecorations(plan);
    expect(d1.tones.get(result.id)).toBe('critical');
    expect(d1.infos.get(a)!.critical).toBe(true);
    expect(d1.infos.get(other)!.critical).toBe(false);
    updateShape(doc, other, { duration: 20 });
    const d2 = planDecorations(plan);
    expect(d2.tones.has(result.id)).toBe(false);
    expect(d2.infos.get(a)!.critical).toBe(false);
    expect(d2.infos.get(other)!.critical).toBe(true);
  });

  it("tones the links of a cycle 'cycle' and warns on its tasks", () => {
    const { doc, plan } = setup();
    const x = createTask(doc, { duration: 2 });
    const y = createTask(doc, { duration: 2 });
    const z = createTask(doc, { duration: 2 });
    const tail = createDependency(doc, y, z);
    if (!('id' in tail)) throw new Error('link refused');
    // createDependency refuses cycles; a peer can still write one (two links made at once).
    const raw = (from: string, to: string) => {
      const entity = new Y.Map<unknown>();
      entity.set('from', from);
      entity.set('to', to);
      entity.set('type', 'FS');
      entity.set('lag', 0);
      return entity;
    };
    doc.transact(() => {
      doc.getMap('deps').set('xy', raw(x, y));
      doc.getMap('deps').set('yx', raw(y, x));
    });
    const { infos, tones } = planDecorations(plan);
    expect(tones.get('xy')).toBe('cycle');
    expect(tones.get('yx')).toBe('cycle');
    expect(tones.get(tail.id)).not.toBe('cycle');
    expect(infos.get(x)!.warning).toBe(true);
    expect(infos.get(y)!.warning).toBe(true);
    expect(infos.get(z)!.warning).toBe(false);
    expect(plan.schedule().cycles).toHaveLength(1);
  });
});
