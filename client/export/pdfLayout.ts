import { epochDay } from '../../shared/planning/calendar.ts';
import type { TimeAxis, TimeScaleName } from '../views/timeline/timeScale.ts';

/**
 * Page layout of the timeline PDF, in PDF points (1/72 in). Pure, so pagination and the
 * choice of time scale are unit-tested without jsPDF.
 *
 * Every page is self-contained, as MS Project prints a Gantt chart: the title block (board
 * title, date range, page n of m), the task grid on the left and the bars on the right under
 * a two-band time axis. Rows that do not fit continue on the next page with the headers
 * repeated. The whole project span is fitted into the chart width when that leaves at least
 * MIN_PT_PER_DAY per day (about two years on A4); a longer plan is drawn at PAGED_PT_PER_DAY
 * (about a year per page) and paged horizontally too: each band of rows is printed once per
 * time section, grid repeated, so any page can be read on its own.
 */
export type PaperSize = 'a4' | 'letter';

/** Landscape page sizes in points. */
export const PAPER: Record<PaperSize, { width: number; height: number }> = {
  a4: { width: 841.89, height: 595.28 },
  letter: { width: 792, height: 612 },
};

export const PAGE_MARGIN = 28;
/** Title block: board title, dates and the page number. */
export const TITLE_HEIGHT = 36;
/** Column heads of the grid, two bands of the time axis over the chart. */
export const AXIS_HEIGHT = 26;
export const ROW_PT = 15;

export interface GridColumn {
  key: 'id' | 'name' | 'start' | 'finish' | 'duration' | 'progress' | 'assignee';
  label: string;
  width: number;
  align: 'left' | 'right';
}

export const GRID_COLUMNS: readonly GridColumn[] = [
  { key: 'id', label: 'ID', width: 24, align: 'right' },
  { key: 'name', label: 'Task name', width: 150, align: 'left' },
  { key: 'start', label: 'Start', width: 54, align: 'left' },
  { key: 'finish', label: 'Finish', width: 54, align: 'left' },
  { key: 'duration', label: 'Duration', width: 42, align: 'right' },
  { key: 'progress', label: '% Done', width: 38, align: 'right' },
  { key: 'assignee', label: 'Assignee', width: 62, align: 'left' },
];

export const GRID_WIDTH = GRID_COLUMNS.reduce((w, c) => w + c.width, 0);

/** Below this the whole span is not fitted on one page width: pages go across as well. */
export const MIN_PT_PER_DAY = 0.5;
/** Density of a plan paged across: a month is 30 pt, wide enough for its label. */
export const PAGED_PT_PER_DAY = 1;
/** A short plan is not stretched beyond this; the axis runs on to the page edge instead. */
export const MAX_PT_PER_DAY = 24;

export interface PdfPage {
  /** 1-based page number. */
  number: number;
  /** Rows [first, end) of the outline on this page. */
  firstRow: number;
  endRow: number;
  /** Time section (0-based) of the axis drawn on this page. */
  section: number;
}

export interface TimelinePdfLayout {
  paper: PaperSize;
  pageWidth: number;
  pageHeight: number;
  /** Top of the column heads / time axis. */
  axisTop: number;
  /** Top of the first row. */
  rowsTop: number;
  rowsPerPage: number;
  chartX: number;
  chartWidth: number;
  /** The whole plan's time axis (x in points from its first day). */
  axis: TimeAxis;
  /** Axis x ranges [fromX, toX) printed side by side on successive pages. */
  sections: Array<{ fromX: number; toX: number }>;
  pages: PdfPage[];
}

/** The time scale whose header labels fit at `ptPerDay`: day numbers, week starts or months. */
export function scaleFor(ptPerDay: number): TimeScaleName {
  if (ptPerDay >= 12) return 'day';
  if (ptPerDay >= 4.5) return 'week';
  return 'month';
}

/**
 * Lays out `rowCount` outline rows over the span [from, to] (ISO dates).
 *
 * @example layoutTimelinePdf({ rowCount: 120, from: '2026-11-16', to: '2027-02-01', paper: 'a4' }).pages.length // 4
 */
export function layoutTimelinePdf(input: { rowCount: number; from: string; to: string; paper: PaperSize }): TimelinePdfLayout {
  const { width: pageWidth, height: pageHeight } = PAPER[input.paper];
  const axisTop = PAGE_MARGIN + TITLE_HEIGHT;
  const rowsTop = axisTop + AXIS_HEIGHT;
  const rowsPerPage = Math.max(1, Math.floor((pageHeight - PAGE_MARGIN - rowsTop) / ROW_PT));
  const chartX = PAGE_MARGIN + GRID_WIDTH;
  const chartWidth = pageWidth - PAGE_MARGIN - chartX;

  // One day of room before the first start and a few after the last finish.
  const first = epochDay(input.from) - 1;
  const last = Math.max(epochDay(input.to), epochDay(input.from)) + 3;
  const spanDays = last - first + 1;
  const fit = chartWidth / spanDays;
  const ptPerDay = fit >= MIN_PT_PER_DAY ? Math.min(fit, MAX_PT_PER_DAY) : PAGED_PT_PER_DAY;
  // When not stretched to fit, the axis runs on to the end of the last page.
  const days = Math.max(spanDays, Math.ceil(chartWidth / ptPerDay));
  const axis: TimeAxis = { scale: scaleFor(ptPerDay), pxPerDay: ptPerDay, firstDay: first, days, width: days * ptPerDay };

  const sectionCount = Math.max(1, Math.ceil((spanDays * ptPerDay) / chartWidth - 1e-9));
  const sections = Array.from({ length: sectionCount }, (_, i) => ({ fromX: i * chartWidth, toX: (i + 1) * chartWidth }));

  const pages: PdfPage[] = [];
  const bands = Math.max(1, Math.ceil(input.rowCount / rowsPerPage));
  for (let band = 0; band < bands; band++) {
    for (let section = 0; section < sectionCount; section++) {
      pages.push({
        number: pages.length + 1,
        firstRow: band * rowsPerPage,
        endRow: Math.min(input.rowCount, (band + 1) * rowsPerPage),
        section,
      });
    }
  }
  return { paper: input.paper, pageWidth, pageHeight, axisTop, rowsTop, rowsPerPage, chartX, chartWidth, axis, sections, pages };
}

// Windows-1252 beyond Latin-1: what the PDF standard fonts can draw besides U+0020-U+00FF.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text the PDF's built-in Helvetica can draw (Windows-1252): controls become spaces, other
 * characters (CJK, emoji) '?'. Embedding a Unicode font would add megabytes to the export.
 *
 * @example pdfText('Café – 日本') // 'Café – ??'
 */
export function pdfText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0 && !WIN_ANSI_EXTRA.has(ch))) out += ' ';
    else if (code <= 0xff || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else out += '?';
  }
  return out;
}
