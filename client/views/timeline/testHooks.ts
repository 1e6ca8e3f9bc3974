import type { Schedule } from '../../../shared/planning/types.ts';
import type { OutlineRow } from '../../plan/planModel.ts';
import { HEADER_HEIGHT, layoutBars } from './ganttGeometry.ts';
import type { TimeAxis } from './timeScale.ts';

/** `window.planvas.timeline` while a timeline is mounted. */
export interface TimelineTestHooks {
  /** A task's bar in page pixels, or null when its row is not shown. */
  barRect(id: string): { x: number; y: number; width: number; height: number } | null;
  pxPerDay: number;
  scrollTo(left: number, top: number): void;
}

declare global {
  // Merges into the shell's declaration (client/app/testHooks.ts).
  interface PlanvasTestHooks {
    timeline?: TimelineTestHooks;
  }
}

interface TimelineState {
  scrollerRef: React.RefObject<HTMLDivElement | null>;
  axis: TimeAxis;
  rows: readonly OutlineRow[];
  schedule: Schedule;
  scroll: { left: number; top: number };
}

/**
 * End-to-end tests drive the timeline with the real mouse; they need to know where a bar is
 * on screen. `window.planvas.timeline.barRect(id)` answers in page pixels (null when the row
 * is not shown). Only installed when window.planvas exists (the app sets it for tests).
 */
export function setTimelineTestHooks(state: TimelineState | null): void {
  const hooks = (window as unknown as { planvas?: Record<string, unknown> }).planvas;
  if (!hooks) return;
  if (!state) {
    delete hooks.timeline;
    return;
  }
  hooks.timeline = {
    barRect(id: string) {
      const scroller = state.scrollerRef.current;
      if (!scroller) return null;
      const rowIds = state.rows.map((r) => r.task.id);
      const { bars } = layoutBars(state.axis, rowIds, state.schedule);
      const bar = bars.get(id);
      if (!bar) return null;
      const box = scroller.getBoundingClientRect();
      return {
        x: box.left + bar.x - scroller.scrollLeft,
        y: box.top + HEADER_HEIGHT + bar.y - scroller.scrollTop,
        width: bar.w,
        height: bar.h,
      };
    },
    pxPerDay: state.axis.pxPerDay,
    scrollTo(left: number, top: number) {
      const scroller = state.scrollerRef.current;
      if (scroller) {
        scroller.scrollLeft = left;
        scroller.scrollTop = top;
      }
    },
  } satisfies TimelineTestHooks;
}
