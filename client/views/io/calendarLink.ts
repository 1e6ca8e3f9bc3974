/**
 * The calendar subscription link of a board (GET /api/boards/:id/calendar.ics?token=…).
 * Calendar apps cannot send headers, so the token is in the URL: prefer the view-only token
 * (anyone who gets the feed URL can then only read the plan), and say so when only the edit
 * token is known.
 */
export interface CalendarLink {
  /** https://…/calendar.ics?token=… (paste into "Subscribe to calendar" / "From URL"). */
  url: string;
  /** webcal://… (opens the system calendar app's subscribe dialog). */
  webcal: string;
  /** Which token the link carries. */
  role: 'view' | 'edit';
}

export function calendarLink(origin: string, boardId: string, tokens: { viewToken?: string; editToken?: string; current: string | null }): CalendarLink | null {
  const token = tokens.viewToken ?? tokens.editToken ?? tokens.current;
  if (!token) return null;
  const role = tokens.viewToken ? 'view' : 'edit';
  const url = `${origin}/api/boards/${encodeURIComponent(boardId)}/calendar.ics?token=${encodeURIComponent(token)}`;
  return { url, webcal: url.replace(/^https?:/, 'webcal:'), role };
}
