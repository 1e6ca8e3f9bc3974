import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initBoardDocument } from '../../shared/doc/init.ts';
import { createDependency, createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { escapeText, exportCalendar, foldLine, MAX_LINE_OCTETS } from '../../shared/formats/ical/index.ts';

const BOARD_ID = 'B0ardB0ardB0ardB0ard_';

/** RFC 5545 3.1 unfolding: a CRLF followed by one space or tab is removed. */
function unfold(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n').filter((l) => l !== '');
}

/** The VEVENTs as property maps (name without parameters -> value with parameters). */
function events(text: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  let current: Record<string, string> | null = null;
  for (const line of unfold(text)) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      out.push(current!);
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      current[line.slice(0, colon)] = line.slice(colon + 1);
    }
  }
  return out;
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

function board(): { doc: Y.Doc; ids: Record<string, string> } {
  const doc = new Y.Doc();
  initBoardDocument(doc, 'Relaunch, phase 1', '2026-01-05T09:00:00.000Z');
  const design = createTask(doc, { title: 'Design; UX', duration: 5, status: 'in-progress', progress: 40, assignees: ['Ann', 'Bo'] });
  const build = createTask(doc, { title: 'Build', duration: 3 });
  const launch = createTask(doc, { title: 'Launch', milestone: true, duration: 0 });
  createDependency(doc, design, build);
  createDependency(doc, build, launch);
  return { doc, ids: { design, build, launch } };
}

const calendarOf = (doc: Y.Doc, now = '2026-02-01T12:00:00.000Z') =>
  exportCalendar({ boardId: BOARD_ID, board: readBoard(doc), today: '2026-02-01', now, boardUrl: 'https://planvas.example/b/' + BOARD_ID });

describe('iCalendar export', () => {
  it('escapes TEXT values (backslash, semicolon, comma, newline)', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds at 75 octets without splitting multi-byte characters', () => {
    const line = 'SUMMARY:' + 'é'.repeat(50) + '🚀'.repeat(10) + 'x'.repeat(30);
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(MAX_LINE_OCTETS);
    for (const part of parts.slice(1)) expect(part.startsWith(' ')).toBe(true);
    expect(unfold(folded + '\r\n')).toEqual([line]);
    expect(folded).not.toContain('\uFFFD');
    expect(foldLine('SHORT:line')).toBe('SHORT:line');
  });

  it('publishes a VCALENDAR with an all-day event per milestone and per task due date, on the scheduled days', () => {
    const { doc, ids } = board();
    const text = calendarOf(doc);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n|\r/);
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const lines = unfold(text);
    expect(lines.slice(0, 5)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Planvas//Planvas plan calendar//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH']);
    expect(lines).toContain('X-WR-CALNAME:Relaunch\\, phase 1');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    const evs = events(text);
    expect(evs.map((e) => [e.UID, e['DTSTART;VALUE=DATE'], e['DTEND;VALUE=DATE'], unescapeText(e.SUMMARY!)])).toEqual([
      // Design: Mon 5 – Fri 9 Jan; Build: Mon 12 – Wed 14; Launch: a milestone at Build's finish (as MS Project shows it).
      [`${BOARD_ID}-${ids.design}-due@planvas`, '20260109', '20260110', 'due: Design; UX'],
      [`${BOARD_ID}-${ids.build}-due@planvas`, '20260114', '20260115', 'due: Build'],
      [`${BOARD_ID}-${ids.launch}-milestone@planvas`, '20260114', '20260115', 'Milestone: Launch'],
    ]);
    expect(unescapeText(evs[0]!.DESCRIPTION!)).toBe('Status: In progress\n% complete: 40\nAssignees: Ann, Bo\nScheduled: 2026-01-05 to 2026-01-09');
    expect(evs[0]!.DTSTAMP).toBe('20260201T120000Z');
    expect(evs[0]!.URL).toBe(`https://planvas.example/b/${BOARD_ID}`);
  });

  it('keeps UIDs stable across exports and edits, and distinct across boards', () => {
    const { doc, ids } = board();
    const before = events(calendarOf(doc)).map((e) => e.UID);
    createTask(doc, { title: 'Later' });
    doc.getMap('tasks').forEach((t, id) => id === ids.build && (t as Y.Map<unknown>).set('duration', 8));
    const after = events(calendarOf(doc, '2026-02-02T00:00:00.000Z')).map((e) => e.UID);
    expect(after.filter((u) => before.includes(u))).toEqual(before);
    const other = exportCalendar({ boardId: 'another-board-id-12345', board: readBoard(doc), today: '2026-02-01', now: '2026-02-01T00:00:00Z' });
    expect(events(other).map((e) => e.UID).some((u) => before.includes(u!))).toBe(false);
  });
});
