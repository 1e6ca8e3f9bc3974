import { useEffect, useMemo, useRef, useState } from 'react';
import { Layer, Shape, Stage } from 'react-konva';
import { epochDay, isoDate } from '../../../shared/planning/calendar.ts';
import { createDependency, updateShape } from '../../../shared/doc/ops.ts';
import type { Baseline, Dependency } from '../../../shared/schema/entities.ts';
import type { BoardSession } from '../../board/session.ts';
import type { OutlineRow, PlanModel } from '../../plan/planModel.ts';
import { paintGantt } from './ganttDraw.ts';
import { HEADER_HEIGHT, ROW_HEIGHT, hitTest, layoutBars, linkRoute, type BarGeometry, type GanttHit } from './ganttGeometry.ts';
import type { TimeAxis } from './timeScale.ts';
import { linkRefusalMessage } from '../../plan/linkMessages.ts';

interface Props {
  session: BoardSession;
  plan: PlanModel;
  rows: readonly OutlineRow[];
  axis: TimeAxis;
  baseline: Baseline | null;
  selection: ReadonlySet<string>;
  scroll: { left: number; top: number };
  onScroll(scroll: { left: number; top: number }): void;
  /** Registers the scroller so the grid and the toolbar can scroll the chart. */
  scrollerRef: React.RefObject<HTMLDivElement | null>;
  onSelect(ids: string[]): void;
  onMessage(message: string): void;
}

type Drag =
  | { mode: 'move' | 'resize'; id: string; bar: BarGeometry; startX: number; dx: number; moved: boolean }
  | { mode: 'link'; id: string; bar: BarGeometry; x: number; y: number }
  | { mode: 'click'; hit: GanttHit; startX: number; startY: number };

/**
 * The Gantt half of the timeline: one sticky Konva stage over a scroll area as large as the
 * chart. Bars are painted in one pass (ganttDraw.ts); the pointer is hit-tested against the
 * same geometry. Drag a bar to move it, its right end to change its duration, the dot after
 * it to link it to another bar; click a bar or an arrow to select it.
 */
export function GanttChart(props: Props) {
  const { session, plan, rows, axis, baseline, selection, scroll } = props;
  const hostRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 800, height: 400 });
  const [drag, setDrag] = useState<Drag | null>(null);
  const [hover, setHover] = useState<GanttHit>({ kind: 'none' });
  const editable = !session.readOnly;
  const schedule = plan.schedule();

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const observer = new ResizeObserver(() => setSize({ width: host.clientWidth, height: host.clientHeight }));
    observer.observe(host);
    setSize({ width: host.clientWidth, height: host.clientHeight });
    return () => observer.disconnect();
  }, []);

  const rowIds = useMemo(() => rows.map((r) => r.task.id), [rows]);
  const { bars, rowBars } = useMemo(() => layoutBars(axis, rowIds, schedule), [axis, rowIds, schedule]);
  const routes = useMemo(() => {
    const out: Array<{ id: string; dep: Dependency; points: number[] }> = [];
    for (const dep of plan.board.liveDeps()) {
      const from = bars.get(dep.from);
      const to = bars.get(dep.to);
      if (from && to) out.push({ id: dep.id, dep, points: linkRoute(dep, from, to) });
    }
    return out;
  }, [bars, plan.board, schedule]); // eslint-disable-line react-hooks/exhaustive-deps -- schedule changes whenever links do
  const cycleLinks = useMemo(() => new Set(schedule.cycles.flatMap((c) => c.dependencies)), [schedule]);
  const titles = useMemo(() => new Map(rows.map((r) => [r.task.id, r.task.title])), [rows]);
  const manual = useMemo(() => new Set(rows.filter((r) => r.task.mode === 'manual').map((r) => r.task.id)), [rows]);

  // Visible routes only, for painting and hit-testing.
  const top = scroll.top;
  const bottom = scroll.top + size.height;
  const visibleRoutes = useMemo(
    () =>
      routes.filter((r) => {
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = 1; i < r.points.length; i += 2) {
          lo = Math.min(lo, r.points[i]!);
          hi = Math.max(hi, r.points[i]!);
        }
        return hi >= top - ROW_HEIGHT && lo <= bottom;
      }),
    [routes, top, bottom],
  );

  const toChart = (e: React.PointerEvent) => {
    const rect = hostRef.current!.getBoundingClientRect();
    return { x: e.clientX - rect.left + scroll.left, y: e.clientY - rect.top - HEADER_HEIGHT + scroll.top, inHeader: e.clientY - rect.top < HEADER_HEIGHT };
  };

  const ghost = drag && (drag.mode === 'move' || drag.mode === 'resize') && drag.moved ? ghostOf(drag, axis) : null;
  const hoverBar = hover.kind === 'bar' ? bars.get(hover.id) : undefined;
  const linkDraft =
    drag?.mode === 'link' ? { x1: drag.bar.endX + 10, y1: drag.bar.midY, x2: drag.x, y2: drag.y } : null;

  const onPointerDown = (e: React.PointerEvent) => {
    if (e.button !== 0) return;
    const p = toChart(e);
    if (p.inHeader) return;
    const hit = hitTest(rowBars, visibleRoutes, p.x, p.y, { editable });
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    if (hit.kind === 'bar' && editable) {
      const bar = bars.get(hit.id)!;
      if (hit.part === 'link-handle') return setDrag({ mode: 'link', id: hit.id, bar, x: p.x, y: p.y });
      if (bar.kind !== 'summary') return setDrag({ mode: hit.part === 'end' ? 'resize' : 'move', id: hit.id, bar, startX: p.x, dx: 0, moved: false });
    }
    setDrag({ mode: 'click', hit, startX: p.x, startY: p.y });
  };

  const onPointerMove = (e: React.PointerEvent) => {
    const p = toChart(e);
    if (!drag) {
      const hit = p.inHeader ? ({ kind: 'none' } as const) : hitTest(rowBars, visibleRoutes, p.x, p.y, { editable });
      if (JSON.stringify(hit) !== JSON.stringify(hover)) setHover(hit);
      return;
    }
    if (drag.mode === 'link') setDrag({ ...drag, x: p.x, y: p.y });
    else if (drag.mode === 'move' || drag.mode === 'resize') {
      const dx = p.x - drag.startX;
      setDrag({ ...drag, dx, moved: drag.moved || Math.abs(dx) > 3 });
    }
  };

  const onPointerUp = (e: React.PointerEvent) => {
    const p = toChart(e);
    const current = drag;
    setDrag(null);
    if (!current) return;
    if (current.mode === 'link') {
      const target = hitTest(rowBars, visibleRoutes, p.x, p.y, { editable: false });
      if (target.kind === 'bar' && target.id !== current.id) {
        const result = createDependency(session.doc, current.id, target.id, { type: 'FS' }, session.localOrigin);
        if ('refused' in result) props.onMessage(linkRefusalMessage(result.refused));
        else props.onSelect([result.id]);
      }
      return;
    }
    if (current.mode === 'move' || current.mode === 'resize') {
      if (!current.moved) return props.onSelect([current.id]);
      const days = Math.round(current.dx / axis.pxPerDay);
      if (days !== 0) commitBarDrag(session, plan, current.mode, current.id, days);
      return;
    }
    if (current.mode !== 'click') return;
    const hit = current.hit;
    if (hit.kind === 'bar' || hit.kind === 'link') props.onSelect([hit.id]);
    else if (hit.kind === 'row' && rowIds[hit.row]) props.onSelect([rowIds[hit.row]!]);
    else props.onSelect([]);
  };

  const cursor =
    drag?.mode === 'link' || (hover.kind === 'bar' && hover.part === 'link-handle')
      ? 'crosshair'
      : drag?.mode === 'resize' || (hover.kind === 'bar' && hover.part === 'end')
        ? 'ew-resize'
        : drag?.mode === 'move'
          ? 'grabbing'
          : hover.kind === 'bar' && editable
            ? 'grab'
            : hover.kind === 'bar' || hover.kind === 'link'
              ? 'pointer'
              : 'default';

  const today = epochDay(plan.today());
  return (
    <div className="gantt" ref={hostRef} data-testid="gantt">
      <div
        className="gantt-scroll"
        ref={props.scrollerRef}
        onScroll={(e) => props.onScroll({ left: e.currentTarget.scrollLeft, top: e.currentTarget.scrollTop })}
      >
        <div
          className="gantt-sticky"
          style={{ width: size.width, height: size.height, cursor }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => setDrag(null)}
          onPointerLeave={() => !drag && setHover({ kind: 'none' })}
        >
          <Stage width={size.width} height={size.height} listening={false}>
            <Layer listening={false}>
              <Shape
                listening={false}
                perfectDrawEnabled={false}
                sceneFunc={(context) => {
                  const ctx = context._context;
                  paintGantt(ctx, {
                    axis,
                    calendar: schedule.calendar,
                    schedule,
                    rowIds,
                    titles,
                    rowBars,
                    routes: visibleRoutes,
                    cycleLinks,
                    baseline,
                    selection,
                    manual,
                    today,
                    scrollLeft: scroll.left,
                    scrollTop: scroll.top,
                    width: size.width,
                    height: size.height,
                    ghost,
                    linkDraft,
                    linkHandle: editable && hoverBar && hoverBar.kind !== 'summary' && !drag ? { x: hoverBar.endX + 10, y: hoverBar.midY } : null,
                  });
                }}
              />
            </Layer>
          </Stage>
        </div>
        <div style={{ width: axis.width, height: rows.length * ROW_HEIGHT + HEADER_HEIGHT + 40, marginTop: -size.height }} />
      </div>
    </div>
  );
}

function ghostOf(drag: Extract<Drag, { mode: 'move' | 'resize' }>, axis: TimeAxis) {
  const days = Math.round(drag.dx / axis.pxPerDay);
  const { bar } = drag;
  if (drag.mode === 'move') return { x: bar.x + days * axis.pxPerDay, y: bar.y, w: bar.w, h: bar.h };
  return { x: bar.x, y: bar.y, w: Math.max(axis.pxPerDay, bar.w + days * axis.pxPerDay), h: bar.h };
}

/**
 * Moving a bar asks for a new start (an auto task's "start no earlier than", which the
 * scheduler may still push later; a manual task's fixed start). Resizing sets the duration in
 * working days up to the new last day.
 */
function commitBarDrag(session: BoardSession, plan: PlanModel, mode: 'move' | 'resize', id: string, days: number): void {
  const task = plan.schedule().tasks.get(id);
  if (!task) return;
  const calendar = plan.schedule().calendar;
  if (mode === 'move') {
    let day = epochDay(task.start) + days;
    // Land on a working day, in the direction of the drag.
    for (let guard = 0; !calendar.isWorkingDay(day) && guard < 30; guard++) day += days > 0 ? 1 : -1;
    updateShape(session.doc, id, { start: isoDate(day) }, session.localOrigin);
    return;
  }
  const lastDay = epochDay(task.finish) + days;
  const duration = Math.max(1, calendar.workingDaysBetween(task.start, isoDate(lastDay)));
  updateShape(session.doc, id, { duration, ...(task.milestone ? { milestone: false } : {}) }, session.localOrigin);
}
