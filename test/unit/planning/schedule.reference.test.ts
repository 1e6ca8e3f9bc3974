import { describe, expect, it } from 'vitest';
import { schedule } from '../../../shared/planning/schedule.ts';
import { schedule as referenceSchedule } from './reference/schedule.ts';
import { canonical, randomPlan } from './randomPlan.ts';
import { mulberry32 } from '../../helpers/random.ts';

/**
 * The fast kernel (precomputed plan graph, one map from id to leaf, no Tarjan search without a
 * cycle, shared adjacency) must give exactly what the straightforward one gave: every field of
 * every task, map and set order, cycles and problems, over many seeded random plans.
 */
const SEEDS = 600;

describe('schedule() matches the reference implementation', () => {
  it(`on ${SEEDS} seeded random plans (summaries, manual tasks, milestones, all link types, lags, leads, holidays, cycles)`, () => {
    let withCycles = 0;
    let withSummaries = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const input = randomPlan(mulberry32(seed));
      const expected = referenceSchedule(input);
      const actual = schedule(input);
      expect(canonical(actual), `seed ${seed}`).toStrictEqual(canonical(expected));
      if (expected.cycles.length > 0) withCycles++;
      if ([...expected.tasks.values()].some((t) => t.summary)) withSummaries++;
    }
    // The generator really reaches the hard cases.
    expect(withCycles).toBeGreaterThan(SEEDS / 20);
    expect(withSummaries).toBeGreaterThan(SEEDS / 4);
  });

  it('on large plans too (300 tasks, 600 links)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const input = randomPlan(mulberry32(1000 + seed), 300);
      expect(canonical(schedule(input)), `seed ${1000 + seed}`).toStrictEqual(canonical(referenceSchedule(input)));
    }
  });
});
