import { describe, expect, it } from 'vitest';
import { scheduleInputOf } from '../../shared/planning/fromBoard.ts';
import { schedule } from '../../shared/planning/schedule.ts';
import { MAX_WEEKS, dashboardMetrics, leavesOf, progressOf, workload } from '../../shared/planning/metrics.ts';
import { DEFAULT_STATUSES, type Baseline, type Dependency, type Task } from '../../shared/schema/entities.ts';

/** A task with readTask's defaults (see shared/schema/validators.ts TASK_FIELDS). */
function task(id: string, extra: Partial<Task> = {}): Task {
  return {
    id, kind: 'task', x: 0, y: 0, w: 240, h: 130, color: '#ffffff', z: 'a0', title: id, description: '',
    assignees: [], status: '', priority: '', start: '', duration: 1, progress: 0, estimate: 0, budget: 0,
    actualCost: 0, milestone: false, parent: '', mode: 'auto', rank: '', boardRank: '', ...extra,
  };
}

function dep(from: string, to: string): Dependency {
  return { id: `${from}-${to}`, from, to, type: 'FS', lag: 0 };
}

const WEEKDAYS = { workingDays: [1, 2, 3, 4, 5], holidays: [] as string[] };

function plan(tasks: Task[], deps: Dependency[] = [], start = '2026-01-05', calendar = WEEKDAYS) {
  return schedule(scheduleInputOf(tasks, deps, calendar, start));
}

/**
 * Monday 2026-01-05, Monday to Friday. Phase 1 (summary) holds Alpha and Beta, run in parallel
 * Jan 5-9; Gamma (10 days) follows Beta, Jan 12-23; the milestone closes on Fri Jan 23.
 */
const tasks: Task[] = [
  task('S', { title: 'Phase 1' }),
  task('A', { title: 'Alpha', parent: 'S', duration: 5, assignees: ['Ada'], progress: 100, status: 'done', budget: 100, actualCost: 120 }),
  task('B', { title: 'Beta', parent: 'S', duration: 5, assignees: ['Ada', 'Bob'], progress: 50, status: 'in-progress', budget: 200, actualCost: 50 }),
  task('C', { title: 'Gamma', duration: 10, assignees: ['Bob', 'Bob '], status: 'weird' }),
  task('M', { title: 'Milestone', milestone: true, duration: 0 }),
];
const deps = [dep('B', 'C'), dep('C', 'M')];
const baseline: Baseline = {
  id: 'b1',
  name: 'Kickoff',
  createdAt: '2026-01-01T00:00:00Z',
  tasks: {
    S: { start: '2026-01-05', finish: '2026-01-15', duration: 9, cost: 250 },
    A: { start: '2026-01-05', finish: '2026-01-09', duration: 5, cost: 100 },
    B: { start: '2026-01-05', finish: '2026-01-08', duration: 4, cost: 150 },
    C: { start: '2026-01-09', finish: '2026-01-15', duration: 5, cost: 0 },
    M: { start: '2026-01-15', finish: '2026-01-15', duration: 0, cost: 0 },
  },
};
const sched = plan(tasks, deps);
const today = '2026-01-14';
const m = dashboardMetrics({ tasks, schedule: sched, statuses: DEFAULT_STATUSES, baseline, today });

describe('dashboard metrics', () => {
  it('counts leaf tasks only: the summary rolls up and is not counted again', () => {
    expect(sched.tasks.get('S')!.summary).toBe(true);
    expect(m.leafCount).toBe(4);
    expect(leavesOf(tasks, sched).map((l) => l.task.id)).toEqual(['A', 'B', 'C', 'M']);
  });

  it('weights overall progress by duration: (5x100 + 5x50) / 20 days', () => {
    expect(m.progress).toEqual({ percent: 37.5, done: 1, total: 4 });
  });

  it('falls back to the mean progress when every duration is 0', () => {
    const ms = [task('x', { milestone: true, progress: 100 }), task('y', { milestone: true })];
    expect(progressOf(leavesOf(ms, plan(ms))).percent).toBe(50);
  });

  it('counts a task with two assignees for both, and a repeated name once', () => {
    const byName = Object.fromEntries(m.progressByAssignee.map((p) => [p.name, p]));
    expect(Object.keys(byName)).toEqual(['Ada', 'Bob']);
    expect(byName.Ada).toMatchObject({ percent: 75, done: 1, total: 2 });
    expect(byName.Bob!.percent).toBeCloseTo(250 / 15);
    expect(byName.Bob!.total).toBe(2);
  });

  it('lists statuses in board order, then "No status", then unknown keys', () => {
    expect(m.byStatus.map((s) => [s.label, s.count])).toEqual([
      ['To do', 0],
      ['In progress', 1],
      ['Blocked', 0],
      ['Done', 1],
      ['No status', 1],
      ['weird', 1],
    ]);
    expect(m.byStatus.at(-1)!.unknown).toBe(true);
  });

  it('flags incomplete tasks that should have finished before today', () => {
    // Beta was due Fri Jan 9; Mon 12, Tue 13 and today Wed 14 have passed since.
    expect(m.overdue).toEqual([
      { id: 'B', title: 'Beta', assignees: ['Ada', 'Bob'], finish: '2026-01-09', progress: 50, reasons: [{ kind: 'overdue', days: 3 }] },
    ]);
  });

  it('flags slips against the baseline in working days, but not finished tasks', () => {
    expect(m.atRisk.map((t) => [t.id, t.reasons])).toEqual([
      ['B', [{ kind: 'slip', days: 1, baselineFinish: '2026-01-08' }]],
      ['C', [{ kind: 'slip', days: 6, baselineFinish: '2026-01-15' }]],
      ['M', [{ kind: 'slip', days: 6, baselineFinish: '2026-01-15' }]],
    ]);
    const none = dashboardMetrics({ tasks, schedule: sched, statuses: DEFAULT_STATUSES, baseline: null, today });
    expect(none.atRisk).toEqual([]);
    expect(none.finishVariance).toBeNull();
  });

  it('flags negative total float (a manual successor the predecessor cannot meet)', () => {
    // A needs Jan 5-9, but the manual D is pinned to Wed Jan 7: A must finish 3 days earlier.
    const ts = [task('A', { duration: 5 }), task('D', { duration: 2, mode: 'manual', start: '2026-01-07' })];
    const s = plan(ts, [dep('A', 'D')]);
    const r = dashboardMetrics({ tasks: ts, schedule: s, statuses: DEFAULT_STATUSES, baseline: null, today: '2026-01-05' });
    expect(r.atRisk.map((t) => [t.id, t.reasons])).toEqual([['A', [{ kind: 'negative-float', days: 3 }]]]);
  });

  it('gives the project finish variance against the baseline', () => {
    expect(m.projectFinish).toBe('2026-01-23');
    expect(m.baselineFinish).toBe('2026-01-15');
    expect(m.finishVariance).toBe(6);
  });

  it('books each working day of a task for each assignee, week by week', () => {
    expect(m.workload.weeks).toEqual([
      { start: '2026-01-05', capacity: 5 },
      { start: '2026-01-12', capacity: 5 },
      { start: '2026-01-19', capacity: 5 },
    ]);
    expect(m.workload.assignees).toEqual([
      { name: 'Ada', booked: [10, 0, 0] },
      { name: 'Bob', booked: [5, 5, 5] },
    ]);
    expect(m.workload.overAllocated).toEqual([{ name: 'Ada', week: '2026-01-05', booked: 10, capacity: 5 }]);
    expect(m.workload.truncated).toBe(false);
  });

  it('takes holidays out of capacity and starts weeks on Monday even mid-week', () => {
    // Wed Jan 7 start, Thu Jan 8 a holiday: Wed, Fri | Mon, Tue, Wed.
    const cal = { workingDays: [1, 2, 3, 4, 5], holidays: ['2026-01-08'] };
    const ts = [task('T', { duration: 5, assignees: ['Ada'] })];
    const w = workload(leavesOf(ts, plan(ts, [], '2026-01-07', cal)), plan(ts, [], '2026-01-07', cal));
    expect(w.weeks).toEqual([
      { start: '2026-01-05', capacity: 4 },
      { start: '2026-01-12', capacity: 5 },
    ]);
    expect(w.assignees).toEqual([{ name: 'Ada', booked: [2, 3] }]);
    expect(w.overAllocated).toEqual([]);
  });

  it('caps the workload at two years', () => {
    const ts = [task('L', { duration: 1000, assignees: ['Ada'] })];
    const s = plan(ts);
    const w = workload(leavesOf(ts, s), s);
    expect(w.weeks).toHaveLength(MAX_WEEKS);
    expect(w.truncated).toBe(true);
    expect(w.assignees[0]!.booked.every((d) => d === 5)).toBe(true);
  });

  it('totals budget and actual cost, split equally between assignees and grouped by top-level summary', () => {
    expect(m.costs).toMatchObject({ budget: 300, actualCost: 170, baselineBudget: 250 });
    expect(m.costs.byAssignee).toEqual([
      { name: 'Ada', budget: 200, actualCost: 145 },
      { name: 'Bob', budget: 100, actualCost: 25 },
      { name: '', budget: 0, actualCost: 0 },
    ]);
    expect(m.costs.bySummary).toEqual([
      { id: 'S', title: 'Phase 1', budget: 300, actualCost: 170 },
      { id: '', title: 'Top-level tasks', budget: 0, actualCost: 0 },
    ]);
  });

  it('burns down remaining working days: planned, baseline and today', () => {
    expect(m.burndown.dates).toEqual(['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26']);
    expect(m.burndown.planned).toEqual([20, 10, 5, 0]);
    // Baseline: Alpha 5 + Beta 4 + Gamma 5 (Jan 9-15) on Jan 5; Gamma's last 4 days on Jan 12.
    expect(m.burndown.baseline).toEqual([14, 4, 0, 0]);
    // Beta half done (2.5 days left) and Gamma untouched (10).
    expect(m.burndown.actual).toEqual({ date: today, remaining: 12.5 });
  });

  it('copes with an empty plan', () => {
    const e = dashboardMetrics({ tasks: [], schedule: plan([]), statuses: DEFAULT_STATUSES, baseline: null, today });
    expect(e.leafCount).toBe(0);
    expect(e.progress).toEqual({ percent: 0, done: 0, total: 0 });
    expect(e.workload.assignees).toEqual([]);
    expect(e.burndown.planned.every((v) => v === 0)).toBe(true);
  });
});
