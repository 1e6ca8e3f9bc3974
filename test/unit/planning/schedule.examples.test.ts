import { describe, expect, it } from 'vitest';
import { schedule } from '../../../shared/planning/schedule.ts';
import type { PlanLinkInput, PlanTaskInput, Schedule, ScheduledTask } from '../../../shared/planning/types.ts';
import { MONDAY, link, plan, task } from './fixtures.ts';

/**
 * Worked examples for the CPM kernel, each checked against its source (and by hand).
 * Indexes are working days from the project start; a task occupies [ES, EF). The kernel
 * reports LS/LF as dates only, so late indexes are read as LS = ES + total float, LF = LS + d.
 */

interface Row {
  es: number;
  ef: number;
  ls?: number;
  lf?: number;
  tf?: number;
  ff?: number;
}

function get(s: Schedule, id: string): ScheduledTask {
  const t = s.tasks.get(id);
  if (!t) throw new Error(`no task ${id}`);
  return t;
}

function expectRows(s: Schedule, rows: Record<string, Row>): void {
  for (const [id, row] of Object.entries(rows)) {
    const t = get(s, id);
    const ls = t.startIndex + t.totalFloat;
    const actual: Row = { es: t.startIndex, ef: t.finishIndex };
    if (row.ls !== undefined) actual.ls = ls;
    if (row.lf !== undefined) actual.lf = ls + t.duration;
    if (row.tf !== undefined) actual.tf = t.totalFloat;
    if (row.ff !== undefined) actual.ff = t.freeFloat;
    expect({ id, ...actual }).toEqual({ id, ...row });
    expect(t.critical, `${id} critical`).toBe(t.totalFloat <= 0);
  }
}

function criticalIds(s: Schedule): string[] {
  return [...s.tasks.values()].filter((t) => t.critical).map((t) => t.id).sort();
}

const fs = (from: string, to: string, lag = 0) => link(from, to, 'FS', lag);

describe('textbook networks', () => {
  // Source: studylib.net, "Critical Path Method" worked "Example 1" (activity-on-node table).
  it('a) studylib Example 1: ES/EF/LS/LF/slack and a 16-day project', () => {
    const s = schedule(
      plan(
        [task('A', 6), task('B', 2), task('C', 2), task('D', 3), task('E', 4), task('F', 2), task('G', 1)],
        [fs('A', 'B'), fs('A', 'C'), fs('B', 'D'), fs('C', 'F'), fs('D', 'E'), fs('F', 'E'), fs('E', 'G')],
      ),
    );
    const table: Array<[string, number, number, number, number, number]> = [
      // id  ES  EF  LS  LF  slack
      ['A', 0, 6, 0, 6, 0],
      ['B', 6, 8, 6, 8, 0],
      ['D', 8, 11, 8, 11, 0],
      ['E', 11, 15, 11, 15, 0],
      ['G', 15, 16, 15, 16, 0],
      ['C', 6, 8, 7, 9, 1],
      ['F', 8, 10, 9, 11, 1],
    ];
    for (const [id, es, ef, ls, lf, tf] of table) expectRows(s, { [id]: { es, ef, ls, lf, tf } });
    expect(s.projectDuration).toBe(16);
    expect(criticalIds(s)).toEqual(['A', 'B', 'D', 'E', 'G']);
    expect([...s.criticalLinks].sort()).toEqual(['A-B', 'B-D', 'D-E', 'E-G']);
    expect(s.cycles).toEqual([]);
    expect(s.problems).toEqual([]);
  });

  // Source: bizhelp24.com, "Critical path analysis" table (EST, LFT, total float, free float).
  it('b) bizhelp24 table: earliest start, latest finish, total and free float', () => {
    const s = schedule(
      plan(
        [task('A', 1), task('B', 3), task('C', 2), task('D', 3), task('E', 3), task('F', 2), task('G', 2)],
        [fs('A', 'B'), fs('A', 'C'), fs('B', 'D'), fs('C', 'E'), fs('D', 'F'), fs('E', 'F'), fs('F', 'G')],
      ),
    );
    const table: Array<[string, number, number, number, number]> = [
      // id EST LFT TF FF
      ['A', 0, 1, 0, 0],
      ['B', 1, 4, 0, 0],
      ['C', 1, 4, 1, 0],
      ['D', 4, 7, 0, 0],
      ['E', 3, 7, 1, 1],
      ['F', 7, 9, 0, 0],
      ['G', 9, 11, 0, 0],
    ];
    for (const [id, est, lft, tf, ff] of table) {
      const t = get(s, id);
      expect({ id, est: t.startIndex, lft: t.startIndex + t.totalFloat + t.duration, tf: t.totalFloat, ff: t.freeFloat }).toEqual({ id, est, lft, tf, ff });
    }
    expect(s.projectDuration).toBe(11);
    expect(criticalIds(s)).toEqual(['A', 'B', 'D', 'F', 'G']);
  });

  // Source: open PM course notes, precedence diagramming exercise with start-to-start links.
  // Checked by hand: forward pass A0-2, B0-10 (SS A), C2-15, D2-14, E10-22, F10-17, G14-24,
  // H14-30, I17-23, J max(C.EF 15, G.ES 14)=15-27, K17-22 (SS I), L max(22,23,22)=23-31, M30-35,
  // N max(24,27,31,35)=35-38. Backward: G LF min(N.LS 35, J.LS 23 + 10 via SS)=33; I LF
  // min(L.LS 27, K.LS 22 + 6 via SS)=27; A LF min(B.LS 4 + 2 via SS, C.LS 10, D.LS 2)=2.
  it('c) precedence diagram with SS links: 38 days, critical A-D-H-M-N', () => {
    const ss = (from: string, to: string) => link(from, to, 'SS');
    const durations: Record<string, number> = { A: 2, B: 10, C: 13, D: 12, E: 12, F: 7, G: 10, H: 16, I: 6, J: 12, K: 5, L: 8, M: 5, N: 3 };
    const s = schedule(
      plan(
        Object.entries(durations).map(([id, d]) => task(id, d)),
        [
          ss('A', 'B'), fs('A', 'C'), fs('A', 'D'), fs('B', 'E'), fs('B', 'F'), fs('D', 'G'), fs('D', 'H'),
          fs('F', 'I'), fs('C', 'J'), ss('G', 'J'), ss('I', 'K'), fs('E', 'L'), fs('I', 'L'), fs('K', 'L'),
          fs('H', 'M'), fs('G', 'N'), fs('J', 'N'), fs('L', 'N'), fs('M', 'N'),
        ],
      ),
    );
    expect(s.projectDuration).toBe(38);
    expect(criticalIds(s)).toEqual(['A', 'D', 'H', 'M', 'N']);
    const floats = Object.fromEntries(Object.keys(durations).map((id) => [id, get(s, id).totalFloat]));
    expect(floats).toEqual({ A: 0, B: 4, C: 8, D: 0, E: 5, F: 4, G: 9, H: 0, I: 4, J: 8, K: 5, L: 4, M: 0, N: 0 });
    expectRows(s, {
      J: { es: 15, ef: 27, ls: 23, lf: 35 },
      G: { es: 14, ef: 24, ls: 23, lf: 33 },
      I: { es: 17, ef: 23, ls: 21, lf: 27 },
      A: { es: 0, ef: 2, ls: 0, lf: 2 },
      B: { es: 0, ef: 10, ls: 4, lf: 14 },
      K: { es: 17, ef: 22, ls: 22, lf: 27 },
      L: { es: 23, ef: 31, ls: 27, lf: 35 },
      N: { es: 35, ef: 38, ls: 35, lf: 38 },
    });
  });
});

describe('link types, lags and leads', () => {
  // Hand-computed (d = duration; constraints FS S.ES>=P.EF+L, SS S.ES>=P.ES+L, FF S.EF>=P.EF+L,
  // SF S.EF>=P.ES+L; project finish = max EF = 10):
  //
  //  task d  links in          ES  EF  LS  LF  TF  FF   why
  //  P    4  -                  0   4   0   4   0   0   LF: Q.LS 6 - 2
  //  Q    3  FS+2 from P        6   9   6   9   0   0   LF: min(U.LF 10 - 1 (FF+1), X.LF 10 + 2 (FF-2)) = 9
  //  R    2  FS-1 from P        3   5   6   8   3   3   lead: starts a day before P ends; LF: U.LS 8
  //  S    5  SS+3 from P        3   8   5  10   2   0   LS: V.LF 10 - 4 = 6 (SF) and W 6, LF capped at 10
  //  T    2  FF+1 from P        3   5   8  10   5   5   EF >= 4+1
  //  U    2  FS R, FF+1 Q       8  10   8  10   0   0   FF pushes it: R alone allows ES 5, Q: EF >= 10
  //  V    2  SF+4 from S        5   7   8  10   3   3   SF binds: EF >= 3+4 = 7 -> ES 5
  //  W    9  SF+4 from S        0   9   1  10   1   1   SF does not bind (ES >= -2): project start
  //  X    2  FF-2 from Q        5   7   8  10   3   3   EF >= 9-2 = 7
  //
  // Free float of S: V's SF constraint is tight (V.ES 5 = 3+4-2), so 0 although TF is 2.
  const tasks = [task('P', 4), task('Q', 3), task('R', 2), task('S', 5), task('T', 2), task('U', 2), task('V', 2), task('W', 9), task('X', 2)];
  const links: PlanLinkInput[] = [
    link('P', 'Q', 'FS', 2),
    link('P', 'R', 'FS', -1),
    link('P', 'S', 'SS', 3),
    link('P', 'T', 'FF', 1),
    link('R', 'U', 'FS'),
    link('Q', 'U', 'FF', 1),
    link('S', 'V', 'SF', 4),
    link('S', 'W', 'SF', 4),
    link('Q', 'X', 'FF', -2),
  ];

  it('d) every link type with lags and leads', () => {
    const s = schedule(plan(tasks, links));
    expect(s.projectDuration).toBe(10);
    expectRows(s, {
      P: { es: 0, ef: 4, ls: 0, lf: 4, tf: 0, ff: 0 },
      Q: { es: 6, ef: 9, ls: 6, lf: 9, tf: 0, ff: 0 },
      R: { es: 3, ef: 5, ls: 6, lf: 8, tf: 3, ff: 3 },
      S: { es: 3, ef: 8, ls: 5, lf: 10, tf: 2, ff: 0 },
      T: { es: 3, ef: 5, ls: 8, lf: 10, tf: 5, ff: 5 },
      U: { es: 8, ef: 10, ls: 8, lf: 10, tf: 0, ff: 0 },
      V: { es: 5, ef: 7, ls: 8, lf: 10, tf: 3, ff: 3 },
      W: { es: 0, ef: 9, ls: 1, lf: 10, tf: 1, ff: 1 },
      X: { es: 5, ef: 7, ls: 8, lf: 10, tf: 3, ff: 3 },
    });
    expect(criticalIds(s)).toEqual(['P', 'Q', 'U']);
    expect([...s.criticalLinks].sort()).toEqual(['P-Q', 'Q-U']);
  });

  it('d) the result does not depend on the order of tasks and links', () => {
    const a = schedule(plan(tasks, links));
    const b = schedule(plan([...tasks].reverse(), [...links].reverse()));
    for (const t of tasks) expect(get(b, t.id)).toEqual(get(a, t.id));
  });

  it('d) a lead never starts a task before the project start', () => {
    const s = schedule(plan([task('A', 2), task('B', 3)], [link('A', 'B', 'FS', -5)]));
    expect(get(s, 'B').startIndex).toBe(0);
    const ff = schedule(plan([task('A', 2), task('B', 3)], [link('A', 'B', 'FF', 0)]));
    expect(get(ff, 'B').startIndex).toBe(0); // EF >= 2 allows ES -1; the project start wins
    expect(get(ff, 'B').finishIndex).toBe(3);
  });
});

describe('dates', () => {
  // Mon-Fri with Wednesday 2026-01-07 a holiday: indexes Mon 5th 0, Tue 6th 1, Thu 8th 2,
  // Fri 9th 3, Mon 12th 4, Tue 13th 5, Wed 14th 6.
  const calendar = { workingDays: [1, 2, 3, 4, 5], holidays: ['2026-01-07'] };

  it('e) ISO start/finish/late dates and the project finish', () => {
    const s = schedule(plan([task('A', 3), task('B', 2), task('C', 1)], [fs('A', 'B')], { calendar }));
    expect(get(s, 'A')).toMatchObject({ start: '2026-01-05', finish: '2026-01-08', lateStart: '2026-01-05', lateFinish: '2026-01-08' });
    expect(get(s, 'B')).toMatchObject({ start: '2026-01-09', finish: '2026-01-12', startIndex: 3, finishIndex: 5 });
    expect(get(s, 'B')).toMatchObject({ earlyStart: '2026-01-09', earlyFinish: '2026-01-12' });
    // C (1 day) can slip to the last day: LS = LF = index 4, Monday 12th.
    expect(get(s, 'C')).toMatchObject({ start: '2026-01-05', finish: '2026-01-05', lateStart: '2026-01-12', lateFinish: '2026-01-12', totalFloat: 4 });
    expect(s.projectStart).toBe(MONDAY);
    expect(s.projectFinish).toBe('2026-01-12');
    expect(s.projectDuration).toBe(5);
  });

  it('e) a project start on a weekend counts from the next working day', () => {
    const s = schedule(plan([task('A', 1)], [], { projectStart: '2026-01-03', calendar }));
    expect(get(s, 'A')).toMatchObject({ start: '2026-01-05', finish: '2026-01-05', startIndex: 0 });
    expect(s.projectFinish).toBe('2026-01-05');
  });

  it('e) an empty plan finishes on its start', () => {
    const s = schedule(plan([], [], { projectStart: '2026-01-03' }));
    expect(s.projectFinish).toBe('2026-01-03');
    expect(s.projectDuration).toBe(0);
    expect(s.tasks.size).toBe(0);
  });

  it('e) a milestone after an FS link sits on its predecessor finish date', () => {
    const s = schedule(
      plan([task('A', 3), task('M', 5, { milestone: true }), task('Z', 0), task('B', 1)], [fs('A', 'M'), fs('M', 'B')], { calendar }),
    );
    const m = get(s, 'M');
    expect(m).toMatchObject({ milestone: true, duration: 0, startIndex: 3, finishIndex: 3, start: '2026-01-08', finish: '2026-01-08' });
    expect(get(s, 'B')).toMatchObject({ start: '2026-01-09', startIndex: 3 });
    // A standalone milestone (0 days, no flag) sits on the project start.
    expect(get(s, 'Z')).toMatchObject({ milestone: true, startIndex: 0, start: '2026-01-05', finish: '2026-01-05' });
    // With a lag the milestone sits on the lag's last day: A ends Thursday 8th, +2 days -> Monday 12th.
    const lagged = schedule(plan([task('A', 3), task('M', 0)], [fs('A', 'M', 2)], { calendar }));
    expect(get(lagged, 'M')).toMatchObject({ startIndex: 5, start: '2026-01-12' });
    // After an SS link it sits on the day it starts.
    const ss = schedule(plan([task('A', 3), task('M', 0)], [link('A', 'M', 'SS', 2)], { calendar }));
    expect(get(ss, 'M')).toMatchObject({ startIndex: 2, start: '2026-01-08' });
  });

  it('e) a milestone tied between an FS and an SS link takes the SS day whatever the link order', () => {
    // A ends at index 3 (FS would put M on Thursday 8th); B starts at index 3 (Friday 9th) from
    // its start-no-earlier-than date, so SS puts M at the start of Friday: Friday wins.
    const tasks = [task('A', 3), task('B', 2, { start: '2026-01-09' }), task('M', 0)];
    for (const links of [
      [fs('A', 'M'), link('B', 'M', 'SS')],
      [link('B', 'M', 'SS'), fs('A', 'M')],
    ]) {
      const s = schedule(plan(tasks, links, { calendar }));
      expect(get(s, 'M')).toMatchObject({ startIndex: 3, start: '2026-01-09', finish: '2026-01-09' });
    }
  });

  it('e) an auto task starts no earlier than its start date', () => {
    const s = schedule(
      plan([task('A', 2), task('B', 2, { start: '2026-01-10' }), task('C', 1, { start: '2025-12-01' })], [fs('A', 'B'), fs('A', 'C')], { calendar }),
    );
    // Saturday 10th -> Monday 12th (index 4) beats A's finish (index 2).
    expect(get(s, 'B')).toMatchObject({ startIndex: 4, start: '2026-01-12', finish: '2026-01-13' });
    // A date before the project start does not pull a task earlier than its links.
    expect(get(s, 'C')).toMatchObject({ startIndex: 2, start: '2026-01-08' });
    const alone = schedule(plan([task('C', 1, { start: '2025-12-01' })], [], { calendar }));
    expect(get(alone, 'C').startIndex).toBe(0);
  });

  it('e) a manual task placed too early reports the broken link; its predecessor gets negative float', () => {
    const s = schedule(plan([task('A', 3), task('B', 2, { mode: 'manual', start: '2026-01-06' }), task('C', 1)], [fs('A', 'B'), fs('B', 'C')], { calendar }));
    const b = get(s, 'B');
    expect(b).toMatchObject({ startIndex: 1, finishIndex: 3, start: '2026-01-06', finish: '2026-01-08', violatedLinks: ['A-B'] });
    // B is pinned at index 1, so A must finish by index 1: LF 1, LS -2, total float -2.
    const a = get(s, 'A');
    expect(a.totalFloat).toBe(-2);
    expect(a.critical).toBe(true);
    expect(a.violatedLinks).toEqual([]);
    // C (auto) follows B where it is.
    expect(get(s, 'C')).toMatchObject({ startIndex: 3, violatedLinks: [] });
    // A manual task that respects its links reports nothing.
    const ok = schedule(plan([task('A', 3), task('B', 2, { mode: 'manual', start: '2026-01-12' })], [fs('A', 'B')], { calendar }));
    expect(get(ok, 'B')).toMatchObject({ startIndex: 4, violatedLinks: [] });
    expect(get(ok, 'A').totalFloat).toBe(1);
  });

  it('e) a manual task with no date sits on the project start', () => {
    const s = schedule(plan([task('A', 3), task('B', 2, { mode: 'manual' })], [fs('A', 'B')]));
    expect(get(s, 'B')).toMatchObject({ startIndex: 0, start: MONDAY, violatedLinks: ['A-B'] });
  });
});

describe('summary tasks', () => {
  const child = (id: string, parent: string, d: number, extra: Partial<PlanTaskInput> = {}) => task(id, d, { parent, ...extra });

  it('f) a summary rolls up dates, duration, duration-weighted progress and costs', () => {
    const s = schedule(
      plan(
        [
          task('S', 99, { progress: 90, budget: 5, actualCost: 5 }),
          child('a', 'S', 2, { progress: 50, budget: 100, actualCost: 30 }),
          child('b', 'S', 4, { progress: 25, budget: 200, actualCost: 10 }),
        ],
        [fs('a', 'b')],
      ),
    );
    const sum = get(s, 'S');
    expect(sum).toMatchObject({
      summary: true,
      startIndex: 0,
      finishIndex: 6,
      duration: 6,
      start: '2026-01-05',
      finish: '2026-01-12',
      budget: 300,
      actualCost: 40,
      milestone: false,
      critical: true,
      totalFloat: 0,
    });
    expect(sum.progress).toBeCloseTo((2 * 50 + 4 * 25) / 6, 10);
    expect(get(s, 'a').summary).toBe(false);
    expect(s.projectDuration).toBe(6); // the summary's own 99 days count for nothing
  });

  it('f) a link into a summary delays each subtask; a link out of it waits for the last one', () => {
    const s = schedule(
      plan([task('X', 3), task('S', 1), child('a', 'S', 2), child('b', 'S', 5), task('Y', 1)], [fs('X', 'S'), fs('S', 'Y')]),
    );
    expect(get(s, 'a').startIndex).toBe(3);
    expect(get(s, 'b').startIndex).toBe(3);
    expect(get(s, 'S')).toMatchObject({ startIndex: 3, finishIndex: 8, duration: 5 });
    expect(get(s, 'Y').startIndex).toBe(8);
    // a finishes at 5 but can slip to 8: the link out of S binds every subtask.
    expect(get(s, 'a').totalFloat).toBe(3);
    expect(get(s, 'a').freeFloat).toBe(3);
    expect(get(s, 'b').totalFloat).toBe(0);
  });

  it('f) nested summaries roll up through every level', () => {
    const s = schedule(
      plan(
        [task('top', 0), child('mid', 'top', 0), child('a', 'mid', 2, { budget: 1 }), child('b', 'mid', 3, { budget: 2 }), child('c', 'top', 4, { budget: 4 }), task('Z', 1)],
        [fs('a', 'b'), fs('mid', 'c'), fs('top', 'Z')],
      ),
    );
    expect(get(s, 'mid')).toMatchObject({ summary: true, startIndex: 0, finishIndex: 5, duration: 5, budget: 3 });
    expect(get(s, 'c').startIndex).toBe(5);
    expect(get(s, 'top')).toMatchObject({ summary: true, startIndex: 0, finishIndex: 9, duration: 9, budget: 7 });
    expect(get(s, 'Z').startIndex).toBe(9);
  });

  it('f) a link between a summary and its own subtask is ignored and reported', () => {
    const s = schedule(plan([task('S', 1), child('a', 'S', 2), child('b', 'S', 3), task('X', 1)], [fs('S', 'a'), fs('b', 'S'), fs('a', 'b'), fs('X', 'X'), fs('X', 'nope')]));
    expect(s.problems.map((p) => p.id).sort()).toEqual(['S-a', 'X-X', 'X-nope', 'b-S']);
    expect(s.problems.find((p) => p.id === 'S-a')?.message).toMatch(/own subtask/);
    expect(get(s, 'a').startIndex).toBe(0);
    expect(get(s, 'b').startIndex).toBe(2);
    expect(s.cycles).toEqual([]);
  });

  it('f) a parent loop does not throw and every task is still scheduled', () => {
    const s = schedule(plan([task('a', 2, { parent: 'b' }), task('b', 3, { parent: 'a' }), task('c', 1, { parent: 'c' })], [fs('a', 'c')]));
    expect(s.problems.length).toBeGreaterThanOrEqual(2);
    expect(s.problems.some((p) => /loop/.test(p.message))).toBe(true);
    expect(s.tasks.size).toBe(3);
    for (const t of s.tasks.values()) expect(Number.isFinite(t.startIndex)).toBe(true);
    // The loop is cut at 'a' (top level), so 'b' is a's only subtask and a rolls b up.
    expect(get(s, 'a').summary).toBe(true);
    expect(get(s, 'b').startIndex).toBe(0);
    expect(get(s, 'c').startIndex).toBe(3);
  });
});

describe('cycles', () => {
  it('g) A->B->C->A plus D after C: one cycle reported, D still scheduled after C', () => {
    const links = [fs('A', 'B'), fs('B', 'C'), fs('C', 'A'), fs('C', 'D')];
    const s = schedule(plan([task('A', 2), task('B', 3), task('C', 4), task('D', 1)], links));
    expect(s.cycles).toEqual([{ tasks: ['A', 'B', 'C'], dependencies: ['A-B', 'B-C', 'C-A'] }]);
    for (const id of ['A', 'B', 'C']) {
      expect(get(s, id).inCycle).toBe(true);
      expect(get(s, id).startIndex).toBe(0); // their links are ignored
    }
    expect(get(s, 'D')).toMatchObject({ inCycle: false, startIndex: 4 });
    expect(s.projectDuration).toBe(5);
  });

  it('g) two disjoint cycles are reported separately', () => {
    const s = schedule(
      plan([task('A', 1), task('B', 1), task('C', 1), task('D', 1), task('E', 1)], [fs('A', 'B'), fs('B', 'A'), fs('C', 'D'), fs('D', 'E'), fs('E', 'C'), fs('B', 'C')]),
    );
    const cycles = [...s.cycles].sort((x, y) => x.tasks[0]!.localeCompare(y.tasks[0]!));
    expect(cycles).toEqual([
      { tasks: ['A', 'B'], dependencies: ['A-B', 'B-A'] },
      { tasks: ['C', 'D', 'E'], dependencies: ['C-D', 'D-E', 'E-C'] },
    ]);
    // The link between the cycles is kept (C starts after B); in-cycle links are ignored.
    expect(get(s, 'C').startIndex).toBe(1);
    expect(get(s, 'D').startIndex).toBe(0);
    expect(get(s, 'E').startIndex).toBe(0);
  });

  it('g) a cycle through a summary task names the summary and its link', () => {
    // S = {a, b}; S -> X -> a closes a cycle a -> X -> a through the summary link.
    const s = schedule(plan([task('S', 1), task('a', 2, { parent: 'S' }), task('b', 3, { parent: 'S' }), task('X', 1)], [fs('S', 'X'), fs('X', 'a')]));
    expect(s.cycles).toHaveLength(1);
    expect(s.cycles[0]).toEqual({ tasks: ['S', 'X', 'a'], dependencies: ['S-X', 'X-a'] });
    expect(get(s, 'a').inCycle).toBe(true);
    expect(get(s, 'S').inCycle).toBe(true);
    expect(get(s, 'b').inCycle).toBe(false);
    // b -> X is not on the cycle: it still applies.
    expect(get(s, 'X').startIndex).toBe(3);
  });
});
