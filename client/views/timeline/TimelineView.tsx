import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { epochDay } from '../../../shared/planning/calendar.ts';
import { baselineVariance } from '../../../shared/planning/baseline.ts';
import type { BoardSession } from '../../board/session.ts';
import { visibleRows, type PlanModel } from '../../plan/planModel.ts';
import { useLocalSelection } from '../../panels/useLocalSelection.ts';
import type { LocalPresencePublisher } from '../../sync/presencePublisher.ts';
import { GanttChart } from './GanttChart.tsx';
import { HEADER_HEIGHT, ROW_HEIGHT } from './ganttGeometry.ts';
import { TaskGrid } from './TaskGrid.tsx';
import { TimelineToolbar } from './TimelineToolbar.tsx';
import { dayToX, makeAxis, type TimeScaleName } from './timeScale.ts';
import { setTimelineTestHooks } from './testHooks.ts';
import { useTimelineFollow } from '../../follow/useTimelineFollow.ts';
import { followFor } from '../../follow/followController.ts';
import { barSpan, revealSpan } from './scrollToTask.ts';

/**
 * The timeline (Gantt) tab: the task grid on the left, bars on a time axis on the right,
 * sharing one vertical scroll. Collapsed summaries, the scale and the shown baseline are
 * this user's session state; everything else is the live document.
 */
export function TimelineView({ session, plan }: { session: BoardSession; plan: PlanModel }) {
  const [scale, setScale] = useState<TimeScaleName>('day');
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [baselineId, setBaselineId] = useState<string | null>(null);
  const [scroll, setScroll] = useState({ left: 0, top: 0 });
  const [message, setMessage] = useState<string | null>(null);
  const [bodyHeight, setBodyHeight] = useState(400);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const selection = useLocalSelection(session.presence as LocalPresencePublisher);
  const selectionSet = useMemo(() => new Set(selection), [selection]);

  const schedule = plan.schedule();
  const allRows = plan.outline();
  const rows = useMemo(() => visibleRows(allRows, collapsed), [allRows, collapsed]);
  const baseline = plan.baselines.find((b) => b.id === baselineId) ?? null;
  const variance = useMemo(() => (baseline ? baselineVariance(schedule, baseline) : null), [schedule, baseline]);

  // The axis covers the plan and today; it only changes when those ends move.
  const range = useMemo(() => {
    let from = schedule.projectStart;
    let to = schedule.projectFinish;
    const today = plan.today();
    for (const t of schedule.tasks.values()) if (t.start < from) from = t.start;
    if (today < from) from = today;
    if (today > to) to = today;
    for (const b of baseline ? Object.values(baseline.tasks) : []) {
      if (b.start < from) from = b.start;
      if (b.finish > to) to = b.finish;
    }
    return { from, to };
  }, [schedule, baseline, plan]);
  const axis = useMemo(() => makeAxis(scale, range.from, range.to), [scale, range.from, range.to]);

  useEffect(() => {
    const body = bodyRef.current;
    if (!body) return;
    const observer = new ResizeObserver(() => setBodyHeight(body.clientHeight - HEADER_HEIGHT));
    observer.observe(body);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(null), 4000);
    return () => clearTimeout(timer);
  }, [message]);

  const scrollToDay = useCallback(
    (day: number) => {
      const scroller = scrollerRef.current;
      if (scroller) scroller.scrollLeft = Math.max(0, dayToX(axis, day) - scroller.clientWidth / 3);
    },
    [axis],
  );

  // Open on today (or the project start when today is outside the plan), once per scale.
  useEffect(() => {
    const today = epochDay(plan.today());
    const start = epochDay(schedule.projectStart);
    scrollToDay(today >= start && today <= epochDay(schedule.projectFinish) ? today : start);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the scale changes
  }, [scale]);
  // Follow mode: publish this scroll position, scroll to a followed person's (after the above).
  useTimelineFollow(session, scrollerRef, axis);

  const onSelect = useCallback((ids: string[]) => session.presence.setSelection(ids), [session]);

  // Selecting a row in the grid (click or keyboard) scrolls its bar into view, as MS Project's
  // "Scroll to Task", unless it is on screen already. Not while following: a follower's scroll
  // is the presenter's.
  const revealTask = useCallback(
    (id: string): boolean => {
      const scroller = scrollerRef.current;
      const task = schedule.tasks.get(id);
      if (!scroller || !task) return false;
      if (followFor(session)?.state.getState().target != null) return true;
      const { start, end } = barSpan(axis, task);
      const left = revealSpan({ scrollLeft: scroller.scrollLeft, width: scroller.clientWidth, maxScroll: scroller.scrollWidth - scroller.clientWidth }, start, end);
      if (left !== null) scroller.scrollLeft = left;
      return true;
    },
    [session, schedule, axis],
  );
  // Revealed after the selection has rendered: the details panel it opens narrows the chart
  // (and a task just created from the grid is only scheduled then).
  const revealPending = useRef<string | null>(null);
  useLayoutEffect(() => {
    const id = revealPending.current;
    if (id && revealTask(id)) revealPending.current = null;
  });
  const selectFromGrid = useCallback(
    (ids: string[]) => {
      const unchanged = ids.length === selection.length && ids.every((id, i) => id === selection[i]);
      revealPending.current = ids.length === 1 ? ids[0]! : null;
      onSelect(ids);
      // The same row again renders nothing new: reveal now (the user may have scrolled away).
      if (unchanged && revealPending.current && revealTask(revealPending.current)) revealPending.current = null;
    },
    [onSelect, revealTask, selection],
  );

  // Esc closes the details panel (clears the selection) unless a field or popover has focus.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const target = e.target as HTMLElement | null;
      if (target && (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.closest('.popover'))) return;
      onSelect([]);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onSelect]);
  const revealRow = useCallback((row: number) => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const top = row * ROW_HEIGHT;
    const visible = scroller.clientHeight - HEADER_HEIGHT;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > scroller.scrollTop + visible) scroller.scrollTop = top + ROW_HEIGHT - visible;
  }, []);

  useEffect(() => setTimelineTestHooks({ scrollerRef, axis, rows, schedule, scroll }), [axis, rows, schedule, scroll]);
  useEffect(() => () => setTimelineTestHooks(null), []);

  const selectedId = selection.length === 1 && plan.board.tasks.has(selection[0]!) ? selection[0]! : null;
  return (
    <div className="timeline" data-testid="timeline">
      <TimelineToolbar
        session={session}
        plan={plan}
        scale={scale}
        onScale={setScale}
        baselineId={baseline?.id ?? null}
        onBaseline={setBaselineId}
        onToday={() => scrollToDay(epochDay(plan.today()))}
        onMessage={setMessage}
      />
      {baseline && variance && (
        <div className={`timeline-variance${variance.finishDays > 0 ? ' late' : ''}`} role="status">
          Against “{baseline.name}”: project finish {varianceText(variance.finishDays)}, cost {moneyVarianceText(variance.cost)}
          {variance.added.length > 0 ? ` · ${variance.added.length} task${variance.added.length === 1 ? '' : 's'} added since` : ''}
        </div>
      )}
      {schedule.cycles.length > 0 && (
        <div className="timeline-warning" role="alert">
          {schedule.cycles.length === 1 ? 'A loop of dependencies' : `${schedule.cycles.length} loops of dependencies`} (dashed orange) cannot be
          scheduled: {schedule.cycles.map((c) => c.tasks.map((id) => plan.board.tasks.get(id)?.title || 'Untitled').join(' → ')).join('; ')}.
          Remove one of the links.
        </div>
      )}
      <div className="timeline-body" ref={bodyRef}>
        <TaskGrid
          session={session}
          plan={plan}
          rows={rows}
          allRows={allRows}
          collapsed={collapsed}
          onToggle={(id) => setCollapsed((prev) => toggled(prev, id))}
          selectedId={selectedId}
          onSelect={selectFromGrid}
          scrollTop={scroll.top}
          height={bodyHeight}
          onScrollBy={(dy) => scrollerRef.current && (scrollerRef.current.scrollTop += dy)}
          onRevealRow={revealRow}
          variance={variance}
        />
        <GanttChart
          session={session}
          plan={plan}
          rows={rows}
          axis={axis}
          baseline={baseline}
          selection={selectionSet}
          scroll={scroll}
          onScroll={setScroll}
          scrollerRef={scrollerRef}
          onSelect={onSelect}
          onMessage={setMessage}
        />
      </div>
      {rows.length === 0 && <div className="timeline-empty">No tasks yet. Add one with “+ Add task”, or create task cards on the canvas.</div>}
      {message && (
        <div className="toast" role="status">
          {message}
        </div>
      )}
    </div>
  );
}

function toggled(set: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}


/** '3 working days late', '2 working days early', 'on time'. */
export function varianceText(days: number): string {
  if (days === 0) return 'on time';
  const n = Math.abs(days);
  return `${n} working day${n === 1 ? '' : 's'} ${days > 0 ? 'late' : 'early'}`;
}

function moneyVarianceText(amount: number): string {
  if (amount === 0) return 'on budget';
  return `${Math.abs(amount).toLocaleString()} ${amount > 0 ? 'over' : 'under'}`;
}
