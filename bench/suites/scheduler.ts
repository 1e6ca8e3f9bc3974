import { performance } from 'node:perf_hooks';
import { schedule } from '../../shared/planning/schedule.ts';
import { createScheduler, type Scheduler } from '../../shared/planning/scheduler.ts';
import type { ScheduleInput } from '../../shared/planning/types.ts';
import { planInput } from '../canvas/planData.ts';
import { median, type BenchRow, type BenchOptions, type Suite, type SuiteResult } from '../types.ts';

/**
 * Figure 7: the critical-path scheduler in Node (no browser). A plan of 10k auto tasks and
 * 20k finish-to-start links (each task has two predecessors among the 200 before it).
 * Full schedule() time, and the time to re-schedule after one edit with the incremental
 * scheduler the client uses (createScheduler(): it recomputes what the edit moves and shares
 * the rest with the previous result); the full schedule() of the same edited plans is logged
 * beside it.
 */
const TASKS = 10_000;
const LINKS = 20_000;
const SAMPLES = 10;
const WARMUP = 5;

function timeOnce(input: ScheduleInput): number {
  const t0 = performance.now();
  const result = schedule(input);
  const ms = performance.now() - t0;
  if (result.tasks.size !== input.tasks.length) throw new Error('scheduler lost tasks');
  return ms;
}

/** One edit (a bar resize: a task in the middle of the plan gets a new duration) of the plan before. */
function edited(input: ScheduleInput, i: number): ScheduleInput {
  const k = Math.floor(TASKS / 2) + (i % 100);
  const tasks = input.tasks.slice();
  tasks[k] = { ...tasks[k]!, duration: 1 + ((tasks[k]!.duration + 1 + (i % 3)) % 10) };
  return { ...input, tasks };
}

function timeIncremental(scheduler: Scheduler, input: ScheduleInput): number {
  const t0 = performance.now();
  const result = scheduler.schedule(input);
  const ms = performance.now() - t0;
  if (result.tasks.size !== input.tasks.length) throw new Error('scheduler lost tasks');
  return ms;
}

export const schedulerSuite: Suite = {
  name: 'scheduler',
  async run(options: BenchOptions): Promise<SuiteResult> {
    const input = planInput(TASKS, LINKS);
    for (let i = 0; i < WARMUP; i++) timeOnce(input);

    // The incremental scheduler starts from a full schedule and is warmed up on edits too.
    const scheduler = createScheduler();
    let current = input;
    scheduler.schedule(current);
    // Each edit costs ~1 ms, so it takes more of them than full runs for the JIT to settle.
    for (let i = 0; i < WARMUP * 20; i++) timeIncremental(scheduler, (current = edited(current, i)));

    const fullRuns: number[] = [];
    const editRuns: number[] = [];
    const editFullRuns: number[] = [];
    for (let rep = 0; rep < options.repetitions; rep++) {
      const full: number[] = [];
      for (let i = 0; i < SAMPLES; i++) full.push(timeOnce(input));
      fullRuns.push(median(full)!);

      // One edit at a time, each on the plan the previous one left, as a user makes them.
      const plans: ScheduleInput[] = [];
      for (let i = 0; i < SAMPLES; i++) plans.push((current = edited(current, WARMUP * 20 + rep * SAMPLES + i)));
      const edits = plans.map((plan) => timeIncremental(scheduler, plan));
      // The same edited plans as full schedules, timed apart so that their garbage is not
      // collected during the incremental runs.
      const editsFull = plans.map((plan) => timeOnce(plan));
      editRuns.push(median(edits)!);
      editFullRuns.push(median(editsFull)!);
      options.log(
        `run ${rep + 1}: full ${fullRuns.at(-1)!.toFixed(2)} ms, after one edit ${editRuns.at(-1)!.toFixed(2)} ms incremental (${editFullRuns.at(-1)!.toFixed(2)} ms as a full schedule())`,
      );
    }

    const rows: BenchRow[] = [
      {
        id: 'schedule-full-10k',
        label: `Full schedule(), ${TASKS.toLocaleString('en')} tasks + ${LINKS.toLocaleString('en')} links (median of ${SAMPLES})`,
        unit: 'ms',
        goal: { text: '<= 20 ms', target: 20, lowerIsBetter: true },
        values: { planvas: median(fullRuns) },
        runs: { planvas: fullRuns },
      },
      {
        id: 'schedule-edit-10k',
        label: `Re-schedule after one duration edit, ${TASKS.toLocaleString('en')} tasks (median of ${SAMPLES})`,
        unit: 'ms',
        goal: { text: '<= 2 ms', target: 2, lowerIsBetter: true },
        values: { planvas: median(editRuns) },
        runs: { planvas: editRuns },
        note: `incremental (createScheduler); a full schedule() of the same edited plans: ${median(editFullRuns)!.toFixed(1)} ms`,
      },
    ];
    return {
      suite: 'scheduler',
      rows,
      notes: [
        `${TASKS} auto tasks (1-10 working days), ${LINKS} FS links (2 predecessors per task among the 200 before it, acyclic), Mon-Fri calendar; ${WARMUP} warm-up runs, then the median of ${SAMPLES} timed runs per repetition.`,
        `Re-scheduling after one edit: createScheduler().schedule() of the plan with one more task's duration changed than in its previous call (it compares the input with the previous one, recomputes early dates where the edit moves them, late dates and floats in one linear pass, and builds new task objects only for tasks whose figures changed); the time includes nothing else (no document read). The same edited plans as a full schedule(): median ${median(editFullRuns)!.toFixed(1)} ms.`,
      ],
    };
  },
};
