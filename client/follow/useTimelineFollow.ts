import { useEffect, type RefObject } from 'react';
import type { BoardSession } from '../board/session.ts';
import { ROW_HEIGHT } from '../views/timeline/ganttGeometry.ts';
import type { TimeAxis } from '../views/timeline/timeScale.ts';
import { followFor } from './followController.ts';

/**
 * Follow mode in the timeline: publishes where this user's timeline is scrolled (as a date
 * and a row, so another time scale shows the same dates), scrolls to the followed person's
 * position, and stops following when the user scrolls with the wheel or a touch.
 */
export function useTimelineFollow(session: BoardSession, scrollerRef: RefObject<HTMLDivElement | null>, axis: TimeAxis): void {
  useEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const publish = () => session.presence.setTimeline({ day: axis.firstDay + el.scrollLeft / axis.pxPerDay, row: el.scrollTop / ROW_HEIGHT });
    const userScroll = () => followFor(session)?.stop();
    publish();
    el.addEventListener('scroll', publish, { passive: true });
    el.addEventListener('wheel', userScroll, { passive: true });
    el.addEventListener('touchmove', userScroll, { passive: true });
    const detach = followFor(session)?.attachTimeline(({ day, row }) => {
      el.scrollLeft = Math.max(0, (day - axis.firstDay) * axis.pxPerDay);
      el.scrollTop = Math.max(0, row * ROW_HEIGHT);
    });
    return () => {
      detach?.();
      el.removeEventListener('scroll', publish);
      el.removeEventListener('wheel', userScroll);
      el.removeEventListener('touchmove', userScroll);
      session.presence.setTimeline(null);
    };
  }, [session, scrollerRef, axis]);
}
