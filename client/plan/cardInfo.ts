import type { PlanModel } from './planModel.ts';
import { isComplete } from '../../shared/planning/completion.ts';

/** What a canvas task card shows of the plan: scheduled dates, progress and badges. */
export interface CardPlanInfo {
  start: string;
  finish: string;
  progress: number;
  critical: boolean;
  late: boolean;
  summary: boolean;
  milestone: boolean;
  /** In a dependency loop, or a manual task that breaks a link. */
  warning: boolean;
  /** The board's label for the task's status ('' when not set). */
  statusLabel: string;
}

export type LinkTone = 'normal' | 'critical' | 'cycle';

const cache = new WeakMap<PlanModel, { key: string; infos: Map<string, CardPlanInfo>; tones: Map<string, LinkTone> }>();

/**
 * Card infos for every task, keeping the previous object for a task whose info did not
 * change, so memoized cards only re-render when what they show changed.
 */
export function planDecorations(plan: PlanModel): { infos: ReadonlyMap<string, CardPlanInfo>; tones: ReadonlyMap<string, LinkTone> } {
  const schedule = plan.schedule();
  const today = plan.today();
  // Only what the cards show: plan fields, links and settings (not positions: a peer dragging a
  // card must not rebuild every card's info, nor break the shape list's memo).
  const key = `${plan.planKey()}:${today}`;
  const previous = cache.get(plan);
  if (previous?.key === key) return previous;
  const infos = new Map<string, CardPlanInfo>();
  for (const t of schedule.tasks.values()) {
    const next: CardPlanInfo = {
      start: t.start,
      finish: t.finish,
      progress: Math.round(t.progress),
      critical: t.critical,
      late: !t.summary && t.finish < today && !isComplete(plan.board.tasks.get(t.id) ?? { status: '' }, t.progress),
      summary: t.summary,
      milestone: t.milestone,
      warning: t.inCycle || t.violatedLinks.length > 0,
      statusLabel: plan.statusLabel(plan.board.tasks.get(t.id)?.status ?? ''),
    };
    const old = previous?.infos.get(t.id);
    infos.set(t.id, old && sameInfo(old, next) ? old : next);
  }
  const tones = new Map<string, LinkTone>();
  for (const id of schedule.criticalLinks) tones.set(id, 'critical');
  for (const cycle of schedule.cycles) for (const id of cycle.dependencies) tones.set(id, 'cycle');
  const entry = { key, infos, tones };
  cache.set(plan, entry);
  return entry;
}

function sameInfo(a: CardPlanInfo, b: CardPlanInfo): boolean {
  return (Object.keys(a) as Array<keyof CardPlanInfo>).every((k) => a[k] === b[k]);
}
