import { MAX_LAG_DAYS } from '../../schema/entities.ts';
import { schedule } from '../../planning/schedule.ts';
import { LINK_TYPE_FROM_CODE } from './codes.ts';
import { lagDays } from './duration.ts';
import type { RawTask, TaskContext } from './readTask.ts';
import type { MspdiLink, MspdiTask } from './types.ts';

/** Rounds of "drop one link per cycle, look again" before every remaining cycle link goes. */
const MAX_CYCLE_ROUNDS = 100;

/**
 * The PredecessorLinks of the file as Planvas links: type and lag converted, and every link
 * Planvas would refuse skipped with a warning (another project's task, an unknown or the
 * same task, a second link between the same two tasks, a summary task and its own subtask, a
 * loop of links), so what is imported is exactly what the board can hold.
 */
export function resolveLinks(raw: readonly RawTask[], tasks: readonly MspdiTask[], ctx: TaskContext, warn: (message: string, task?: string) => void): MspdiLink[] {
  const byUid = new Map(tasks.map((t) => [t.uid, t]));
  const isAncestor = (ancestor: number, of: number): boolean => {
    for (let at = byUid.get(of)?.parentUid ?? null, guard = 0; at !== null && guard <= tasks.length; guard++) {
      if (at === ancestor) return true;
      at = byUid.get(at)?.parentUid ?? null;
    }
    return false;
  };
  const links: MspdiLink[] = [];
  const pairs = new Set<string>();
  for (const task of raw) {
    const label = `UID ${task.uid}`;
    for (const link of task.links) {
      const from = link.predecessorUid;
      const predecessor = byUid.get(from);
      if (link.crossProject) {
        warn(`the link from another project's task (UID ${from}) was skipped`, label);
        continue;
      }
      if (!predecessor) {
        warn(`the link from UID ${from} was skipped: ${from === 0 ? 'UID 0 is the project summary task' : 'no such task in the file'}`, label);
        continue;
      }
      if (from === task.uid) {
        warn('a link from the task to itself was skipped', label);
        continue;
      }
      const pair = `${from}>${task.uid}`;
      if (pairs.has(pair)) {
        warn(`a second link from UID ${from} was skipped (Planvas keeps one link per pair of tasks)`, label);
        continue;
      }
      if (isAncestor(from, task.uid) || isAncestor(task.uid, from)) {
        warn(`the link from UID ${from} was skipped: it joins a summary task and its own subtask`, label);
        continue;
      }
      let type = LINK_TYPE_FROM_CODE[link.typeCode];
      if (!type) {
        warn(`link type ${link.typeCode} from UID ${from} is unknown; finish-to-start is used`, label);
        type = 'FS';
      }
      const converted = lagDays(link.linkLag, link.lagFormat, ctx.minutesPerDay, ctx.workingDaysPerWeek, predecessor.duration);
      let lag = converted.days;
      if (converted.elapsed || converted.inexact !== undefined) {
        const exact = converted.inexact ?? lag;
        warn(`the ${converted.elapsed ? 'elapsed ' : ''}lag of ${Math.round(exact * 100) / 100} days from UID ${from} was rounded to ${lag} working days`, label);
      }
      if (Math.abs(lag) > MAX_LAG_DAYS) {
        lag = Math.sign(lag) * MAX_LAG_DAYS;
        warn(`the lag from UID ${from} is longer than ${MAX_LAG_DAYS} days; cut to ${lag}`, label);
      }
      pairs.add(pair);
      links.push({ from, to: task.uid, type, lag });
    }
  }
  return dropCycles(tasks, links, warn);
}

/**
 * Planvas refuses a link that closes a loop (a link on a summary task applies to its
 * subtasks, so loops are found the way the scheduler sees them). The last link of each loop,
 * in file order, is dropped and reported until no loop is left.
 */
function dropCycles(tasks: readonly MspdiTask[], links: MspdiLink[], warn: (message: string, task?: string) => void): MspdiLink[] {
  if (links.length === 0) return links;
  const planTasks = tasks.map((t) => ({
    id: String(t.uid),
    parent: t.parentUid === null ? '' : String(t.parentUid),
    duration: 1,
    start: '',
    mode: 'auto' as const,
    milestone: false,
    progress: 0,
    budget: 0,
    actualCost: 0,
  }));
  let kept = links.map((link, index) => ({ link, index }));
  for (let round = 0; round <= MAX_CYCLE_ROUNDS; round++) {
    const { cycles } = schedule({
      projectStart: '2026-01-05',
      calendar: { workingDays: [1, 2, 3, 4, 5], holidays: [] },
      tasks: planTasks,
      links: kept.map(({ link, index }) => ({ id: String(index), from: String(link.from), to: String(link.to), type: link.type, lag: link.lag })),
    });
    if (cycles.length === 0) break;
    const drop = new Set<number>();
    for (const cycle of cycles) {
      const indexes = cycle.dependencies.map(Number);
      // Last round: every link still on a loop goes, so this ends whatever the file holds.
      if (round === MAX_CYCLE_ROUNDS) indexes.forEach((i) => drop.add(i));
      else drop.add(Math.max(...indexes));
    }
    for (const { link, index } of kept) {
      if (drop.has(index)) warn(`the link from UID ${link.from} was skipped: it closes a loop of links`, `UID ${link.to}`);
    }
    kept = kept.filter(({ index }) => !drop.has(index));
  }
  return kept.map(({ link }) => link);
}
