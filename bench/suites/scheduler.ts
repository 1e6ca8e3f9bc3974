import { performance } from 'node:perf_hooks';
import { schedule } from '../../shared/planning/schedule.ts';
import type { ScheduleInput } from '../../shared/planning/types.ts';
import { planInput } from '../canvas/planData.ts';
import { median, type BenchRow, type BenchOptions, type Suite, type SuiteResult } from '../types.ts';

/**
 * Figure 7: the critical-path scheduler in Node (no browser). A plan of 10k auto tasks and
 * 20k finish-to-start links (each task has two predecessors among the 200 before it).
 * Full schedule() time, and the time to re-schedule after one edit. Planvas has no
 * incremental scheduler: the re-schedule is a full schedule() of the edited input.
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

export const schedulerSuite: Suite = {
  name: 'scheduler',
  async run(options: BenchOptions): Promise<SuiteResult> {
    const input = planInput(TASKS, LINKS);
    for (let i = 0; i < WARMUP; i++) timeOnce(input);

    const fullRuns: number[] = [];
    const editRuns: number[] = [];
    for (let rep = 0; rep < options.repetitions; rep++) {
      const full: number[] = [];
      for (let i = 0; i < SAMPLES; i++) full.push(timeOnce(input));
      fullRuns.push(median(full)!);

      // One edit: a task in the middle of the plan gets a new duration (as a bar resize would).
      const edits: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const k = Math.floor(TASKS / 2) + i;
        const tasks = input.tasks.slice();
        tasks[k] = { ...tasks[k]!, duration: tasks[k]!.duration + 1 + (i % 3) };
        edits.push(timeOnce({ ...input, tasks }));
      }
      editRuns.push(median(edits)!);
      options.log(`run ${rep + 1}: full ${fullRuns.at(-1)!.toFixed(2)} ms, after one edit ${editRuns.at(-1)!.toFixed(2)} ms`);
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
        note: 'no incremental scheduler: a full schedule() of the edited plan',
      },
    ];
    return {
      suite: 'scheduler',
      rows,
      notes: [
        `${TASKS} auto tasks (1-10 working days), ${LINKS} FS links (2 predecessors per task among the 200 before it, acyclic), Mon-Fri calendar; ${WARMUP} warm-up runs, then the median of ${SAMPLES} timed runs per repetition.`,
        'Re-scheduling after one edit is a full schedule() of the plan with one task\'s duration changed (Planvas has no incremental scheduler); the time includes nothing else (no document read).',
      ],
    };
  },
};
