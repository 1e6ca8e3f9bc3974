import { epochDay } from '../../../shared/planning/calendar.ts';
import type { Schedule, ScheduledTask } from '../../../shared/planning/types.ts';
import type { BaselineTask, Dependency } from '../../../shared/schema/entities.ts';
import { dayToX, type TimeAxis } from './timeScale.ts';

/**
 * Where things are drawn on the Gantt chart, in chart coordinates (x from the axis start,
 * y from the top of the first row). Pure: the same geometry draws the chart and hit-tests
 * the pointer.
 */
export const ROW_HEIGHT = 32;
export const HEADER_HEIGHT = 48;
const BAR_HEIGHT = 16;
const LINK_HANDLE_GAP = 10;

export interface BarGeometry {
  id: string;
  row: number;
  kind: 'task' | 'summary' | 'milestone';
  x: number;
  y: number;
  w: number;
  h: number;
  /** Centre of the milestone diamond / ends of the bar, for links. */
  startX: number;
  endX: number;
  midY: number;
}

export function barOf(axis: TimeAxis, task: ScheduledTask, row: number, calendarDayOfStart: number): BarGeometry {
  const top = row * ROW_HEIGHT;
  const midY = top + ROW_HEIGHT / 2;
  if (task.milestone && !task.summary) {
    // A milestone that follows a finish sits at the end of that day; otherwise at the start of its day.
    const finishDay = epochDay(task.finish);
    const x = finishDay < calendarDayOfStart ? dayToX(axis, finishDay + 1) : dayToX(axis, epochDay(task.start));
    return { id: task.id, row, kind: 'milestone', x: x - 7, y: midY - 7, w: 14, h: 14, startX: x, endX: x, midY };
  }
  const x = dayToX(axis, epochDay(task.start));
  const end = dayToX(axis, epochDay(task.finish) + 1);
  const h = task.summary ? 8 : BAR_HEIGHT;
  return { id: task.id, row, kind: task.summary ? 'summary' : 'task', x, y: midY - h / 2 - (task.summary ? 2 : 0), w: Math.max(2, end - x), h, startX: x, endX: end, midY };
}

/** The baseline bar under a task's live bar. */
export function baselineBarOf(axis: TimeAxis, base: BaselineTask, row: number): { x: number; y: number; w: number; h: number } {
  const x = dayToX(axis, epochDay(base.start));
  const end = base.duration === 0 ? x + 2 : dayToX(axis, epochDay(base.finish) + 1);
  return { x, y: row * ROW_HEIGHT + ROW_HEIGHT - 7, w: Math.max(2, end - x), h: 4 };
}

/** An elbow route from the predecessor's side to the successor's side, as MS Project draws links. */
export function linkRoute(dep: Pick<Dependency, 'type'>, from: BarGeometry, to: BarGeometry): number[] {
  const fromFinish = dep.type === 'FS' || dep.type === 'FF';
  const toStart = dep.type === 'FS' || dep.type === 'SS';
  const sx = fromFinish ? from.endX : from.startX;
  const ex = toStart ? to.startX : to.endX;
  const sy = from.midY;
  const ey = to.midY;
  const out = fromFinish ? 1 : -1;
  // Approach from the left into a start, from the right into a finish.
  const approach = toStart ? -1 : 1;
  const p1x = sx + out * LINK_HANDLE_GAP;
  const p4x = ex + approach * LINK_HANDLE_GAP;
  const straight = out === -approach ? (out === 1 ? p1x <= p4x : p1x >= p4x) : true;
  if (straight) {
    const mx = out === -approach ? p1x : out === 1 ? Math.max(p1x, p4x) : Math.min(p1x, p4x);
    return [sx, sy, mx, sy, mx, ey, ex, ey];
  }
  const gapY = ey > sy ? to.row * ROW_HEIGHT : (to.row + 1) * ROW_HEIGHT;
  return [sx, sy, p1x, sy, p1x, gapY, p4x, gapY, p4x, ey, ex, ey];
}

/** Distance from (px, py) to a polyline [x0, y0, x1, y1, ...]. */
export function distanceToPolyline(points: readonly number[], px: number, py: number): number {
  let best = Infinity;
  for (let i = 0; i + 3 < points.length; i += 2) {
    const [x1, y1, x2, y2] = [points[i]!, points[i + 1]!, points[i + 2]!, points[i + 3]!];
    const dx = x2 - x1;
    const dy = y2 - y1;
    const len = dx * dx + dy * dy;
    const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len));
    const d = Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
    if (d < best) best = d;
  }
  return best;
}

export type GanttHit =
  | { kind: 'bar'; id: string; part: 'body' | 'end' | 'link-handle' }
  | { kind: 'link'; id: string }
  | { kind: 'row'; row: number }
  | { kind: 'none' };

/** What the pointer is over: a bar's link handle, its resize end, its body, a link arrow, or a row. */
export function hitTest(
  rowBars: ReadonlyArray<BarGeometry | undefined>,
  routes: ReadonlyArray<{ id: string; points: number[] }>,
  x: number,
  y: number,
  options: { editable: boolean },
): GanttHit {
  const row = Math.floor(y / ROW_HEIGHT);
  const bar = rowBars[row];
  if (bar) {
    if (options.editable && bar.kind !== 'summary' && Math.hypot(x - (bar.endX + LINK_HANDLE_GAP), y - bar.midY) <= 7) {
      return { kind: 'bar', id: bar.id, part: 'link-handle' };
    }
    const inside = x >= bar.x - 2 && x <= bar.x + bar.w + 2 && y >= bar.y - 3 && y <= bar.y + bar.h + 3;
    if (inside) {
      if (options.editable && bar.kind === 'task' && x >= bar.x + bar.w - 6) return { kind: 'bar', id: bar.id, part: 'end' };
      return { kind: 'bar', id: bar.id, part: 'body' };
    }
  }
  for (const route of routes) if (distanceToPolyline(route.points, x, y) <= 4) return { kind: 'link', id: route.id };
  return row >= 0 && row < rowBars.length ? { kind: 'row', row } : { kind: 'none' };
}

/** Geometry of every visible row's bar (undefined for rows the schedule does not know). */
export function layoutBars(
  axis: TimeAxis,
  rowIds: readonly string[],
  schedule: Schedule,
): { bars: Map<string, BarGeometry>; rowBars: Array<BarGeometry | undefined> } {
  const bars = new Map<string, BarGeometry>();
  const rowBars: Array<BarGeometry | undefined> = [];
  rowIds.forEach((id, row) => {
    const task = schedule.tasks.get(id);
    if (!task) {
      rowBars.push(undefined);
      return;
    }
    const bar = barOf(axis, task, row, schedule.calendar.dayOf(task.startIndex));
    bars.set(id, bar);
    rowBars.push(bar);
  });
  return { bars, rowBars };
}
