import { describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { planInput } from '../../../bench/canvas/planData.ts';
import { isoDate, epochDay } from '../../../shared/planning/calendar.ts';
import { schedule } from '../../../shared/planning/schedule.ts';
import { createScheduler } from '../../../shared/planning/scheduler.ts';
import type { PlanTaskInput, ScheduleInput } from '../../../shared/planning/types.ts';
import { MONDAY, link, plan, task } from './fixtures.ts';
import { LINK_TYPES, canonical, int, pick, randomLink, randomPlan, randomTask } from './randomPlan.ts';
import { mulberry32 } from '../../helpers/random.ts';

/**
 * The incremental scheduler must give exactly schedule() of the same input after every edit,
 * whether it patched its previous result (field and lag edits) or started again (structure).
 */
type Edit = (input: ScheduleInput, random: () => number) => ScheduleInput;

const withTask = (input: ScheduleInput, random: () => number, change: (t: PlanTaskInput) => Partial<PlanTaskInput>): ScheduleInput => {
  if (input.tasks.length === 0) return input;
  const k = int(random, 0, input.tasks.length - 1);
  const tasks = input.tasks.slice();
  tasks[k] = { ...tasks[k]!, ...change(tasks[k]!) };
  return { ...input, tasks };
};

/** Edits that keep the structure (the incremental path). */
const FIELD_EDITS: Edit[] = [
  (input, r) => withTask(input, r, (t) => ({ duration: t.duration + pick(r, [-3, -1, 1, 2, 5]) })),
  (input, r) => withTask(input, r, () => ({ duration: int(r, 0, 12) })),
  (input, r) => withTask(input, r, () => ({ start: r() < 0.3 ? '' : isoDate(epochDay(MONDAY) + int(r, -10, 40)) })),
  (input, r) => withTask(input, r, (t) => ({ mode: t.mode === 'manual' ? 'auto' : 'manual' })),
  (input, r) => withTask(input, r, (t) => ({ milestone: !t.milestone })),
  (input, r) => withTask(input, r, () => ({ progress: int(r, 0, 100), budget: int(r, 0, 500), actualCost: int(r, 0, 500) })),
  (input, r) => withTask(input, r, () => ({})), // same values, new object
  (input, r) => {
    if (input.links.length === 0) return input;
    const k = int(r, 0, input.links.length - 1);
    const links = input.links.slice();
    links[k] = { ...links[k]!, lag: int(r, -4, 6) };
    return { ...input, links };
  },
  (input, r) => {
    if (input.links.length === 0) return input;
    const k = int(r, 0, input.links.length - 1);
    const links = input.links.slice();
    links[k] = { ...links[k]!, type: pick(r, LINK_TYPES) };
    return { ...input, links };
  },
  (input) => input, // nothing changed
];

/** Edits that change the structure (the full path). */
const STRUCTURE_EDITS: Edit[] = [
  (input, r) => ({ ...input, tasks: [...input.tasks, randomTask(r, `new${int(r, 0, 1e6)}`, '')] }),
  (input, r) => ({ ...input, tasks: input.tasks.filter((_, k) => k !== int(r, 0, input.tasks.length - 1)) }),
  (input, r) => (input.tasks.length < 2 ? input : { ...input, links: [...input.links, randomLink(r, `nl${int(r, 0, 1e6)}`, input.tasks.map((t) => t.id), false)] }),
  (input, r) => ({ ...input, links: input.links.filter((_, k) => k !== int(r, 0, input.links.length - 1)) }),
  (input, r) => withTask(input, r, () => ({ parent: input.tasks.length > 0 && r() < 0.7 ? pick(r, input.tasks).id : '' })),
  (input, r) => ({ ...input, calendar: { ...input.calendar, holidays: [...input.calendar.holidays, isoDate(epochDay(MONDAY) + int(r, 0, 30))] } }),
  (input, r) => ({ ...input, projectStart: isoDate(epochDay(MONDAY) + int(r, -2, 2)) }),
];

describe('createScheduler() equals schedule() after every edit', () => {
  it('over 300 seeded random plans, 25 random edits each, mostly field and lag edits', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = mulberry32(seed);
      let input = randomPlan(random);
      const scheduler = createScheduler();
      expect(canonical(scheduler.schedule(input)), `seed ${seed} start`).toStrictEqual(canonical(schedule(input)));
      for (let step = 0; step < 25; step++) {
        const edits = random() < 0.85 ? FIELD_EDITS : STRUCTURE_EDITS;
        input = pick(random, edits)(input, random);
        expect(canonical(scheduler.schedule(input)), `seed ${seed} step ${step}`).toStrictEqual(canonical(schedule(input)));
      }
    }
  });

  it('after several field edits at once', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const random = mulberry32(5000 + seed);
      let input = randomPlan(random, 80);
      const scheduler = createScheduler();
      scheduler.schedule(input);
      for (let step = 0; step < 10; step++) {
        const count = int(random, 2, 6);
        for (let k = 0; k < count; k++) input = pick(random, FIELD_EDITS)(input, random);
        expect(canonical(scheduler.schedule(input)), `seed ${5000 + seed} step ${step}`).toStrictEqual(canonical(schedule(input)));
      }
    }
  });

  it('on larger plans, where most edits leave the project finish where it was', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = mulberry32(9000 + seed);
      let input = randomPlan(random, 300);
      const scheduler = createScheduler();
      scheduler.schedule(input);
      for (let step = 0; step < 30; step++) {
        input = pick(random, FIELD_EDITS)(input, random);
        expect(canonical(scheduler.schedule(input)), `seed ${9000 + seed} step ${step}`).toStrictEqual(canonical(schedule(input)));
      }
    }
  });

  it('is not fooled by a caller that changes its own arrays in place between calls', () => {
    const tasks = [task('a', 2), task('b', 3)];
    const links = [link('a', 'b')];
    const input = plan(tasks, links);
    const scheduler = createScheduler();
    scheduler.schedule(input);
    tasks[0] = task('a', 5);
    expect(canonical(scheduler.schedule(input))).toStrictEqual(canonical(schedule(input)));
    expect(scheduler.schedule(input).tasks.get('b')!.startIndex).toBe(5);
  });

  it('recomputes only what an edit moves: untouched tasks keep their objects', () => {
    // Two independent chains: lengthening the short one's first task moves only that chain
    // (the long one fixes the project finish, so no late date elsewhere moves).
    const long = Array.from({ length: 50 }, (_, i) => task(`l${i}`, 2));
    const short = Array.from({ length: 5 }, (_, i) => task(`s${i}`, 1));
    const links = [
      ...long.slice(1).map((t, i) => link(`l${i}`, t.id)),
      ...short.slice(1).map((t, i) => link(`s${i}`, t.id)),
    ];
    const input = plan([...long, ...short], links);
    const scheduler = createScheduler();
    const before = scheduler.schedule(input);
    const edited = { ...input, tasks: input.tasks.map((t) => (t.id === 's0' ? { ...t, duration: 3 } : t)) };
    const after = scheduler.schedule(edited);
    expect(canonical(after)).toStrictEqual(canonical(schedule(edited)));
    for (const t of long) expect(after.tasks.get(t.id)).toBe(before.tasks.get(t.id));
    for (const t of short) expect(after.tasks.get(t.id)).not.toBe(before.tasks.get(t.id));
    expect(after.tasks.get('s4')!.startIndex).toBe(before.tasks.get('s4')!.startIndex + 2);
  });

  it('re-schedules 10,000 tasks and 20,000 links after one edit in a few milliseconds, exactly as schedule() does', () => {
    let input = planInput(10_000, 20_000);
    const scheduler = createScheduler();
    scheduler.schedule(input);
    // Best of ten edits (stopping at the first fast one): a GC or a busy machine can stall one
    // run, but an incremental path that really recomputes everything is slow every time.
    let best = Infinity;
    for (let i = 0; i < 10 && best >= 10; i++) {
      const tasks = input.tasks.slice();
      tasks[5_000 + i] = { ...tasks[5_000 + i]!, duration: tasks[5_000 + i]!.duration + 2 };
      input = { ...input, tasks };
      const t0 = performance.now();
      scheduler.schedule(input);
      best = Math.min(best, performance.now() - t0);
    }
    expect(best).toBeLessThan(10);
    expect(canonical(scheduler.schedule(input))).toStrictEqual(canonical(schedule(input)));
  });
});
