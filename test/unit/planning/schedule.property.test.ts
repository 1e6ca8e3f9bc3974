import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochDay, isoDate } from '../../../shared/planning/calendar.ts';
import { schedule } from '../../../shared/planning/schedule.ts';
import type { PlanLinkInput, PlanTaskInput, Schedule, ScheduleInput } from '../../../shared/planning/types.ts';
import type { DependencyType } from '../../../shared/schema/entities.ts';
import { MONDAY, plan, task } from './fixtures.ts';
import { mulberry32 } from '../../helpers/random.ts';

/**
 * Seeded properties of the CPM kernel over random plans. Each property runs from a fixed seed
 * (fast-check prints the seed and path of a failure); a seed that once failed is pinned in
 * PINNED below and replayed on every run.
 */
const SEED = 20260105;
const RUNS = 200;
/**
 * Failures found by these properties, pinned as named cases (the shrunk counterexample, cut
 * down to the tasks that matter) and replayed on every run with each link order.
 */
const PINNED: Array<[string, PlanSpec]> = [
  [
    // Seed 20260106 (the auto-DAG property), before the fix in schedule.ts: a milestone tied
    // between FS+2 (from a 4-day task) and SS+2 (from a milestone on Friday 9th) at index 6
    // showed on Monday 12th or Tuesday 13th depending on which link came first.
    'milestone tied between an FS and an SS link (seed 20260106)',
    {
      tasks: [
        { duration: 4, manual: false, milestone: false, startOffset: null },
        { duration: 0, manual: false, milestone: true, startOffset: 4 },
        { duration: 0, manual: false, milestone: true, startOffset: null },
      ],
      links: [
        { a: 0, b: 2, type: 'FS', lag: 2 },
        { a: 1, b: 2, type: 'SS', lag: 2 },
      ],
      shuffle: 0,
    },
  ],
];

const CALENDAR = { workingDays: [1, 2, 3, 4, 5], holidays: ['2026-01-14', '2026-02-02', '2026-02-03'] };
const TYPES: readonly DependencyType[] = ['FS', 'SS', 'FF', 'SF'];

interface TaskSpec {
  duration: number;
  manual: boolean;
  milestone: boolean;
  /** Calendar days from the project start, or null for no date. */
  startOffset: number | null;
}
interface LinkSpec {
  a: number;
  b: number;
  type: DependencyType;
  lag: number;
}
interface PlanSpec {
  tasks: TaskSpec[];
  links: LinkSpec[];
  shuffle: number;
}

const taskArb = (allowManual: boolean): fc.Arbitrary<TaskSpec> =>
  fc.record({
    duration: fc.integer({ min: 0, max: 10 }),
    manual: allowManual ? fc.integer({ min: 0, max: 7 }).map((x) => x === 0) : fc.constant(false),
    milestone: fc.integer({ min: 0, max: 11 }).map((x) => x === 0),
    startOffset: fc.option(fc.integer({ min: -10, max: 40 }), { freq: 3 }),
  });

/** Random plans; with `dag`, every link goes from a lower task number to a higher one. */
function planArb(options: { dag: boolean; maxTasks: number; allowManual: boolean }): fc.Arbitrary<PlanSpec> {
  return fc.integer({ min: 0, max: options.maxTasks }).chain((n) =>
    fc.record({
      tasks: fc.array(taskArb(options.allowManual), { minLength: n, maxLength: n }),
      links:
        n < 2
          ? fc.constant([] as LinkSpec[])
          : fc
              .array(
                fc.record({
                  a: fc.integer({ min: 0, max: n - 1 }),
                  b: fc.integer({ min: 0, max: n - 1 }),
                  type: fc.constantFrom(...TYPES),
                  lag: fc.integer({ min: -3, max: 5 }),
                }),
                { maxLength: 2 * n },
              )
              .map((links) =>
                links
                  .filter((l) => l.a !== l.b)
                  .map((l) => (options.dag && l.a > l.b ? { ...l, a: l.b, b: l.a } : l)),
              ),
      shuffle: fc.integer(),
    }),
  );
}

function toInput(spec: PlanSpec): ScheduleInput {
  const base = epochDay(MONDAY);
  const tasks: PlanTaskInput[] = spec.tasks.map((t, i) =>
    task(`t${i}`, t.duration, {
      mode: t.manual ? 'manual' : 'auto',
      milestone: t.milestone,
      start: t.startOffset === null ? '' : isoDate(base + t.startOffset),
      progress: (i * 37) % 101,
      budget: i,
    }),
  );
  // Unique ids even when the same pair is linked twice.
  const links: PlanLinkInput[] = spec.links.map((l, k) => ({ id: `l${k}`, from: `t${l.a}`, to: `t${l.b}`, type: l.type, lag: l.lag }));
  return plan(tasks, links, { calendar: CALENDAR });
}


function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** What a link demands of its successor's start, given the predecessor's dates. */
function neededStart(type: DependencyType, pEs: number, pEf: number, lag: number, d: number): number {
  if (type === 'FS') return pEf + lag;
  if (type === 'SS') return pEs + lag;
  if (type === 'FF') return pEf + lag - d;
  return pEs + lag - d;
}

/** A comparable, input-order-free view of a schedule. */
function normalized(s: Schedule) {
  return {
    projectFinish: s.projectFinish,
    projectDuration: s.projectDuration,
    tasks: [...s.tasks.values()].map((t) => ({ ...t, violatedLinks: [...t.violatedLinks].sort() })).sort((x, y) => x.id.localeCompare(y.id)),
    cycles: s.cycles.map((c) => JSON.stringify(c)).sort(),
    criticalLinks: [...s.criticalLinks].sort(),
    problems: s.problems.map((p) => JSON.stringify(p)).sort(),
  };
}

/** Checks every property of a DAG plan. */
function checkDag(input: ScheduleInput, spec: PlanSpec): void {
  const s = schedule(input);
  const byId = new Map(input.tasks.map((t) => [t.id, t]));
  const at = (id: string) => s.tasks.get(id)!;
  const noManual = input.tasks.every((t) => t.mode === 'auto');
  expect(s.cycles).toEqual([]);
  expect(s.problems).toEqual([]);
  expect(s.tasks.size).toBe(input.tasks.length);

  let maxEf = 0;
  for (const t of input.tasks) maxEf = Math.max(maxEf, at(t.id).finishIndex);
  expect(s.projectDuration).toBe(maxEf);

  // Forward pass: each auto task starts exactly at the tightest of its floor and its links;
  // a manual task stays put and reports exactly the links it breaks.
  for (const t of input.tasks) {
    const st = at(t.id);
    const d = t.milestone ? 0 : t.duration;
    expect(st.duration).toBe(d);
    expect(st.milestone).toBe(d === 0);
    expect(st.finishIndex - st.startIndex).toBe(d);
    const asked = t.start ? s.calendar.indexOnOrAfter(epochDay(t.start)) : 0;
    const incoming = input.links.filter((l) => l.to === t.id);
    const needs = incoming.map((l) => {
      const p = at(l.from);
      return { id: l.id, need: neededStart(l.type, p.startIndex, p.finishIndex, l.lag, d) };
    });
    if (t.mode === 'auto') {
      expect(st.startIndex).toBeGreaterThanOrEqual(0);
      for (const n of needs) expect(st.startIndex, `${t.id} after ${n.id}`).toBeGreaterThanOrEqual(n.need);
      // Not later than needed: the floor or some link is tight.
      expect(st.startIndex).toBe(Math.max(0, asked, ...needs.map((n) => n.need)));
      expect(st.violatedLinks).toEqual([]);
      if (d === 0) {
        // A milestone driven only by finish links (FS/FF) shows on the day before its start,
        // where the predecessor finished; a start link or its floor on the tie keeps its day.
        const tight = needs.filter((n) => n.need === st.startIndex).map((n) => incoming.find((l) => l.id === n.id)!.type);
        const byFinish = st.startIndex > Math.max(0, asked) && tight.every((type) => type === 'FS' || type === 'FF');
        expect(st.start, `milestone ${t.id}`).toBe(s.calendar.dateOf(byFinish && st.startIndex > 0 ? st.startIndex - 1 : st.startIndex));
      }
    } else {
      expect(st.startIndex).toBe(asked);
      expect([...st.violatedLinks].sort()).toEqual(needs.filter((n) => n.need > st.startIndex).map((n) => n.id).sort());
    }
    if (d > 0) {
      expect(st.start).toBe(s.calendar.dateOf(st.startIndex));
      expect(st.finish).toBe(s.calendar.dateOf(st.finishIndex - 1));
    } else {
      // A milestone shows on its day, or on the day before when a finish link put it there.
      expect([s.calendar.dateOf(st.startIndex), s.calendar.dateOf(st.startIndex - 1)]).toContain(st.start);
      expect(st.finish).toBe(st.start);
    }
  }

  // Backward pass: the late schedule (manual tasks pinned where they are) meets every link
  // and the project finish, and no task could finish any later.
  const lateOf = (id: string) => {
    const st = at(id);
    const pinned = byId.get(id)!.mode === 'manual';
    const ls = pinned ? st.startIndex : st.startIndex + st.totalFloat;
    return { ls, lf: ls + st.duration };
  };
  for (const t of input.tasks) {
    const st = at(t.id);
    const ls = st.startIndex + st.totalFloat;
    const lf = ls + st.duration;
    expect(lf).toBeLessThanOrEqual(s.projectDuration);
    let tight = lf === s.projectDuration;
    let minSlack = s.projectDuration - st.finishIndex;
    for (const l of input.links.filter((k) => k.from === t.id)) {
      const succ = lateOf(l.to);
      const need = neededStart(l.type, ls, lf, l.lag, succ.lf - succ.ls);
      expect(succ.ls, `late ${l.id}`).toBeGreaterThanOrEqual(need);
      if (succ.ls === need) tight = true;
      const early = at(l.to);
      minSlack = Math.min(minSlack, early.startIndex - neededStart(l.type, st.startIndex, st.finishIndex, l.lag, early.duration));
    }
    expect(tight, `${t.id} late finish is not as late as it could be`).toBe(true);
    expect(st.critical).toBe(st.totalFloat <= 0);
    // Free float: slack to the nearest successor constraint, clamped to [0, max(0, total)].
    expect(st.freeFloat).toBeGreaterThanOrEqual(0);
    expect(st.freeFloat).toBeLessThanOrEqual(Math.max(0, st.totalFloat));
    expect(st.freeFloat).toBe(Math.max(0, Math.min(minSlack, Math.max(0, st.totalFloat))));
    if (noManual) expect(st.totalFloat, `${t.id} LS < ES`).toBeGreaterThanOrEqual(0);
  }

  // Critical chain: whatever finishes last is critical; without manual tasks a chain of
  // critical tasks and tight, highlighted links runs back from it to a task at its floor.
  if (input.tasks.length > 0) {
    const last = input.tasks.map((t) => at(t.id)).filter((st) => st.finishIndex === s.projectDuration);
    expect(last.length).toBeGreaterThan(0);
    for (const st of last) expect(st.critical).toBe(true);
    if (noManual) {
      let current = last[0]!;
      for (let guard = 0; guard <= input.tasks.length; guard++) {
        expect(current.totalFloat).toBe(0);
        const t = byId.get(current.id)!;
        const asked = t.start ? s.calendar.indexOnOrAfter(epochDay(t.start)) : 0;
        if (current.startIndex === Math.max(0, asked)) break;
        const driving = input.links.find((l) => {
          if (l.to !== current.id) return false;
          const p = at(l.from);
          return neededStart(l.type, p.startIndex, p.finishIndex, l.lag, current.duration) === current.startIndex;
        });
        expect(driving).toBeDefined();
        expect(s.criticalLinks.has(driving!.id)).toBe(true);
        current = at(driving!.from);
      }
    }
  }

  // Deterministic, and independent of the order of tasks and links.
  expect(schedule(input)).toEqual(s);
  const random = mulberry32(spec.shuffle);
  const reordered = schedule({ ...input, tasks: shuffled(input.tasks, random), links: shuffled(input.links, random) });
  expect(normalized(reordered)).toEqual(normalized(s));
}

/** Transitive closure over the links (n is small). */
function reachability(n: number, links: readonly LinkSpec[]): boolean[][] {
  const reach = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  for (const l of links) reach[l.a]![l.b] = true;
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) if (reach[i]![k]) for (let j = 0; j < n; j++) if (reach[k]![j]) reach[i]![j] = true;
  return reach;
}

function checkCycles(spec: PlanSpec): void {
  const input = toInput(spec);
  const n = spec.tasks.length;
  let s!: Schedule;
  expect(() => (s = schedule(input))).not.toThrow();
  for (const st of s.tasks.values()) {
    expect(Number.isFinite(st.startIndex)).toBe(true);
    expect(Number.isFinite(st.totalFloat)).toBe(true);
  }
  expect(s.tasks.size).toBe(n);

  // Reference: a task is on a cycle iff it reaches itself; a link is on one iff its ends
  // reach each other. Each reported cycle is one strongly connected component.
  const reach = reachability(n, spec.links);
  const reported = new Set(s.cycles.flatMap((c) => c.dependencies));
  const cycleOf = new Map<string, number>();
  s.cycles.forEach((c, k) => {
    expect(c.tasks.length).toBeGreaterThanOrEqual(2);
    for (const id of c.tasks) {
      expect(cycleOf.has(id), `${id} in two cycles`).toBe(false);
      cycleOf.set(id, k);
    }
  });
  for (let i = 0; i < n; i++) {
    expect(s.tasks.get(`t${i}`)!.inCycle).toBe(reach[i]![i]!);
    expect(cycleOf.has(`t${i}`)).toBe(reach[i]![i]!);
  }
  input.links.forEach((l, k) => {
    const { a, b } = spec.links[k]!;
    const onCycle = reach[a]![b]! && reach[b]![a]!;
    expect(reported.has(l.id), `link ${l.id}`).toBe(onCycle);
  });
  for (const [k, c] of s.cycles.entries()) {
    for (const id of c.dependencies) {
      const l = input.links.find((x) => x.id === id)!;
      expect(cycleOf.get(l.from)).toBe(k);
      expect(cycleOf.get(l.to)).toBe(k);
    }
    // Tasks of one cycle reach each other.
    const members = c.tasks.map((id) => Number(id.slice(1)));
    for (const i of members) for (const j of members) expect(reach[i]![j]).toBe(true);
  }

  // Removing the reported links leaves an acyclic plan that schedules the same way.
  const without = schedule({ ...input, links: input.links.filter((l) => !reported.has(l.id)) });
  expect(without.cycles).toEqual([]);
  expect(without.projectDuration).toBe(s.projectDuration);
  for (const t of input.tasks) {
    const a = s.tasks.get(t.id)!;
    const b = without.tasks.get(t.id)!;
    if (a.inCycle) {
      expect(b.startIndex).toBe(a.startIndex);
      continue;
    }
    expect(b).toEqual(a);
  }
}

describe('schedule properties', () => {
  const dag = planArb({ dag: true, maxTasks: 60, allowManual: true });
  const dagAuto = planArb({ dag: true, maxTasks: 60, allowManual: false });
  const cyclic = planArb({ dag: false, maxTasks: 30, allowManual: true });

  it('random DAGs with manual tasks and start dates: forward/backward pass, floats, order independence', () => {
    fc.assert(
      fc.property(dag, (spec) => checkDag(toInput(spec), spec)),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('random DAGs of auto tasks: no negative float and a critical chain', () => {
    fc.assert(
      fc.property(dagAuto, (spec) => checkDag(toInput(spec), spec)),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it('random graphs with cycles: never throws, reports exactly the cycles, schedules the rest as without them', () => {
    fc.assert(fc.property(cyclic, checkCycles), { seed: SEED + 2, numRuns: RUNS });
  });

  it.each(PINNED)('pinned regression: %s', (_name, spec) => {
    checkDag(toInput(spec), spec);
    const reversed = { ...spec, links: [...spec.links].reverse() };
    checkDag(toInput(reversed), reversed);
    expect(normalized(schedule(toInput(reversed)))).toEqual(normalized(schedule(toInput(spec))));
  });
});
