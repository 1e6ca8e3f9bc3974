import { jsPDF } from 'jspdf';
import { epochDay } from '../../shared/planning/calendar.ts';
import type { Schedule, ScheduledTask } from '../../shared/planning/types.ts';
import type { Baseline, Dependency, Task } from '../../shared/schema/entities.ts';
import { dependencyLabel } from '../canvas/shapes/dependencyLabel.ts';
import { ROW_HEIGHT, barOf, baselineBarOf, linkRoute, type BarGeometry } from '../views/timeline/ganttGeometry.ts';
import { axisTicks, dayToX, type TimeAxis } from '../views/timeline/timeScale.ts';
import { AXIS_HEIGHT, GRID_COLUMNS, PAGE_MARGIN, ROW_PT, layoutTimelinePdf, pdfText, type GridColumn, type PaperSize, type PdfPage, type TimelinePdfLayout } from './pdfLayout.ts';
import { withEllipsis } from './svgText.ts';

/**
 * The timeline as a vector PDF (jsPDF rectangles, lines and text, never a screenshot):
 * paged as pdfLayout.ts describes, with the task grid and the Gantt bars of the same
 * schedule the timeline shows. Loaded on demand (dynamic import) so jsPDF stays out of the
 * main bundle. Runs in Node too (tests).
 */
export interface TimelinePdfInput {
  title: string;
  /** Outline rows (depth first), all of them: a printout ignores collapsed summaries. */
  rows: ReadonlyArray<{ task: Task; depth: number; hasChildren: boolean }>;
  schedule: Schedule;
  deps: readonly Dependency[];
  /** ISO date: the today line, and the "printed" note. */
  today: string;
  paper?: PaperSize;
  /** Drawn as thin grey bars under the live ones. */
  baseline?: Baseline | null;
}

const COLORS = {
  bar: '#6366f1',
  barProgress: '#3730a3',
  critical: '#ef4444',
  criticalProgress: '#991b1b',
  summary: '#334155',
  baseline: '#94a3b8',
  link: '#64748b',
  cycle: '#f97316',
  nonWorking: '#f1f5f9',
  line: '#e2e8f0',
  headerFill: '#f8fafc',
  text: '#0f172a',
  muted: '#64748b',
  today: '#e11d48',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'Nov 16, 2026' (calendar days, no time zone involved). */
export function longDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${MONTHS[Number(m[2]) - 1]} ${Number(m[3])}, ${m[1]}` : iso;
}

/** '16 Nov 26': the grid's date columns, short but with the year (a printout outlives the year). */
function gridDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]!.slice(2)}` : iso;
}

/**
 * Draws the timeline into a new jsPDF document.
 *
 * @example const pdf = buildTimelinePdf({ title, rows: plan.outline(), schedule: plan.schedule(), deps, today }); pdf.output('blob')
 */
export function buildTimelinePdf(input: TimelinePdfInput): jsPDF {
  const paper = input.paper ?? 'a4';
  const scheduled = input.rows.map((r) => input.schedule.tasks.get(r.task.id));
  const known = scheduled.filter((t): t is ScheduledTask => t !== undefined);
  const from = known.reduce((min, t) => (t.start < min ? t.start : min), known[0]?.start ?? input.schedule.projectStart);
  const to = known.reduce((max, t) => (t.finish > max ? t.finish : max), known[0]?.finish ?? input.schedule.projectStart);
  const layout = layoutTimelinePdf({ rowCount: input.rows.length, from, to, paper });
  const pdf = new jsPDF({ orientation: 'landscape', unit: 'pt', format: paper, compress: true });
  pdf.setProperties({ title: pdfText(input.title), subject: 'Timeline', creator: 'Planvas' });
  const range = known.length > 0 ? `${longDate(from)} – ${longDate(to)}` : 'No scheduled tasks';
  for (const page of layout.pages) {
    if (page.number > 1) pdf.addPage();
    drawTitle(pdf, layout, page, input, range);
    drawGrid(pdf, layout, page, input);
    drawChart(pdf, layout, page, input);
  }
  return pdf;
}

function drawTitle(pdf: jsPDF, layout: TimelinePdfLayout, page: PdfPage, input: TimelinePdfInput, range: string): void {
  const right = layout.pageWidth - PAGE_MARGIN;
  pdf.setTextColor(COLORS.text);
  pdf.setFont('helvetica', 'bold');
  pdf.setFontSize(14);
  const pageLabel = `Page ${page.number} of ${layout.pages.length}`;
  pdf.text(fit(pdf, pdfText(input.title || 'Untitled board'), layout.pageWidth * 0.7), PAGE_MARGIN, PAGE_MARGIN + 10, { baseline: 'middle' });
  pdf.setFont('helvetica', 'normal');
  pdf.setFontSize(9);
  pdf.text(pageLabel, right, PAGE_MARGIN + 10, { baseline: 'middle', align: 'right' });
  pdf.setTextColor(COLORS.muted);
  const sections = layout.sections.length > 1 ? ` · time section ${page.section + 1} of ${layout.sections.length}` : '';
  const count = `${input.rows.length} task${input.rows.length === 1 ? '' : 's'}`;
  pdf.text(pdfText(`${range} · ${count}${sections}`), PAGE_MARGIN, PAGE_MARGIN + 25, { baseline: 'middle' });
  pdf.text(`Printed ${longDate(input.today)}`, right, PAGE_MARGIN + 25, { baseline: 'middle', align: 'right' });
}

function cellText(column: GridColumn, row: TimelinePdfInput['rows'][number], task: ScheduledTask | undefined, index: number): string {
  switch (column.key) {
    case 'id':
      return String(index + 1);
    case 'name':
      return row.task.title || 'Untitled task';
    case 'start':
      return task ? gridDate(task.start) : '';
    case 'finish':
      return task ? gridDate(task.finish) : '';
    case 'duration':
      return task ? `${task.duration}d` : '';
    case 'progress':
      return task ? `${Math.round(task.progress)}%` : '';
    case 'assignee':
      return row.task.assignees.join(', ');
  }
}

function drawGrid(pdf: jsPDF, layout: TimelinePdfLayout, page: PdfPage, input: TimelinePdfInput): void {
  const top = layout.axisTop;
  const bottom = layout.rowsTop + (page.endRow - page.firstRow) * ROW_PT;
  pdf.setFillColor(COLORS.headerFill);
  pdf.rect(PAGE_MARGIN, top, layout.chartX - PAGE_MARGIN, AXIS_HEIGHT, 'F');
  pdf.setFont('helvetica', 'bold');
  pdf.setFontSize(7.5);
  pdf.setTextColor(COLORS.muted);
  let x = PAGE_MARGIN;
  for (const column of GRID_COLUMNS) {
    const tx = column.align === 'right' ? x + column.width - 3 : x + 3;
    pdf.text(column.label, tx, top + AXIS_HEIGHT - 7, { baseline: 'middle', align: column.align });
    x += column.width;
  }
  pdf.setFontSize(7.5);
  for (let i = page.firstRow; i < page.endRow; i++) {
    const row = input.rows[i]!;
    const task = input.schedule.tasks.get(row.task.id);
    const y = layout.rowsTop + (i - page.firstRow) * ROW_PT;
    const critical = task?.critical === true && !task.summary;
    pdf.setFont('helvetica', row.hasChildren ? 'bold' : 'normal');
    x = PAGE_MARGIN;
    for (const column of GRID_COLUMNS) {
      const indent = column.key === 'name' ? Math.min(row.depth, 8) * 8 : 0;
      const width = column.width - 6 - indent;
      const text = fit(pdf, pdfText(cellText(column, row, task, i)), width);
      pdf.setTextColor(column.key === 'name' && critical ? COLORS.criticalProgress : COLORS.text);
      const tx = column.align === 'right' ? x + column.width - 3 : x + 3 + indent;
      pdf.text(text, tx, y + ROW_PT / 2, { baseline: 'middle', align: column.align });
      x += column.width;
    }
  }
  // Row separators across grid and chart, column separators in the grid.
  pdf.setDrawColor(COLORS.line);
  pdf.setLineWidth(0.5);
  for (let i = 0; i <= page.endRow - page.firstRow; i++) {
    const y = layout.rowsTop + i * ROW_PT;
    pdf.line(PAGE_MARGIN, y, layout.pageWidth - PAGE_MARGIN, y);
  }
  x = PAGE_MARGIN;
  for (const column of [...GRID_COLUMNS, null]) {
    pdf.line(x, top, x, bottom);
    x += column?.width ?? 0;
  }
  pdf.line(PAGE_MARGIN, top, layout.pageWidth - PAGE_MARGIN, top);
  pdf.line(layout.pageWidth - PAGE_MARGIN, top, layout.pageWidth - PAGE_MARGIN, bottom);
}

function drawChart(pdf: jsPDF, layout: TimelinePdfLayout, page: PdfPage, input: TimelinePdfInput): void {
  const { axis, chartX, chartWidth } = layout;
  const section = layout.sections[page.section]!;
  const rowCount = page.endRow - page.firstRow;
  const bottom = layout.rowsTop + rowCount * ROW_PT;
  // Axis x -> page x; geometry y (timeline pixels, 32 a row) -> page y.
  const px = (x: number) => chartX + x - section.fromX;
  const py = (y: number) => layout.rowsTop + (y * ROW_PT) / ROW_HEIGHT;

  pdf.saveGraphicsState();
  pdf.rect(chartX, layout.axisTop, chartWidth, bottom - layout.axisTop + 1, null);
  pdf.clip();
  pdf.discardPath();

  // Non-working days, when a day is wide enough to see.
  const firstDay = axis.firstDay + Math.floor(section.fromX / axis.pxPerDay);
  const lastDay = axis.firstDay + Math.ceil(section.toX / axis.pxPerDay);
  if (axis.pxPerDay >= 3) {
    pdf.setFillColor(COLORS.nonWorking);
    for (let d = firstDay; d <= lastDay; d++) {
      if (!input.schedule.calendar.isWorkingDay(d)) pdf.rect(px(dayToX(axis, d)), layout.rowsTop, axis.pxPerDay, bottom - layout.rowsTop, 'F');
    }
  }

  // The two header bands.
  const band = AXIS_HEIGHT / 2;
  const { upper, lower } = axisTicks(axis, section.fromX, section.toX);
  pdf.setFillColor(COLORS.headerFill);
  pdf.rect(chartX, layout.axisTop, chartWidth, AXIS_HEIGHT, 'F');
  pdf.setDrawColor(COLORS.line);
  pdf.setLineWidth(0.5);
  pdf.line(chartX, layout.axisTop + band, chartX + chartWidth, layout.axisTop + band);
  pdf.setTextColor(COLORS.muted);
  pdf.setFont('helvetica', 'bold');
  pdf.setFontSize(7.5);
  for (const t of upper) {
    pdf.line(px(t.x), layout.axisTop, px(t.x), layout.axisTop + band);
    // Keep the label of a month that began on an earlier page visible at the left edge.
    const lx = Math.max(px(t.x), chartX) + 3;
    const room = Math.min(px(t.x + t.width), chartX + chartWidth) - lx - 2;
    if (room > 12) pdf.text(fit(pdf, t.label, room), lx, layout.axisTop + band / 2, { baseline: 'middle' });
  }
  pdf.setFont('helvetica', 'normal');
  pdf.setFontSize(6.5);
  for (const t of lower) {
    pdf.line(px(t.x), layout.axisTop + band, px(t.x), bottom);
    // Only the part of the tick on this page counts: a month cut by the page edge shows its
    // label where it has room, or none rather than half of one.
    const left = Math.max(px(t.x), chartX);
    const right = Math.min(px(t.x + t.width), chartX + chartWidth);
    if (right - left < pdf.getTextWidth(t.label) + 3) continue;
    const centred = axis.scale === 'day';
    pdf.text(t.label, centred ? (left + right) / 2 : left + 2, layout.axisTop + band + band / 2, { baseline: 'middle', align: centred ? 'center' : 'left' });
  }

  // Bars of this page's rows, in page-row geometry.
  const bars = new Map<string, BarGeometry>();
  for (let i = page.firstRow; i < page.endRow; i++) {
    const task = input.schedule.tasks.get(input.rows[i]!.task.id);
    if (task) bars.set(task.id, barOf(axis, task, i - page.firstRow, input.schedule.calendar.dayOf(task.startIndex)));
  }
  drawLinks(pdf, input, bars, px, py);
  for (const [id, bar] of bars) drawBar(pdf, input.schedule.tasks.get(id)!, bar, input.baseline?.tasks[id], axis, px, py);

  const todayX = px(dayToX(axis, epochDay(input.today)) + axis.pxPerDay / 2);
  if (todayX >= chartX && todayX <= chartX + chartWidth) {
    pdf.setDrawColor(COLORS.today);
    pdf.setLineWidth(1);
    pdf.line(todayX, layout.rowsTop, todayX, bottom);
  }
  pdf.restoreGraphicsState();
  if (rowCount === 0) {
    pdf.setTextColor(COLORS.muted);
    pdf.setFontSize(10);
    pdf.text('This plan has no tasks yet.', PAGE_MARGIN + 3, layout.rowsTop + 14, { baseline: 'middle' });
  }
}

type Map2 = (v: number) => number;

/** `text` cut with an ellipsis to `width` points in the current font. */
function fit(pdf: jsPDF, text: string, width: number): string {
  if (width <= 0) return '';
  if (pdf.getTextWidth(text) <= width) return text;
  // '…' is in Windows-1252, so Helvetica draws it.
  return withEllipsis(text, (s) => pdf.getTextWidth(s) <= width);
}

/** Links whose two tasks are on this page, routed as the timeline routes them (elbows, MS Project style). */
function drawLinks(pdf: jsPDF, input: TimelinePdfInput, bars: ReadonlyMap<string, BarGeometry>, px: Map2, py: Map2): void {
  const cycleLinks = new Set(input.schedule.cycles.flatMap((c) => c.dependencies));
  for (const dep of input.deps) {
    const from = bars.get(dep.from);
    const to = bars.get(dep.to);
    if (!from || !to) continue;
    const color = cycleLinks.has(dep.id) ? COLORS.cycle : input.schedule.criticalLinks.has(dep.id) ? COLORS.critical : COLORS.link;
    const pts = linkRoute(dep, from, to);
    pdf.setDrawColor(color);
    pdf.setFillColor(color);
    pdf.setLineWidth(0.75);
    pdf.setLineDashPattern(cycleLinks.has(dep.id) ? [3, 2] : [], 0);
    pdf.moveTo(px(pts[0]!), py(pts[1]!));
    for (let i = 2; i < pts.length; i += 2) pdf.lineTo(px(pts[i]!), py(pts[i + 1]!));
    pdf.stroke();
    pdf.setLineDashPattern([], 0);
    const n = pts.length;
    const ex = px(pts[n - 2]!);
    const ey = py(pts[n - 1]!);
    const dir = Math.sign(pts[n - 2]! - pts[n - 4]!) || 1;
    pdf.triangle(ex, ey, ex - dir * 3.5, ey - 2.2, ex - dir * 3.5, ey + 2.2, 'F');
    const label = dependencyLabel(dep);
    if (label) {
      pdf.setFont('helvetica', 'bold');
      pdf.setFontSize(5.5);
      const text = pdfText(label).replace('?', '-');
      const lx = px(pts[2]!) + 2;
      const ly = (py(pts[3]!) + py(pts[5]!)) / 2;
      const w = pdf.getTextWidth(text) + 3;
      pdf.setFillColor('#ffffff');
      pdf.rect(lx, ly - 3, w, 6, 'F');
      pdf.setTextColor(color);
      pdf.text(text, lx + 1.5, ly, { baseline: 'middle' });
    }
  }
}

function drawBar(
  pdf: jsPDF,
  task: ScheduledTask,
  bar: BarGeometry,
  base: Baseline['tasks'][string] | undefined,
  axis: TimeAxis,
  px: Map2,
  py: Map2,
): void {
  if (base) {
    const b = baselineBarOf(axis, base, bar.row);
    pdf.setFillColor(COLORS.baseline);
    pdf.rect(px(b.x), py(b.y), b.w, py(b.y + b.h) - py(b.y), 'F');
  }
  const x = px(bar.x);
  const y = py(bar.y);
  const h = py(bar.y + bar.h) - y;
  if (bar.kind === 'milestone') {
    const cx = px(bar.startX);
    const cy = py(bar.midY);
    const r = 4;
    pdf.setFillColor(task.critical ? COLORS.critical : COLORS.summary);
    pdf.triangle(cx - r, cy, cx, cy - r, cx + r, cy, 'F');
    pdf.triangle(cx - r, cy, cx, cy + r, cx + r, cy, 'F');
  } else if (bar.kind === 'summary') {
    pdf.setFillColor(task.critical ? COLORS.criticalProgress : COLORS.summary);
    pdf.rect(x, y, bar.w, h, 'F');
    // Downward end caps, as MS Project draws summary bars.
    for (const cx of [x, x + bar.w]) pdf.triangle(cx - 2.5, y, cx + 2.5, y, cx, y + h + 3, 'F');
  } else {
    pdf.setFillColor(task.critical ? COLORS.critical : COLORS.bar);
    pdf.roundedRect(x, y, bar.w, h, 1.5, 1.5, 'F');
    if (task.progress > 0) {
      pdf.setFillColor(task.critical ? COLORS.criticalProgress : COLORS.barProgress);
      pdf.rect(x, y + h - 2.5, (bar.w * Math.min(100, task.progress)) / 100, 2.5, 'F');
    }
  }
}
