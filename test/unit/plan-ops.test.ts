import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDependency, createTask, deleteEntities } from '../../shared/doc/ops.ts';
import {
  deleteBaseline,
  moveCard,
  placeTask,
  renameBaseline,
  saveBaseline,
  setBoardSetting,
  setParent,
  setStatuses,
  setWipLimit,
  updateDependency,
} from '../../shared/doc/planOps.ts';
import { readBaseline, readBaselines, readBoard, readMeta, type ReadProblem } from '../../shared/doc/read.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import { DEFAULT_STATUSES, DEFAULT_WORKING_DAYS, type BaselineTask } from '../../shared/schema/entities.ts';
import { isValidZ } from '../../shared/schema/zorder.ts';

/** Number of transactions (and of document updates) `fn` makes. */
function countSteps(doc: Y.Doc, fn: () => void): { transactions: number; updates: number } {
  let transactions = 0;
  let updates = 0;
  const onTx = () => transactions++;
  const onUpdate = () => updates++;
  doc.on('afterTransaction', onTx);
  doc.on('update', onUpdate);
  try {
    fn();
  } finally {
    doc.off('afterTransaction', onTx);
    doc.off('update', onUpdate);
  }
  return { transactions, updates };
}

function taskOf(doc: Y.Doc, id: string) {
  const task = readBoard(doc).tasks.get(id);
  if (!task) throw new Error(`no task ${id}`);
  return task;
}

function rawTask(doc: Y.Doc, id: string): Y.Map<unknown> {
  return boardMaps(doc).tasks.get(id) as Y.Map<unknown>;
}

describe('setParent', () => {
  it('nests a task under a summary and places it by rank, in one transaction', () => {
    const doc = new Y.Doc();
    const a = createTask(doc, { title: 'A' });
    const b = createTask(doc, { title: 'B' });
    const steps = countSteps(doc, () => expect(setParent(doc, b, a, { rank: 'a5' })).toEqual({ ok: true }));
    expect(steps).toEqual({ transactions: 1, updates: 1 });
    expect(taskOf(doc, b)).toMatchObject({ parent: a, rank: 'a5' });
    expect(readBoard(doc).problems).toEqual([]);
  });

  it('keeps the rank when none is given and moves a task back to the top level with ""', () => {
    const doc = new Y.Doc();
    const a = createTask(doc);
    const b = createTask(doc);
    const rankBefore = taskOf(doc, b).rank;
    expect(setParent(doc, b, a)).toEqual({ ok: true });
    expect(taskOf(doc, b)).toMatchObject({ parent: a, rank: rankBefore });
    expect(setParent(doc, b, '')).toEqual({ ok: true });
    expect(taskOf(doc, b).parent).toBe('');
  });

  it('refuses the task itself or one of its subtasks (direct or deeper) as parent, writing nothing', () => {
    const doc = new Y.Doc();
    const a = createTask(doc);
    const b = createTask(doc);
    const c = createTask(doc);
    setParent(doc, b, a);
    setParent(doc, c, b);
    const steps = countSteps(doc, () => {
      expect(setParent(doc, a, a)).toEqual({ refused: 'own-subtask' });
      expect(setParent(doc, a, b)).toEqual({ refused: 'own-subtask' });
      expect(setParent(doc, a, c)).toEqual({ refused: 'own-subtask' });
      expect(setParent(doc, b, c)).toEqual({ refused: 'own-subtask' });
    });
    expect(steps).toEqual({ transactions: 0, updates: 0 });
    expect(taskOf(doc, a).parent).toBe('');
    expect(taskOf(doc, b).parent).toBe(a);
    expect(taskOf(doc, c).parent).toBe(b);
    // A sibling-level move that is not a loop is still fine.
    expect(setParent(doc, c, a)).toEqual({ ok: true });
    expect(taskOf(doc, c).parent).toBe(a);
  });

  it('refuses a missing task or a missing parent', () => {
    const doc = new Y.Doc();
    const a = createTask(doc);
    boardMaps(doc).tasks.set('garbage', 'not a map');
    const steps = countSteps(doc, () => {
      expect(setParent(doc, 'nope', a)).toEqual({ refused: 'missing-task' });
      expect(setParent(doc, a, 'nope')).toEqual({ refused: 'missing-task' });
      expect(setParent(doc, a, 'garbage')).toEqual({ refused: 'missing-task' });
    });
    expect(steps.transactions).toBe(0);
    expect(taskOf(doc, a).parent).toBe('');
  });
});

describe('placeTask', () => {
  it('writes a rank strictly between the two neighbours, in one transaction', () => {
    const doc = new Y.Doc();
    const t = createTask(doc);
    const steps = countSteps(doc, () => placeTask(doc, t, 'rank', 'a0', 'a1'));
    expect(steps).toEqual({ transactions: 1, updates: 1 });
    const rank = taskOf(doc, t).rank;
    expect(isValidZ(rank)).toBe(true);
    expect(rank > 'a0' && rank < 'a1').toBe(true);
  });

  it('places at either end when a neighbour is missing', () => {
    const doc = new Y.Doc();
    const t = createTask(doc);
    placeTask(doc, t, 'rank', null, 'a0');
    expect(taskOf(doc, t).rank < 'a0').toBe(true);
    placeTask(doc, t, 'rank', 'a5', null);
    expect(taskOf(doc, t).rank > 'a5').toBe(true);
    placeTask(doc, t, 'rank', null, null);
    expect(isValidZ(taskOf(doc, t).rank)).toBe(true);
  });

  it('still gives a usable key for equal or inverted neighbours (above the lower one)', () => {
    const doc = new Y.Doc();
    const t = createTask(doc);
    placeTask(doc, t, 'rank', 'a1', 'a1');
    const equal = taskOf(doc, t).rank;
    expect(isValidZ(equal)).toBe(true);
    expect(equal > 'a1').toBe(true);
    placeTask(doc, t, 'rank', 'a3', 'a1');
    const inverted = taskOf(doc, t).rank;
    expect(isValidZ(inverted)).toBe(true);
    expect(inverted > 'a3').toBe(true);
    expect(readBoard(doc).problems).toEqual([]);
  });

  it('sets boardRank without touching rank', () => {
    const doc = new Y.Doc();
    const t = createTask(doc);
    const rank = taskOf(doc, t).rank;
    placeTask(doc, t, 'boardRank', 'a3', 'a5');
    const task = taskOf(doc, t);
    expect(task.rank).toBe(rank);
    expect(task.boardRank > 'a3' && task.boardRank < 'a5').toBe(true);
  });

  it('does nothing for a missing task', () => {
    const doc = new Y.Doc();
    const steps = countSteps(doc, () => placeTask(doc, 'nope', 'rank', null, null));
    expect(steps.updates).toBe(0);
    expect(boardMaps(doc).tasks.size).toBe(0);
  });
});

describe('moveCard', () => {
  it('writes the status and a board rank between the neighbours in one transaction', () => {
    const doc = new Y.Doc();
    const t = createTask(doc, { status: 'todo' });
    const rank = taskOf(doc, t).rank;
    const steps = countSteps(doc, () => moveCard(doc, t, 'done', 'a0', 'a2'));
    expect(steps).toEqual({ transactions: 1, updates: 1 });
    const task = taskOf(doc, t);
    expect(task.status).toBe('done');
    expect(task.boardRank > 'a0' && task.boardRank < 'a2').toBe(true);
    expect(task.rank).toBe(rank);
  });

  it('handles equal neighbours, keeps the status when unchanged, and truncates long statuses', () => {
    const doc = new Y.Doc();
    const t = createTask(doc, { status: 'todo' });
    let changedKeys: string[] = [];
    rawTask(doc, t).observe((e) => (changedKeys = [...e.keysChanged]));
    moveCard(doc, t, 'todo', 'a1', 'a1');
    expect(changedKeys).toEqual(['boardRank']);
    const task = taskOf(doc, t);
    expect(task.status).toBe('todo');
    expect(isValidZ(task.boardRank) && task.boardRank > 'a1').toBe(true);
    moveCard(doc, t, 'x'.repeat(300), null, null);
    expect(taskOf(doc, t).status).toBe('x'.repeat(200));
  });

  it('ignores a missing task', () => {
    const doc = new Y.Doc();
    moveCard(doc, 'nope', 'done', null, null);
    expect(boardMaps(doc).tasks.size).toBe(0);
  });
});

describe('updateDependency', () => {
  function linked() {
    const doc = new Y.Doc();
    const a = createTask(doc);
    const b = createTask(doc);
    const result = createDependency(doc, a, b);
    if (!('id' in result)) throw new Error('link refused');
    const dep = () => readBoard(doc).deps.get(result.id)!;
    return { doc, id: result.id, dep };
  }

  it('changes type and lag in one transaction, rounding the lag', () => {
    const { doc, id, dep } = linked();
    const steps = countSteps(doc, () => updateDependency(doc, id, { type: 'SS', lag: 2.6 }));
    expect(steps).toEqual({ transactions: 1, updates: 1 });
    expect(dep()).toMatchObject({ type: 'SS', lag: 3 });
    updateDependency(doc, id, { lag: -1.4 });
    expect(dep()).toMatchObject({ type: 'SS', lag: -1 });
    updateDependency(doc, id, { type: 'SF' });
    expect(dep()).toMatchObject({ type: 'SF', lag: -1 });
  });

  it('ignores an invalid type or lag but applies the valid half of a patch', () => {
    const { doc, id, dep } = linked();
    updateDependency(doc, id, { type: 'FF', lag: 4 });
    const steps = countSteps(doc, () => {
      updateDependency(doc, id, { type: 'XX' as never });
      updateDependency(doc, id, { lag: Number.NaN });
      updateDependency(doc, id, { lag: 20_000 });
      updateDependency(doc, id, { lag: Infinity });
    });
    expect(steps.updates).toBe(0);
    expect(dep()).toMatchObject({ type: 'FF', lag: 4 });
    updateDependency(doc, id, { type: 'bad' as never, lag: 7 });
    expect(dep()).toMatchObject({ type: 'FF', lag: 7 });
    updateDependency(doc, id, { type: 'SS', lag: Number.NaN });
    expect(dep()).toMatchObject({ type: 'SS', lag: 7 });
    expect(readBoard(doc).problems).toEqual([]);
  });

  it('ignores a missing link', () => {
    const { doc } = linked();
    const steps = countSteps(doc, () => updateDependency(doc, 'nope', { type: 'SS' }));
    expect(steps.updates).toBe(0);
  });
});

describe('setBoardSetting', () => {
  it('refuses an empty workingDays list or out-of-range days and writes nothing', () => {
    const doc = new Y.Doc();
    const steps = countSteps(doc, () => {
      expect(setBoardSetting(doc, 'workingDays', [])).toBe(false);
      expect(setBoardSetting(doc, 'workingDays', [1, 7])).toBe(false);
      expect(setBoardSetting(doc, 'workingDays', [1.5])).toBe(false);
      expect(setBoardSetting(doc, 'workingDays', 'Mon')).toBe(false);
    });
    expect(steps).toEqual({ transactions: 0, updates: 0 });
    expect(boardMaps(doc).meta.has('workingDays')).toBe(false);
    expect(readMeta(doc).workingDays).toEqual([...DEFAULT_WORKING_DAYS]);
  });

  it('stores workingDays sorted and unique, in one transaction', () => {
    const doc = new Y.Doc();
    const steps = countSteps(doc, () => expect(setBoardSetting(doc, 'workingDays', [6, 1, 3, 1])).toBe(true));
    expect(steps).toEqual({ transactions: 1, updates: 1 });
    expect(readMeta(doc).workingDays).toEqual([1, 3, 6]);
  });

  it('refuses invalid dates (project start and holidays)', () => {
    const doc = new Y.Doc();
    expect(setBoardSetting(doc, 'projectStart', '2026-02-30')).toBe(false);
    expect(setBoardSetting(doc, 'projectStart', '5 Jan 2026')).toBe(false);
    expect(setBoardSetting(doc, 'holidays', ['2026-12-25', '2026-13-01'])).toBe(false);
    expect(setBoardSetting(doc, 'holidays', ['2026-12-25', 20260101])).toBe(false);
    expect(boardMaps(doc).meta.size).toBe(0);
    expect(setBoardSetting(doc, 'projectStart', '2026-01-05')).toBe(true);
    expect(readMeta(doc).projectStart).toBe('2026-01-05');
    expect(setBoardSetting(doc, 'projectStart', '')).toBe(true);
    expect(readMeta(doc).projectStart).toBe('');
  });

  it('readMeta returns holidays sorted and unique', () => {
    const doc = new Y.Doc();
    expect(setBoardSetting(doc, 'holidays', ['2026-12-25', '2026-01-01', '2026-12-25', '2026-05-01'])).toBe(true);
    expect(readMeta(doc).holidays).toEqual(['2026-01-01', '2026-05-01', '2026-12-25']);
    // Even a foreign client's unsorted write reads sorted and unique.
    boardMaps(doc).meta.set('holidays', ['2027-01-01', '2026-01-01', '2027-01-01']);
    const problems: ReadProblem[] = [];
    expect(readMeta(doc, (p) => problems.push(p)).holidays).toEqual(['2026-01-01', '2027-01-01']);
    expect(problems).toEqual([]);
  });
});

describe('setWipLimit', () => {
  it('sets a limit, keeps the others, and clears with null, 0, negatives or fractions', () => {
    const doc = new Y.Doc();
    setWipLimit(doc, 'todo', 3, {});
    expect(readMeta(doc).wipLimits).toEqual({ todo: 3 });
    setWipLimit(doc, 'in-progress', 2, readMeta(doc).wipLimits);
    expect(readMeta(doc).wipLimits).toEqual({ todo: 3, 'in-progress': 2 });
    setWipLimit(doc, 'todo', null, readMeta(doc).wipLimits);
    expect(readMeta(doc).wipLimits).toEqual({ 'in-progress': 2 });
    setWipLimit(doc, 'todo', 4, readMeta(doc).wipLimits);
    setWipLimit(doc, 'in-progress', 0, readMeta(doc).wipLimits);
    expect(readMeta(doc).wipLimits).toEqual({ todo: 4 });
    setWipLimit(doc, 'todo', -1, readMeta(doc).wipLimits);
    expect(readMeta(doc).wipLimits).toEqual({});
    setWipLimit(doc, 'todo', 2.5, { todo: 1 });
    expect(readMeta(doc).wipLimits).toEqual({});
  });

  it('is one transaction', () => {
    const doc = new Y.Doc();
    expect(countSteps(doc, () => setWipLimit(doc, 'todo', 5, {}))).toEqual({ transactions: 1, updates: 1 });
  });
});

describe('setStatuses', () => {
  it('stores the statuses in order, labels defaulting to the key', () => {
    const doc = new Y.Doc();
    const steps = countSteps(doc, () =>
      expect(setStatuses(doc, [{ key: 'new', label: 'New' }, { key: 'review', label: '  ' }, { key: 'done', label: 'Done' }])).toBe(true),
    );
    expect(steps).toEqual({ transactions: 1, updates: 1 });
    expect(readMeta(doc).statuses).toEqual([
      { key: 'new', label: 'New' },
      { key: 'review', label: 'review' },
      { key: 'done', label: 'Done' },
    ]);
  });

  it('refuses duplicate keys (also after trimming), an empty list and empty keys', () => {
    const doc = new Y.Doc();
    const steps = countSteps(doc, () => {
      expect(setStatuses(doc, [{ key: 'a', label: 'A' }, { key: 'a', label: 'Again' }])).toBe(false);
      expect(setStatuses(doc, [{ key: 'a', label: 'A' }, { key: ' a ', label: 'Spaced' }])).toBe(false);
      expect(setStatuses(doc, [])).toBe(false);
      expect(setStatuses(doc, [{ key: '  ', label: 'Blank' }])).toBe(false);
    });
    expect(steps.transactions).toBe(0);
    expect(readMeta(doc).statuses).toEqual(DEFAULT_STATUSES.map((s) => ({ ...s })));
  });
});

describe('baselines', () => {
  const planA: Record<string, BaselineTask> = {
    t1: { start: '2026-01-05', finish: '2026-01-07', duration: 3, cost: 100 },
    t2: { start: '2026-01-08', finish: '2026-01-08', duration: 0, cost: 0 },
  };

  it('saves a baseline in one transaction and reads it back (name trimmed, tasks intact)', () => {
    const doc = new Y.Doc();
    let id = '';
    const steps = countSteps(doc, () => (id = saveBaseline(doc, '  Plan A  ', planA, '2026-01-02T09:00:00.000Z')));
    expect(steps).toEqual({ transactions: 1, updates: 1 });
    expect(id).toMatch(/^[\w-]{21}$/);
    expect(readBaselines(doc)).toEqual([{ id, name: 'Plan A', createdAt: '2026-01-02T09:00:00.000Z', tasks: planA }]);
  });

  it('names a blank baseline "Baseline", truncates long names, and lists oldest first', () => {
    const doc = new Y.Doc();
    const late = saveBaseline(doc, '   ', {}, '2026-03-01T00:00:00.000Z');
    const early = saveBaseline(doc, 'n'.repeat(300), {}, '2026-01-01T00:00:00.000Z');
    const list = readBaselines(doc);
    expect(list.map((b) => b.id)).toEqual([early, late]);
    expect(list[0]!.name).toBe('n'.repeat(200));
    expect(list[1]!.name).toBe('Baseline');
  });

  it('renames (trimmed; blank names ignored without a transaction) and deletes', () => {
    const doc = new Y.Doc();
    const id = saveBaseline(doc, 'Plan A', planA, '2026-01-02T09:00:00.000Z');
    const other = saveBaseline(doc, 'Plan B', {}, '2026-01-03T09:00:00.000Z');
    expect(countSteps(doc, () => renameBaseline(doc, id, '  Signed off  '))).toEqual({ transactions: 1, updates: 1 });
    expect(readBaselines(doc).find((b) => b.id === id)?.name).toBe('Signed off');
    expect(countSteps(doc, () => renameBaseline(doc, id, '   '))).toEqual({ transactions: 0, updates: 0 });
    expect(readBaselines(doc).find((b) => b.id === id)?.name).toBe('Signed off');
    renameBaseline(doc, 'nope', 'Ghost');
    expect(boardMaps(doc).baselines.has('nope')).toBe(false);
    expect(countSteps(doc, () => deleteBaseline(doc, id))).toEqual({ transactions: 1, updates: 1 });
    expect(readBaselines(doc).map((b) => b.id)).toEqual([other]);
  });

  it('reads a foreign baseline with garbage task entries, skipping them and reporting each', () => {
    const doc = new Y.Doc();
    const entity = new Y.Map<unknown>();
    entity.set('name', 42);
    entity.set('createdAt', 7);
    entity.set('tasks', {
      good: { start: '2026-01-05', finish: '2026-01-06', duration: 2, cost: 50 },
      negatives: { start: '2026-01-05', finish: '2026-01-05', duration: -3, cost: 'lots' },
      text: 'not a task',
      nullish: null,
      badDate: { start: '2026-13-01', finish: '2026-01-06', duration: 1, cost: 0 },
      noFinish: { start: '2026-01-05', duration: 1, cost: 0 },
    });
    boardMaps(doc).baselines.set('foreign', entity);
    const problems: ReadProblem[] = [];
    const baseline = readBaseline('foreign', boardMaps(doc).baselines.get('foreign'), (p) => problems.push(p));
    expect(baseline).toEqual({
      id: 'foreign',
      name: 'Baseline',
      createdAt: '',
      tasks: {
        good: { start: '2026-01-05', finish: '2026-01-06', duration: 2, cost: 50 },
        negatives: { start: '2026-01-05', finish: '2026-01-05', duration: 0, cost: 0 },
      },
    });
    expect(problems.map((p) => p.message).sort()).toEqual([
      'task badDate: unusable entry; skipped',
      'task noFinish: unusable entry; skipped',
      'task nullish: unusable entry; skipped',
      'task text: unusable entry; skipped',
    ]);
    expect(problems.every((p) => p.collection === 'baselines' && p.id === 'foreign')).toBe(true);
  });

  it('skips non-map baselines and reads non-object tasks as empty, with problems', () => {
    const doc = new Y.Doc();
    const arrayTasks = new Y.Map<unknown>();
    arrayTasks.set('name', 'Array');
    arrayTasks.set('createdAt', '2026-01-01T00:00:00.000Z');
    arrayTasks.set('tasks', [1, 2, 3]);
    boardMaps(doc).baselines.set('arr', arrayTasks);
    boardMaps(doc).baselines.set('str', 'not a map');
    const problems: ReadProblem[] = [];
    const list = readBaselines(doc, (p) => problems.push(p));
    expect(list).toEqual([{ id: 'arr', name: 'Array', createdAt: '2026-01-01T00:00:00.000Z', tasks: {} }]);
    expect(problems).toEqual(
      expect.arrayContaining([
        { collection: 'baselines', id: 'arr', message: 'tasks: not an object; baseline read as empty' },
        { collection: 'baselines', id: 'str', message: 'entry is not a Y.Map; skipped' },
      ]),
    );
    expect(problems).toHaveLength(2);
  });
});

describe('deleteEntities and the outline', () => {
  it('moves the subtasks of a deleted top-level summary to the top level, in one transaction with its links', () => {
    const doc = new Y.Doc();
    const summary = createTask(doc);
    const c1 = createTask(doc);
    const c2 = createTask(doc);
    const other = createTask(doc);
    setParent(doc, c1, summary);
    setParent(doc, c2, summary);
    const link = createDependency(doc, summary, other);
    const keep = createDependency(doc, c1, c2);
    if (!('id' in link) || !('id' in keep)) throw new Error('link refused');
    const steps = countSteps(doc, () => deleteEntities(doc, [summary]));
    expect(steps).toEqual({ transactions: 1, updates: 1 });
    const board = readBoard(doc);
    expect([...board.tasks.keys()].sort()).toEqual([c1, c2, other].sort());
    expect(board.tasks.get(c1)!.parent).toBe('');
    expect(board.tasks.get(c2)!.parent).toBe('');
    expect([...board.deps.keys()]).toEqual([keep.id]);
  });

  it('moves subtasks under a chain of deleted ancestors up to the top level', () => {
    const doc = new Y.Doc();
    const a = createTask(doc);
    const b = createTask(doc);
    const c = createTask(doc);
    const d = createTask(doc);
    setParent(doc, b, a);
    setParent(doc, c, b);
    setParent(doc, d, c);
    deleteEntities(doc, [a, b]);
    const board = readBoard(doc);
    expect(board.tasks.get(c)!.parent).toBe('');
    // A grandchild whose own parent survives keeps it.
    expect(board.tasks.get(d)!.parent).toBe(c);
    expect(board.problems).toEqual([]);
  });

  it('leaves other tasks\' parents alone', () => {
    const doc = new Y.Doc();
    const a = createTask(doc);
    const b = createTask(doc);
    const x = createTask(doc);
    const y = createTask(doc);
    setParent(doc, b, a);
    setParent(doc, y, x);
    let changed = 0;
    rawTask(doc, y).observe(() => changed++);
    deleteEntities(doc, [a]);
    expect(taskOf(doc, y).parent).toBe(x);
    expect(changed).toBe(0);
  });
});

describe('regressions', () => {
  it('deleting a nested summary moves its subtasks up to the summary parent, not to the top level', () => {
    const doc = new Y.Doc();
    const a = createTask(doc);
    const b = createTask(doc);
    const c = createTask(doc);
    setParent(doc, b, a);
    setParent(doc, c, b);
    deleteEntities(doc, [b]);
    expect(readBoard(doc).tasks.get(c)!.parent).toBe(a);
  });

  it('setParent never writes a rank the read layer would reject', () => {
    const doc = new Y.Doc();
    const a = createTask(doc);
    const before = readBoard(doc).tasks.get(a)!.rank;
    expect(setParent(doc, a, '', { rank: 'not a key!' })).toEqual({ ok: true });
    expect(readBoard(doc).tasks.get(a)!.rank).toBe(before);
    expect(readBoard(doc).problems).toEqual([]);
  });
});

describe('nesting that would close a loop of links', () => {
  it('is refused: A -> B -> C, then making A a subtask of C (links on C apply to A)', () => {
    const doc = new Y.Doc();
    const [a, b, c, d] = [createTask(doc), createTask(doc), createTask(doc), createTask(doc)];
    createDependency(doc, a, b);
    createDependency(doc, b, c);
    expect(setParent(doc, a, c)).toEqual({ refused: 'cycle' });
    expect(readBoard(doc).tasks.get(a)!.parent).toBe('');
    // Unrelated nesting is fine.
    expect(setParent(doc, d, c)).toEqual({ ok: true });
  });
});
