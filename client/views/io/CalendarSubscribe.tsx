import { useState } from 'react';
import { getRecentBoard } from '../../app/recentBoards.ts';
import { calendarLink } from './calendarLink.ts';

/**
 * "Subscribe to calendar (iCal)": the board's calendar feed URL to copy into Google Calendar,
 * Outlook or Apple Calendar, with one all-day event per milestone and per task due date.
 */
export function CalendarSubscribe({ boardId, readOnly }: { boardId: string; readOnly: boolean }) {
  const [copied, setCopied] = useState(false);
  const entry = getRecentBoard(localStorage, boardId);
  const current = new URLSearchParams(location.search).get('token');
  const link = calendarLink(location.origin, boardId, {
    viewToken: entry?.viewToken ?? (readOnly ? (current ?? undefined) : undefined),
    editToken: entry?.editToken ?? (readOnly ? undefined : (current ?? undefined)),
    current,
  });
  if (!link) return null;

  async function copy() {
    try {
      await navigator.clipboard.writeText(link!.url);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // No clipboard access: the field is selectable, the hint says so.
      setCopied(false);
    }
  }

  return (
    <div className="io-calendar" data-testid="calendar-subscribe">
      <span className="field-label">Subscribe to calendar (iCal)</span>
      <span className="copy-row">
        <input className="input mono" readOnly value={link.url} aria-label="Calendar subscription URL" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="button small" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </span>
      <span className="muted small-text">
        Paste it into Google Calendar (“From URL”), Outlook or Apple Calendar, or <a href={link.webcal}>open it in your calendar app</a>: one all-day
        event per milestone and per task due date, updated as the plan changes.{' '}
        {link.role === 'view'
          ? 'It uses the view-only link, so whoever has it can read the plan but not change it.'
          : 'This browser only knows the edit link, so the URL carries the edit token: share it only with people who may edit. Open the view-only link once (Share) to get a read-only calendar URL.'}
      </span>
    </div>
  );
}
