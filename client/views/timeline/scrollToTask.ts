import { epochDay } from '../../../shared/planning/calendar.ts';
import type { ScheduledTask } from '../../../shared/planning/types.ts';
import { dayToX, type TimeAxis } from './timeScale.ts';

/** Screen pixels kept between a revealed bar and the edge of the chart. */
export const REVEAL_MARGIN = 48;

/**
 * "Scroll to Task" (MS Project): the scrollLeft that brings the span [start, end) (chart x) into
 * a view `width` wide now scrolled to `scrollLeft`, or null when it needs no scrolling.
 * - fully visible (with the margin): null;
 * - partly visible and it fits: the smallest scroll that shows all of it;
 * - off screen and it fits: centred;
 * - wider than the view: its start at the margin, unless the start is on screen already.
 * The result is clamped to [0, maxScroll].
 *
 * @example
 *   revealSpan({ scrollLeft: 0, width: 1000, maxScroll: 5000 }, 3000, 3200) // -> 2600 (centred)
 */
export function revealSpan(
  view: { scrollLeft: number; width: number; maxScroll: number },
  start: number,
  end: number,
  margin = REVEAL_MARGIN,
): number | null {
  const { scrollLeft: left, width } = view;
  const right = left + width;
  const m = Math.min(margin, width / 4);
  const span = Math.max(0, end - start);
  let target: number;
  if (span <= width - 2 * m) {
    if (start >= left + m && end <= right - m) return null;
    const offScreen = end <= left || start >= right;
    if (offScreen) target = start - (width - span) / 2;
    else target = start < left + m ? start - m : end + m - width;
  } else {
    if (start >= left + m && start <= right - m) return null;
    target = start - m;
  }
  const clamped = Math.min(Math.max(0, view.maxScroll), Math.max(0, target));
  return Math.abs(clamped - left) < 0.5 ? null : clamped;
}

/** A scheduled task's bar on `axis`, in chart x: [start, end) (a milestone is its diamond). */
export function barSpan(axis: TimeAxis, task: Pick<ScheduledTask, 'start' | 'finish' | 'milestone' | 'summary'>): { start: number; end: number } {
  if (task.milestone && !task.summary) {
    // As the chart draws it (ganttGeometry's barOf): a milestone after a finish sits at the end of that day.
    const startDay = epochDay(task.start);
    const finishDay = epochDay(task.finish);
    const x = dayToX(axis, finishDay < startDay ? finishDay + 1 : startDay);
    return { start: x - 8, end: x + 8 };
  }
  return { start: dayToX(axis, epochDay(task.start)), end: dayToX(axis, epochDay(task.finish) + 1) };
}
