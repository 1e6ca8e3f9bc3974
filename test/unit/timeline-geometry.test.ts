import { describe, expect, it } from 'vitest';
import { epochDay, isoDate, weekday } from '../../shared/planning/calendar.ts';
import { schedule } from '../../shared/planning/schedule.ts';
import type { Schedule, ScheduledTask } from '../../shared/planning/types.ts';
import {
  ROW_HEIGHT,
  barOf,
  baselineBarOf,
  distanceToPolyline,
  hitTest,
  layoutBars,
  linkRoute,
  type BarGeometry,
} from '../../client/views/timeline/ganttGeometry.ts';
import { PX_PER_DAY, axisTicks, dayToX, makeAxis, xToDay, type AxisTick, type TimeAxis } from '../../client/views/timeline/timeScale.ts';
import { link, plan, task } from './planning/fixtures.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Day-scale axis from Monday 2025-12-29 (2026-01-05 minus a week): x = 36 px per day from there. */
function dayAxis(): TimeAxis {
  return makeAxis('day', '2026-01-05', '2026-01-31');
}

const X = (iso: string) => (epochDay(iso) - epochDay('2025-12-29')) * 36;

function scheduled(s: Schedule, id: string): ScheduledTask {
  const t = s.tasks.get(id);
  if (!t) throw new Error(`not scheduled: ${id}`);
  return t;
}

function bar(axis: TimeAxis, s: Schedule, id: string, row: number): BarGeometry {
  const t = scheduled(s, id);
  return barOf(axis, t, row, s.calendar.dayOf(t.startIndex));
}

function daysInMonth(iso: string): number {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Bands are contiguous, ordered, and cover [fromX, toX]. */
function expectCovering(list: AxisTick[], fromX: number, toX: number): void {
  expect(list.length).toBeGreaterThan(0);
  expect(list[0]!.x).toBeLessThanOrEqual(fromX);
  const last = list[list.length - 1]!;
  expect(last.x + last.width).toBeGreaterThanOrEqual(toX);
  for (let i = 1; i < list.length; i++) expect(list[i]!.x).toBe(list[i - 1]!.x + list[i - 1]!.width);
}

describe('makeAxis', () => {
  const froms = ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11', '2024-02-29'];

  it.each(['day', 'week'] as const)('%s axis starts on a Monday at least a week before the first date', (scale) => {
    for (const from of froms) {
      const axis = makeAxis(scale, from, '2026-06-30');
      expect(weekday(axis.firstDay)).toBe(1);
      expect(axis.firstDay).toBeLessThanOrEqual(epochDay(from) - 7);
      expect(axis.firstDay).toBeGreaterThan(epochDay(from) - 14);
      expect(axis.pxPerDay).toBe(PX_PER_DAY[scale]);
      expect(axis.width).toBe(axis.days * axis.pxPerDay);
    }
  });

  it('month axis starts on the 1st of the month at least 31 days before the first date', () => {
    for (const from of [...froms, '2026-03-31', '2026-12-01']) {
      const axis = makeAxis('month', from, '2027-01-01');
      expect(isoDate(axis.firstDay).slice(8)).toBe('01');
      expect(axis.firstDay).toBeLessThanOrEqual(epochDay(from) - 31);
      expect(axis.firstDay).toBeGreaterThan(epochDay(from) - 31 - 31);
    }
    expect(isoDate(makeAxis('month', '2026-03-15', '2026-04-01').firstDay)).toBe('2026-02-01');
  });

  it('covers the last date plus a margin that grows with the scale', () => {
    const to = epochDay('2026-01-31');
    const day = dayAxis();
    expect(isoDate(day.firstDay)).toBe('2025-12-29');
    expect(day.firstDay + day.days - 1).toBe(to + 21);
    expect(day.width).toBe(day.days * 36);
    const week = makeAxis('week', '2026-01-05', '2026-01-31');
    expect(week.firstDay + week.days - 1).toBe(to + 56);
    const month = makeAxis('month', '2026-01-05', '2026-01-31');
    expect(month.firstDay + month.days - 1).toBe(to + 180);
  });

  it('never has fewer than one day, even for an inverted range', () => {
    const axis = makeAxis('day', '2026-06-01', '2026-01-01');
    expect(axis.days).toBe(1);
    expect(axis.width).toBe(36);
  });
});

describe('dayToX / xToDay', () => {
  it.each(['day', 'week', 'month'] as const)('round-trips every day of a %s axis', (scale) => {
    const axis = makeAxis(scale, '2026-01-05', '2026-03-31');
    for (let d = axis.firstDay - 3; d <= axis.firstDay + axis.days + 3; d++) {
      const x = dayToX(axis, d);
      expect(x).toBe((d - axis.firstDay) * axis.pxPerDay);
      expect(xToDay(axis, x)).toBe(d);
      expect(xToDay(axis, x, 'nearest')).toBe(d);
      // Inside the day: floor stays on it, nearest goes to the closer boundary.
      expect(xToDay(axis, x + axis.pxPerDay * 0.4)).toBe(d);
      expect(xToDay(axis, x + axis.pxPerDay * 0.9)).toBe(d);
      expect(xToDay(axis, x + axis.pxPerDay * 0.4, 'nearest')).toBe(d);
      expect(xToDay(axis, x + axis.pxPerDay * 0.6, 'nearest')).toBe(d + 1);
    }
  });

  it('places known dates', () => {
    const axis = dayAxis();
    expect(dayToX(axis, epochDay('2025-12-29'))).toBe(0);
    expect(dayToX(axis, epochDay('2026-01-05'))).toBe(252);
    expect(isoDate(xToDay(axis, 253))).toBe('2026-01-05');
    expect(isoDate(xToDay(axis, -1))).toBe('2025-12-28');
  });
});

describe('axisTicks', () => {
  it('day scale: month bands above, one band per day below, covering the visible range', () => {
    const axis = dayAxis();
    const { upper, lower } = axisTicks(axis, 0, 400);
    expect(upper.map((t) => t.label)).toEqual(['Dec 2025', 'Jan 2026']);
    expect(upper[1]).toEqual({ x: X('2026-01-01'), width: 31 * 36, label: 'Jan 2026' });
    expect(upper[0]).toEqual({ x: X('2025-12-01'), width: 31 * 36, label: 'Dec 2025' });
    expectCovering(upper, 0, 400);
    expectCovering(lower, 0, 400);
    expect(lower[0]).toEqual({ x: 0, width: 36, label: '29' });
    expect(lower.map((t) => t.label).slice(0, 6)).toEqual(['29', '30', '31', '1', '2', '3']);
    for (const t of lower) {
      expect(t.width).toBe(36);
      expect(t.label).toBe(String(Number(isoDate(xToDay(axis, t.x)).slice(8))));
    }
  });

  it('day scale: a scrolled window starts a day before it and ends a day after', () => {
    const axis = makeAxis('day', '2026-01-05', '2026-04-30');
    const fromX = 40 * 36 + 10;
    const toX = 75 * 36 + 5;
    const { upper, lower } = axisTicks(axis, fromX, toX);
    expectCovering(upper, fromX, toX);
    expectCovering(lower, fromX, toX);
    expect(lower[0]!.x).toBe(39 * 36);
    expect(lower[lower.length - 1]!.x).toBe(76 * 36);
    expect(upper.map((t) => t.label)).toEqual(['Feb 2026', 'Mar 2026']);
    for (const t of upper) {
      const first = isoDate(xToDay(axis, t.x));
      expect(first.slice(8)).toBe('01');
      expect(t.width).toBe(daysInMonth(first) * 36);
      expect(t.label).toBe(`${MONTHS[Number(first.slice(5, 7)) - 1]} ${first.slice(0, 4)}`);
    }
  });

  it('week scale: week bands start on Mondays, labelled with their date', () => {
    const axis = makeAxis('week', '2026-01-07', '2026-03-20');
    const { upper, lower } = axisTicks(axis, 100, 900);
    expectCovering(upper, 100, 900);
    expectCovering(lower, 100, 900);
    expect(upper.map((t) => t.label)).toEqual(['Jan 2026', 'Feb 2026', 'Mar 2026']);
    expect(lower.map((t) => t.label).slice(0, 4)).toEqual(['Dec 29', 'Jan 5', 'Jan 12', 'Jan 19']);
    for (const t of lower) {
      const day = xToDay(axis, t.x);
      expect(weekday(day)).toBe(1);
      expect(t.width).toBe(7 * 14);
      const iso = isoDate(day);
      expect(t.label).toBe(`${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8))}`);
    }
  });

  it('month scale: years above, months below, each band as wide as its month', () => {
    const axis = makeAxis('month', '2026-01-07', '2026-03-20');
    const { upper, lower } = axisTicks(axis, 100, 900);
    expectCovering(upper, 100, 900);
    expectCovering(lower, 100, 900);
    expect(upper.map((t) => t.label)).toEqual(['2025', '2026']);
    expect(upper[1]).toEqual({ x: (epochDay('2026-01-01') - axis.firstDay) * 4, width: 365 * 4, label: '2026' });
    expect(lower.map((t) => t.label)).toEqual(['Dec', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul']);
    for (const t of lower) {
      const first = isoDate(xToDay(axis, t.x));
      expect(first.slice(8)).toBe('01');
      expect(t.width).toBe(daysInMonth(first) * 4);
      expect(t.label).toBe(MONTHS[Number(first.slice(5, 7)) - 1]);
    }
    expect(lower[2]!.width).toBe(28 * 4);
  });

  it('crosses a year boundary on the day scale', () => {
    const axis = makeAxis('day', '2026-12-20', '2027-01-10');
    const fromX = dayToX(axis, epochDay('2026-12-28'));
    const toX = dayToX(axis, epochDay('2027-01-03'));
    const { upper, lower } = axisTicks(axis, fromX, toX);
    expect(upper.map((t) => t.label)).toEqual(['Dec 2026', 'Jan 2027']);
    expect(lower.map((t) => t.label)).toEqual(['27', '28', '29', '30', '31', '1', '2', '3', '4']);
  });
});

describe('barOf', () => {
  it('a task bar spans from the start of its first day to the end of its finish day', () => {
    const s = schedule(plan([task('A', 3), task('B', 2)], [link('A', 'B', 'FS', 2)]));
    const axis = dayAxis();
    expect(bar(axis, s, 'A', 0)).toEqual({
      id: 'A', row: 0, kind: 'task', x: 252, y: 8, w: 108, h: 16, startX: 252, endX: 360, midY: ROW_HEIGHT / 2,
    });
    const b = bar(axis, s, 'B', 2);
    expect(scheduled(s, 'B')).toMatchObject({ start: '2026-01-12', finish: '2026-01-13' });
    expect(b).toMatchObject({ kind: 'task', row: 2, x: X('2026-01-12'), startX: X('2026-01-12'), endX: X('2026-01-14'), w: 72, midY: 80, y: 72 });
  });

  it('a summary bar is thinner, raised, and spans its subtasks', () => {
    const s = schedule(plan([task('S', 0), task('C1', 2, { parent: 'S' }), task('C2', 3, { parent: 'S' })], [link('C1', 'C2')]));
    const b = bar(dayAxis(), s, 'S', 0);
    expect(scheduled(s, 'S')).toMatchObject({ summary: true, start: '2026-01-05', finish: '2026-01-09' });
    expect(b).toEqual({ id: 'S', row: 0, kind: 'summary', x: 252, y: 10, w: 180, h: 8, startX: 252, endX: 432, midY: 16 });
  });

  it('a milestone after an FS link sits at the end of its finish day (the predecessor bar end)', () => {
    const s = schedule(plan([task('A', 3), task('M', 0, { milestone: true })], [link('A', 'M')]));
    const axis = dayAxis();
    const m = bar(axis, s, 'M', 1);
    expect(scheduled(s, 'M').finish).toBe('2026-01-07');
    expect(m).toEqual({ id: 'M', row: 1, kind: 'milestone', x: 353, y: 41, w: 14, h: 14, startX: 360, endX: 360, midY: 48 });
    expect(m.startX).toBe(bar(axis, s, 'A', 0).endX);
  });

  it('a milestone after a Friday finish sits at the end of Friday, not on Monday', () => {
    const s = schedule(plan([task('A', 5), task('M', 0, { milestone: true })], [link('A', 'M')]));
    expect(scheduled(s, 'M').finish).toBe('2026-01-09');
    expect(bar(dayAxis(), s, 'M', 0).startX).toBe(X('2026-01-10'));
  });

  it('a milestone without a finish link sits at the start of its day', () => {
    const s = schedule(plan([task('A', 3), task('M', 0, { milestone: true }), task('N', 0, { milestone: true })], [link('A', 'N', 'SS', 2)]));
    const axis = dayAxis();
    expect(bar(axis, s, 'M', 0)).toMatchObject({ kind: 'milestone', startX: X('2026-01-05'), x: X('2026-01-05') - 7 });
    expect(scheduled(s, 'N').start).toBe('2026-01-07');
    expect(bar(axis, s, 'N', 1)).toMatchObject({ kind: 'milestone', startX: X('2026-01-07'), endX: X('2026-01-07') });
  });

  it('layoutBars lays out rows in order and leaves unknown rows empty', () => {
    const s = schedule(plan([task('A', 3), task('B', 2)], [link('A', 'B')]));
    const { bars, rowBars } = layoutBars(dayAxis(), ['B', 'ghost', 'A'], s);
    expect(rowBars.map((b) => b?.id)).toEqual(['B', undefined, 'A']);
    expect(bars.get('A')).toMatchObject({ row: 2, midY: 2 * ROW_HEIGHT + 16, startX: 252 });
    expect(bars.has('ghost')).toBe(false);
  });

  it('baselineBarOf draws a thin bar under the row (2 px for a zero-length baseline)', () => {
    const axis = dayAxis();
    expect(baselineBarOf(axis, { start: '2026-01-05', finish: '2026-01-07', duration: 3, cost: 0 }, 1)).toEqual({ x: 252, y: 57, w: 108, h: 4 });
    expect(baselineBarOf(axis, { start: '2026-01-05', finish: '2026-01-05', duration: 0, cost: 0 }, 0)).toEqual({ x: 252, y: 25, w: 2, h: 4 });
  });
});

describe('linkRoute', () => {
  const axis = dayAxis();
  function route(type: 'FS' | 'SS' | 'FF' | 'SF', lag: number, rows: [number, number] = [0, 1], extra: { aStart?: string } = {}) {
    const s = schedule(plan([task('A', 3, extra.aStart ? { start: extra.aStart } : {}), task('B', 2)], [link('A', 'B', type, lag)]));
    const a = bar(axis, s, 'A', rows[0]);
    const b = bar(axis, s, 'B', rows[1]);
    return { a, b, points: linkRoute({ type }, a, b) };
  }

  it('FS with room: 4 points from the predecessor finish into the successor start', () => {
    const { a, b, points } = route('FS', 2);
    expect(points).toEqual([a.endX, 16, a.endX + 10, 16, a.endX + 10, 48, b.startX, 48]);
    expect(points).toEqual([360, 16, 370, 16, 370, 48, 504, 48]);
  });

  it('FS when the successor starts before the predecessor ends (a lead): 6 points around the gap between rows', () => {
    const { a, b, points } = route('FS', -2);
    expect(b.startX).toBeLessThan(a.endX);
    expect(points).toEqual([360, 16, 370, 16, 370, 32, 278, 32, 278, 48, 288, 48]);
  });

  it('FS with no gap still elbows around (no room for the 10 px stubs)', () => {
    const { points } = route('FS', 0);
    expect(points).toHaveLength(12);
    expect(points.slice(0, 2)).toEqual([360, 16]);
    expect(points.slice(-2)).toEqual([360, 48]);
  });

  it('an elbow to a row above runs along the bottom of the successor row', () => {
    const { points } = route('FS', -2, [1, 0]);
    expect(points).toEqual([360, 48, 370, 48, 370, 32, 278, 32, 278, 16, 288, 16]);
  });

  it('SS: from the predecessor start to the successor start, approaching from the left', () => {
    const same = route('SS', 0);
    expect(same.points).toEqual([252, 16, 242, 16, 242, 48, 252, 48]);
    const later = route('SS', 3);
    expect(later.b.startX).toBe(360);
    expect(later.points).toEqual([252, 16, 242, 16, 242, 48, 360, 48]);
  });

  it('FF: from the predecessor finish to the successor finish, approaching from the right', () => {
    const { a, b, points } = route('FF', 0);
    expect(b.endX).toBe(a.endX);
    expect(points).toEqual([360, 16, 370, 16, 370, 48, 360, 48]);
    const later = route('FF', 2);
    expect(later.points).toEqual([360, 16, 442, 16, 442, 48, 432, 48]);
  });

  it('SF: from the predecessor start to the successor finish; 4 points with room, 6 without', () => {
    const room = route('SF', 0, [0, 1], { aStart: '2026-01-12' });
    expect(room.a.startX).toBe(504);
    expect(room.b.endX).toBe(432);
    expect(room.points).toEqual([504, 16, 494, 16, 494, 48, 432, 48]);
    const tight = route('SF', 0);
    expect(tight.b.endX).toBe(324);
    expect(tight.points).toEqual([252, 16, 242, 16, 242, 32, 334, 32, 334, 48, 324, 48]);
  });
});

describe('distanceToPolyline', () => {
  const L = [0, 0, 10, 0, 10, 10];
  it('measures to the nearest segment, including its ends', () => {
    expect(distanceToPolyline(L, 5, 3)).toBe(3);
    expect(distanceToPolyline(L, 13, 5)).toBe(3);
    expect(distanceToPolyline(L, -3, -4)).toBe(5);
    expect(distanceToPolyline(L, 13, 14)).toBe(5);
    expect(distanceToPolyline(L, 10, 5)).toBe(0);
  });
  it('handles zero-length segments and too-short polylines', () => {
    expect(distanceToPolyline([2, 2, 2, 2], 5, 6)).toBe(5);
    expect(distanceToPolyline([1, 1], 1, 1)).toBe(Infinity);
    expect(distanceToPolyline([], 0, 0)).toBe(Infinity);
  });
});

describe('hitTest', () => {
  const axis = dayAxis();
  const s = schedule(plan([task('A', 3), task('B', 2), task('S', 0), task('C', 1, { parent: 'S' }), task('M', 0, { milestone: true })], [link('A', 'B', 'FS', 2)]));
  // Rows: 0 A, 1 B, 2 (none), 3 S (summary), 4 M (milestone).
  const rowBars = [bar(axis, s, 'A', 0), bar(axis, s, 'B', 1), undefined, bar(axis, s, 'S', 3), bar(axis, s, 'M', 4)];
  const a = rowBars[0]!;
  const routes = [{ id: 'A-B', points: linkRoute({ type: 'FS' }, a, rowBars[1]!) }];
  const editable = { editable: true };
  const viewOnly = { editable: false };

  it('finds the link handle just right of a bar end', () => {
    expect(hitTest(rowBars, routes, a.endX + 10, a.midY, editable)).toEqual({ kind: 'bar', id: 'A', part: 'link-handle' });
    expect(hitTest(rowBars, routes, a.endX + 14, a.midY + 2, editable)).toEqual({ kind: 'bar', id: 'A', part: 'link-handle' });
  });

  it('finds the resize end in the last 6 px of a task bar', () => {
    expect(hitTest(rowBars, routes, a.endX - 2, a.midY, editable)).toEqual({ kind: 'bar', id: 'A', part: 'end' });
    expect(hitTest(rowBars, routes, a.endX - 6, a.midY, editable)).toEqual({ kind: 'bar', id: 'A', part: 'end' });
  });

  it('finds the body elsewhere on the bar (with a small margin)', () => {
    expect(hitTest(rowBars, routes, a.x + 20, a.midY, editable)).toEqual({ kind: 'bar', id: 'A', part: 'body' });
    expect(hitTest(rowBars, routes, a.x - 2, a.y - 3, editable)).toEqual({ kind: 'bar', id: 'A', part: 'body' });
    expect(hitTest(rowBars, routes, a.endX - 7, a.midY, editable)).toEqual({ kind: 'bar', id: 'A', part: 'body' });
  });

  it('finds a link within 4 px of its route, else the row', () => {
    // The route's vertical leg at x = 370 between rows 0 and 1.
    expect(hitTest(rowBars, routes, 372, 36, editable)).toEqual({ kind: 'link', id: 'A-B' });
    expect(hitTest(rowBars, routes, 374, 36, editable)).toEqual({ kind: 'link', id: 'A-B' });
    expect(hitTest(rowBars, routes, 375, 36, editable)).toEqual({ kind: 'row', row: 1 });
    // The horizontal leg into B, in row 1 left of B's bar.
    expect(hitTest(rowBars, routes, 450, 49, viewOnly)).toEqual({ kind: 'link', id: 'A-B' });
  });

  it('returns the row for empty space and rows without a bar, none outside the rows', () => {
    expect(hitTest(rowBars, routes, 100, 16, editable)).toEqual({ kind: 'row', row: 0 });
    expect(hitTest(rowBars, routes, 400, 2 * ROW_HEIGHT + 10, editable)).toEqual({ kind: 'row', row: 2 });
    expect(hitTest(rowBars, routes, 100, -1, editable)).toEqual({ kind: 'none' });
    expect(hitTest(rowBars, routes, 100, 5 * ROW_HEIGHT + 1, editable)).toEqual({ kind: 'none' });
  });

  it('a summary bar has neither a link handle nor a resize end', () => {
    const sum = rowBars[3]!;
    expect(sum.kind).toBe('summary');
    expect(hitTest(rowBars, routes, sum.endX + 10, sum.midY, editable)).toEqual({ kind: 'row', row: 3 });
    expect(hitTest(rowBars, routes, sum.endX - 2, sum.midY, editable)).toEqual({ kind: 'bar', id: 'S', part: 'body' });
  });

  it('a milestone has a link handle but no resize end', () => {
    const m = rowBars[4]!;
    expect(m.kind).toBe('milestone');
    expect(hitTest(rowBars, routes, m.endX + 10, m.midY, editable)).toEqual({ kind: 'bar', id: 'M', part: 'link-handle' });
    expect(hitTest(rowBars, routes, m.startX, m.midY, editable)).toEqual({ kind: 'bar', id: 'M', part: 'body' });
    expect(hitTest(rowBars, routes, m.x + 1, m.midY, editable)).toEqual({ kind: 'bar', id: 'M', part: 'body' });
  });

  it('when not editable never returns a link handle or a resize end', () => {
    expect(hitTest(rowBars, [], a.endX + 10, a.midY, viewOnly)).toEqual({ kind: 'row', row: 0 });
    expect(hitTest(rowBars, routes, a.endX + 10, a.midY, viewOnly)).toEqual({ kind: 'link', id: 'A-B' });
    expect(hitTest(rowBars, routes, a.endX - 2, a.midY, viewOnly)).toEqual({ kind: 'bar', id: 'A', part: 'body' });
    const m = rowBars[4]!;
    expect(hitTest(rowBars, routes, m.endX + 10, m.midY, viewOnly)).toEqual({ kind: 'row', row: 4 });
    // Sweep every point around every bar: no link-handle or end parts.
    for (const b of rowBars) {
      if (!b) continue;
      for (let x = b.x - 20; x <= b.x + b.w + 20; x += 1) {
        for (let y = b.y - 6; y <= b.y + b.h + 6; y += 2) {
          const hit = hitTest(rowBars, routes, x, y, viewOnly);
          if (hit.kind === 'bar') expect(hit.part).toBe('body');
        }
      }
    }
  });
});
