import type { BoardMeta, Dependency, Task } from '../../schema/entities.ts';
import { resolveProjectStart, scheduleInputOf } from '../../planning/fromBoard.ts';
import { planOutline } from '../../planning/outline.ts';
import { schedule } from '../../planning/schedule.ts';
import { escapeText, foldLine, icalDate, icalDateTime, nextDay } from './text.ts';

export interface CalendarInput {
  /** Part of every UID, so the same task ids on two boards (a JSON import) never collide. */
  boardId: string;
  board: {
    meta: BoardMeta;
    tasks: ReadonlyMap<string, Task>;
    deps: ReadonlyMap<string, Dependency>;
  };
  /** ISO date; the project start falls back to it (the kernel has no clock). */
  today: string;
  /** ISO timestamp written as DTSTAMP. */
  now: string;
  /** Link to the board without any token (a calendar is shared more widely than the link). */
  boardUrl?: string;
}

export type CalendarEventKind = 'milestone' | 'due';

/**
 * The board's plan as an iCalendar feed (RFC 5545) that calendar apps can subscribe to: one
 * all-day event per milestone on its scheduled date and one per other task on its scheduled
 * finish ("due: <title>"), from the same scheduler as every view. UIDs are stable
 * (`<boardId>-<taskId>-<kind>@planvas`), so a re-fetch updates events instead of duplicating
 * them. CRLF line endings, 75-octet folding, escaped TEXT. Pure.
 *
 * @example exportCalendar({ boardId, board: readBoard(doc), today: '2026-03-02', now: new Date().toISOString() })
 */
export function exportCalendar(input: CalendarInput): string {
  const { meta, tasks, deps } = input.board;
  const projectStart = resolveProjectStart(meta, tasks.values(), input.today);
  const plan = schedule(scheduleInputOf(tasks.values(), deps.values(), meta, projectStart));
  const statusLabel = new Map(meta.statuses.map((s) => [s.key, s.label]));
  const stamp = icalDateTime(input.now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Planvas//Planvas plan calendar//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(meta.title)}`,
    `NAME:${escapeText(meta.title)}`,
    // Ask subscribers to re-fetch hourly (RFC 7986 and the de-facto Outlook/Apple property).
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  for (const { id } of planOutline(tasks.values())) {
    const task = tasks.get(id)!;
    const scheduled = plan.tasks.get(id);
    if (!scheduled) continue;
    const kind: CalendarEventKind = scheduled.milestone ? 'milestone' : 'due';
    // `finish` is a task's last working day and a milestone's day (as MS Project shows it).
    const day = scheduled.finish;
    const title = task.title.trim() || 'Untitled task';
    const description = [
      `Status: ${task.status ? (statusLabel.get(task.status) ?? task.status) : 'not set'}`,
      `% complete: ${Math.round(scheduled.progress)}`,
      `Assignees: ${task.assignees.length > 0 ? task.assignees.join(', ') : 'nobody'}`,
      kind === 'due' ? `Scheduled: ${scheduled.start} to ${scheduled.finish}` : `Milestone on ${day}`,
    ].join('\n');
    lines.push(
      'BEGIN:VEVENT',
      `UID:${eventUid(input.boardId, id, kind)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${icalDate(day)}`,
      `DTEND;VALUE=DATE:${icalDate(nextDay(day))}`,
      `SUMMARY:${escapeText(kind === 'milestone' ? `Milestone: ${title}` : `due: ${title}`)}`,
      `DESCRIPTION:${escapeText(description)}`,
      ...(input.boardUrl ? [`URL:${input.boardUrl}`] : []),
      // An all-day marker, not a meeting: it never shows the subscriber as busy.
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** Stable across exports and unique across boards. */
export function eventUid(boardId: string, taskId: string, kind: CalendarEventKind): string {
  return `${boardId}-${taskId}-${kind}@planvas`;
}
