/** iCalendar (RFC 5545) feed of a board's milestones and due dates: `exportCalendar`. */
export { exportCalendar, eventUid, type CalendarInput, type CalendarEventKind } from './calendar.ts';
export { escapeText, foldLine, MAX_LINE_OCTETS } from './text.ts';
