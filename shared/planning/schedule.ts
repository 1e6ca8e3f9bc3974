import { criticalLinkSet, criticalPath } from './cpm.ts';
import { buildLeafGraph } from './leafGraph.ts';
import { dateCache, finishSchedule, leafTask, rollUpSummaries, summariesDeepestFirst } from './scheduledTasks.ts';
import type { Schedule, ScheduleInput, ScheduledTask } from './types.ts';

/**
 * The critical path method over a board's tasks and links, with MS Project's semantics:
 *
 * - Time is counted in working days of the board calendar; a task with early start ES and
 *   duration d occupies working days [ES, ES + d), its early finish EF = ES + d.
 * - Links (predecessor P, successor S, lag L in working days, negative for a lead):
 *   FS  S.ES >= P.EF + L      SS  S.ES >= P.ES + L
 *   FF  S.EF >= P.EF + L      SF  S.EF >= P.ES + L
 * - Auto tasks start at the earliest date those links, the project start and their own
 *   "start no earlier than" date allow. Manual tasks stay where they are; links they break
 *   are reported (`violatedLinks`).
 * - The backward pass gives late dates against the project finish (the latest early
 *   finish); total float = LS - ES, free float = the slack to the nearest successor
 *   constraint (to the project finish for tasks without successors), critical = total float <= 0.
 *   Manual successors are pinned: their predecessors' late dates count back from where they are,
 *   so a predecessor that is late for a manual task gets negative float.
 * - A link on a summary task applies to each of its subtasks; summary tasks roll up dates,
 *   duration, progress (duration-weighted) and costs from their subtasks.
 * - Cycles never loop: each is reported, its links are ignored, everything is still scheduled.
 *
 * Pure and O(tasks + links). After an edit, createScheduler() (scheduler.ts) gives the same
 * result by recomputing only what the edit can move.
 *
 * @example
 *   schedule({ projectStart: '2026-01-05', calendar: { workingDays: [1,2,3,4,5], holidays: [] },
 *     tasks: [a, b], links: [{ id: 'l', from: 'a', to: 'b', type: 'FS', lag: 0 }] })
 *     .tasks.get('b').start // the working day after a's finish
 */
export function schedule(input: ScheduleInput): Schedule {
  const graph = buildLeafGraph(input);
  const { state, criticalEdge } = criticalPath(graph, input.tasks);
  const criticalLinks = criticalLinkSet(graph, criticalEdge);
  const dateOf = dateCache(graph);
  const tasks = new Map<string, ScheduledTask>();
  for (let i = 0; i < graph.n; i++) tasks.set(graph.leafIds[i]!, leafTask(graph, state, i, input.tasks[graph.source[i]!]!, dateOf));
  rollUpSummaries(graph.hierarchy, summariesDeepestFirst(graph.hierarchy), tasks);
  return finishSchedule(graph, input.projectStart, tasks, tasks.values(), criticalLinks, state.finishIndex, dateOf);
}
