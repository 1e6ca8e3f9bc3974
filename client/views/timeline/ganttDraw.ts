import type { WorkCalendar } from '../../../shared/planning/calendar.ts';
import type { Schedule } from '../../../shared/planning/types.ts';
import type { Baseline, Dependency } from '../../../shared/schema/entities.ts';
import { HEADER_HEIGHT, ROW_HEIGHT, baselineBarOf, type BarGeometry } from './ganttGeometry.ts';
import { axisTicks, dayToX, type TimeAxis } from './timeScale.ts';
import { dependencyLabel } from '../../canvas/shapes/dependencyLabel.ts';

/**
 * Paints the Gantt chart on a 2D context in one pass (one Konva node, like the canvas's
 * zoomed-out batch): only the rows and days inside the viewport are drawn, so 5,000 tasks
 * cost what the visible thirty do.
 */
export interface GanttPaint {
  axis: TimeAxis;
  calendar: WorkCalendar;
  schedule: Schedule;
  rowIds: readonly string[];
  titles: ReadonlyMap<string, string>;
  rowBars: ReadonlyArray<BarGeometry | undefined>;
  routes: ReadonlyArray<{ id: string; dep: Dependency; points: number[] }>;
  /** Links on a dependency cycle: drawn dashed orange. */
  cycleLinks: ReadonlySet<string>;
  baseline: Baseline | null;
  selection: ReadonlySet<string>;
  manual: ReadonlySet<string>;
  today: number;
  scrollLeft: number;
  scrollTop: number;
  width: number;
  height: number;
  /** A bar being dragged (moved or resized): drawn as a ghost. */
  ghost: { x: number; y: number; w: number; h: number } | null;
  /** A link being drawn from a bar's handle to the pointer. */
  linkDraft: { x1: number; y1: number; x2: number; y2: number } | null;
  /** The link handle of the hovered bar (drag it onto another bar to link them). */
  linkHandle: { x: number; y: number } | null;
}

const COLORS = {
  bar: '#6366f1',
  barProgress: '#3730a3',
  critical: '#ef4444',
  criticalProgress: '#991b1b',
  manual: '#0d9488',
  manualProgress: '#115e59',
  summary: '#334155',
  baseline: '#94a3b8',
  link: '#64748b',
  cycle: '#f97316',
  nonWorking: '#f1f5f9',
  rowLine: '#f1f5f9',
  selectedRow: '#eef2ff',
  today: '#e11d48',
  header: '#ffffff',
  headerText: '#334155',
  headerLine: '#e2e8f0',
  text: '#334155',
};

export function paintGantt(ctx: CanvasRenderingContext2D, p: GanttPaint): void {
  const { axis, width, height, scrollLeft, scrollTop } = p;
  ctx.save();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  const firstRow = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT));
  const lastRow = Math.min(p.rowIds.length - 1, Math.ceil((scrollTop + height) / ROW_HEIGHT));
  const toScreenY = (y: number) => y - scrollTop + HEADER_HEIGHT;
  const toScreenX = (x: number) => x - scrollLeft;

  // Non-working days, shaded down the whole chart.
  const firstDay = axis.firstDay + Math.floor(scrollLeft / axis.pxPerDay);
  const lastDay = axis.firstDay + Math.ceil((scrollLeft + width) / axis.pxPerDay);
  ctx.fillStyle = COLORS.nonWorking;
  for (let d = firstDay; d <= lastDay; d++) {
    if (!p.calendar.isWorkingDay(d)) ctx.fillRect(toScreenX(dayToX(axis, d)), HEADER_HEIGHT, axis.pxPerDay, height);
  }

  // Rows: separators and the selection.
  for (let row = firstRow; row <= lastRow; row++) {
    const y = toScreenY(row * ROW_HEIGHT);
    if (p.selection.has(p.rowIds[row]!)) {
      ctx.fillStyle = COLORS.selectedRow;
      ctx.fillRect(0, y, width, ROW_HEIGHT);
    }
    ctx.fillStyle = COLORS.rowLine;
    ctx.fillRect(0, y + ROW_HEIGHT - 1, width, 1);
  }

  // Today.
  const todayX = toScreenX(dayToX(axis, p.today) + axis.pxPerDay / 2);
  if (todayX >= 0 && todayX <= width) {
    ctx.fillStyle = COLORS.today;
    ctx.fillRect(Math.round(todayX) - 1, HEADER_HEIGHT, 2, height);
  }

  // Links under the bars.
  ctx.lineWidth = 1.5;
  for (const route of p.routes) {
    const critical = p.schedule.criticalLinks.has(route.id);
    const inCycle = p.cycleLinks.has(route.id);
    const selected = p.selection.has(route.id);
    ctx.strokeStyle = inCycle ? COLORS.cycle : critical ? COLORS.critical : COLORS.link;
    ctx.lineWidth = selected ? 3 : 1.5;
    ctx.setLineDash(inCycle ? [5, 4] : []);
    ctx.beginPath();
    const pts = route.points;
    ctx.moveTo(toScreenX(pts[0]!), toScreenY(pts[1]!));
    for (let i = 2; i < pts.length; i += 2) ctx.lineTo(toScreenX(pts[i]!), toScreenY(pts[i + 1]!));
    ctx.stroke();
    // Arrowhead pointing along the last segment.
    const n = pts.length;
    const ex = toScreenX(pts[n - 2]!);
    const ey = toScreenY(pts[n - 1]!);
    const dir = Math.sign(pts[n - 2]! - pts[n - 4]!) || 1;
    ctx.setLineDash([]);
    ctx.fillStyle = ctx.strokeStyle;
    ctx.beginPath();
    ctx.moveTo(ex, ey);
    ctx.lineTo(ex - dir * 6, ey - 4);
    ctx.lineTo(ex - dir * 6, ey + 4);
    ctx.closePath();
    ctx.fill();
    // 'SS +2d' beside links that are not a plain finish-to-start, as on the canvas.
    const label = dependencyLabel(route.dep);
    if (label) {
      ctx.font = '600 10px Inter, system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      const lx = toScreenX(pts[2]!) + 4;
      const ly = (toScreenY(pts[3]!) + toScreenY(pts[5]!)) / 2;
      const w = ctx.measureText(label).width + 8;
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(lx, ly - 7, w, 14);
      ctx.fillStyle = ctx.strokeStyle;
      ctx.fillText(label, lx + 4, ly);
    }
  }
  ctx.setLineDash([]);

  // Bars.
  ctx.font = '12px Inter, system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (let row = firstRow; row <= lastRow; row++) {
    const bar = p.rowBars[row];
    if (!bar) continue;
    const task = p.schedule.tasks.get(bar.id)!;
    const base = p.baseline?.tasks[bar.id];
    if (base) {
      const b = baselineBarOf(axis, base, row);
      ctx.fillStyle = COLORS.baseline;
      ctx.fillRect(toScreenX(b.x), toScreenY(b.y), b.w, b.h);
    }
    const x = toScreenX(bar.x);
    const y = toScreenY(bar.y);
    if (x > width + 400 || x + bar.w < -400) continue;
    const manual = p.manual.has(bar.id);
    const fill = task.critical ? COLORS.critical : manual ? COLORS.manual : COLORS.bar;
    const dark = task.critical ? COLORS.criticalProgress : manual ? COLORS.manualProgress : COLORS.barProgress;
    if (bar.kind === 'milestone') {
      ctx.fillStyle = task.critical ? COLORS.critical : COLORS.summary;
      ctx.beginPath();
      ctx.moveTo(x + 7, y);
      ctx.lineTo(x + 14, y + 7);
      ctx.lineTo(x + 7, y + 14);
      ctx.lineTo(x, y + 7);
      ctx.closePath();
      ctx.fill();
    } else if (bar.kind === 'summary') {
      ctx.fillStyle = task.critical ? COLORS.criticalProgress : COLORS.summary;
      ctx.fillRect(x, y, bar.w, bar.h);
      // End caps pointing down, as summary bars are drawn in MS Project.
      for (const cx of [x, x + bar.w]) {
        ctx.beginPath();
        ctx.moveTo(cx - 5, y);
        ctx.lineTo(cx + 5, y);
        ctx.lineTo(cx, y + bar.h + 6);
        ctx.closePath();
        ctx.fill();
      }
    } else {
      ctx.fillStyle = fill;
      roundRect(ctx, x, y, bar.w, bar.h, 4);
      ctx.fill();
      if (task.progress > 0) {
        ctx.fillStyle = dark;
        roundRect(ctx, x, y + bar.h - 5, (bar.w * task.progress) / 100, 5, 2);
        ctx.fill();
      }
    }
    if (task.inCycle || task.violatedLinks.length > 0 || p.selection.has(bar.id)) {
      ctx.strokeStyle = p.selection.has(bar.id) ? '#1e1b4b' : task.inCycle ? COLORS.cycle : COLORS.critical;
      ctx.lineWidth = 2;
      ctx.setLineDash(task.inCycle ? [4, 3] : []);
      roundRect(ctx, x - 2, y - 2, bar.w + 4, bar.h + 4, 5);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    // Label right of the bar.
    const label = (task.violatedLinks.length > 0 ? '⚠ ' : '') + (p.titles.get(bar.id) || 'Untitled task');
    ctx.fillStyle = task.violatedLinks.length > 0 ? COLORS.critical : COLORS.text;
    ctx.fillText(label, x + bar.w + (bar.kind === 'milestone' ? 6 : 18), toScreenY(bar.midY));
  }

  if (p.ghost) {
    ctx.strokeStyle = '#1e1b4b';
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1.5;
    roundRect(ctx, toScreenX(p.ghost.x), toScreenY(p.ghost.y), p.ghost.w, p.ghost.h, 4);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  if (p.linkHandle) {
    ctx.fillStyle = '#ffffff';
    ctx.strokeStyle = '#1e1b4b';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(toScreenX(p.linkHandle.x), toScreenY(p.linkHandle.y), 5, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  }
  if (p.linkDraft) {
    ctx.strokeStyle = '#1e1b4b';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(toScreenX(p.linkDraft.x1), toScreenY(p.linkDraft.y1));
    ctx.lineTo(toScreenX(p.linkDraft.x2), toScreenY(p.linkDraft.y2));
    ctx.stroke();
  }

  paintHeader(ctx, p, todayX);
  ctx.restore();
}

function paintHeader(ctx: CanvasRenderingContext2D, p: GanttPaint, todayX: number): void {
  const { axis, width, scrollLeft } = p;
  ctx.fillStyle = COLORS.header;
  ctx.fillRect(0, 0, width, HEADER_HEIGHT);
  const { upper, lower } = axisTicks(axis, scrollLeft, scrollLeft + width);
  ctx.font = '600 12px Inter, system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = COLORS.headerText;
  for (const t of upper) {
    const x = t.x - scrollLeft;
    ctx.fillStyle = COLORS.headerLine;
    ctx.fillRect(x, 0, 1, 24);
    ctx.fillStyle = COLORS.headerText;
    ctx.fillText(t.label, Math.max(x, 0) + 6, 12);
  }
  ctx.font = '11px Inter, system-ui, sans-serif';
  for (const t of lower) {
    const x = t.x - scrollLeft;
    ctx.fillStyle = COLORS.headerLine;
    ctx.fillRect(x, 24, 1, 24);
    if (t.width >= 14) {
      ctx.fillStyle = COLORS.headerText;
      ctx.textAlign = axis.scale === 'day' ? 'center' : 'left';
      ctx.fillText(t.label, axis.scale === 'day' ? x + t.width / 2 : x + 4, 36);
      ctx.textAlign = 'left';
    }
  }
  ctx.fillStyle = COLORS.headerLine;
  ctx.fillRect(0, 23, width, 1);
  ctx.fillRect(0, HEADER_HEIGHT - 1, width, 1);
  if (todayX >= 0 && todayX <= width) {
    ctx.fillStyle = COLORS.today;
    ctx.beginPath();
    ctx.moveTo(todayX - 5, HEADER_HEIGHT - 8);
    ctx.lineTo(todayX + 5, HEADER_HEIGHT - 8);
    ctx.lineTo(todayX, HEADER_HEIGHT);
    ctx.closePath();
    ctx.fill();
  }
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  const radius = Math.max(0, Math.min(r, w / 2, h / 2));
  ctx.beginPath();
  ctx.roundRect(x, y, Math.max(0, w), h, radius);
}
