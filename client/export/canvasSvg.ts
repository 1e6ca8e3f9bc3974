import type { Dependency, Note, Task } from '../../shared/schema/entities.ts';
import { compareZ } from '../../shared/schema/zorder.ts';
import type { CardPlanInfo, LinkTone } from '../plan/cardInfo.ts';
import { arrowPoints } from '../canvas/geometry.ts';
import { badgesOf, STATUS_COLORS, TASK_PADDING, TASK_TITLE_FONT, taskTitleHeight } from '../canvas/shapes/TaskCard.tsx';
import { NOTE_FONT, NOTE_PADDING } from '../canvas/shapes/NoteShape.tsx';
import { LINK_LABEL_FONT, LINK_LABEL_HEIGHT, LINK_TONE_COLORS, linkLabelWidth } from '../canvas/shapes/linkStyle.ts';
import { dependencyLabel } from '../canvas/shapes/dependencyLabel.ts';
import { formatTaskDates } from '../canvas/shapes/taskDates.ts';
import { clipLine, escapeXml, estimateTextWidth, wrapText, type TextMeasure } from './svgText.ts';

/**
 * The canvas (or a selection of it) as a standalone SVG, built from the document rather
 * than from the screen (the canvas only draws what is in the viewport). It draws what the
 * canvas draws at full detail, with the same sizes, colours and fonts: task cards, sticky
 * notes in stacking order, then dependency arrows with their labels. Pure: no DOM.
 */
export interface CanvasSvgInput {
  title: string;
  tasks: Iterable<Task>;
  notes: Iterable<Note>;
  /** Drawable dependencies (both tasks exist); others are skipped. */
  deps: Iterable<Dependency>;
  infos: ReadonlyMap<string, CardPlanInfo>;
  tones: ReadonlyMap<string, LinkTone>;
  /**
   * Export only these shapes (ids of tasks and notes) and links; links between two exported
   * shapes come along. Undefined: the whole canvas.
   */
  only?: ReadonlySet<string>;
  /** Measures text for wrapping (a 2D canvas in the browser); an estimate by default. */
  measure?: TextMeasure;
  /** Space around the drawing, in canvas units. */
  margin?: number;
  /** "This year" for card dates (injected so tests are stable). */
  now?: Date;
  /**
   * Outlines drawn over everything, each with a short label (e.g. a version's tasks that differ
   * from now); they widen the drawing to fit. A box need not be a drawn shape: a task added since
   * a version is outlined where it is now. Undefined: none.
   */
  highlights?: Iterable<SvgHighlight>;
}

export type SvgHighlightKind = 'added' | 'removed' | 'changed';

export interface SvgHighlight {
  id: string;
  kind: SvgHighlightKind;
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface CanvasSvg {
  svg: string;
  /** Size of the drawing in canvas units (1 unit = 1 CSS px at 100 %). */
  width: number;
  height: number;
  shapes: number;
  links: number;
}

export const FONT_FAMILY = 'Inter, system-ui, sans-serif';
const DEFAULT_MARGIN = 32;
const ARROW_HEAD = 10;
const LABEL_FONT = LINK_LABEL_FONT;
const LABEL_HEIGHT = LINK_LABEL_HEIGHT;
/** The version-history colours (styles.css .history-highlight): added green, removed red, changed amber. */
const HIGHLIGHT_COLORS: Record<SvgHighlightKind, string> = { added: '#16a34a', removed: '#dc2626', changed: '#f59e0b' };
const HIGHLIGHT_GAP = 6;
const HIGHLIGHT_LABEL = 20;

interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * Builds the SVG, or null when there is nothing to draw (an empty board or selection).
 *
 * @example const out = buildCanvasSvg({ title, tasks, notes, deps, infos, tones }); out?.svg
 */
export function buildCanvasSvg(input: CanvasSvgInput): CanvasSvg | null {
  const measure = input.measure ?? estimateTextWidth;
  const margin = input.margin ?? DEFAULT_MARGIN;
  const now = input.now ?? new Date();
  const only = input.only;
  const taskById = new Map<string, Task>();
  for (const t of input.tasks) taskById.set(t.id, t);
  const shapes = [...taskById.values(), ...input.notes].filter((s) => !only || only.has(s.id)).sort(compareZ);
  const shapeIds = new Set(shapes.map((s) => s.id));
  const links: Array<{ dep: Dependency; points: [number, number, number, number] }> = [];
  for (const dep of input.deps) {
    const from = taskById.get(dep.from);
    const to = taskById.get(dep.to);
    if (!from || !to || from === to) continue;
    if (only && !only.has(dep.id) && !(shapeIds.has(dep.from) && shapeIds.has(dep.to))) continue;
    const points = arrowPoints(from, to);
    if (points) links.push({ dep, points });
  }
  const highlights = [...(input.highlights ?? [])].filter((h) => [h.x, h.y, h.w, h.h].every(Number.isFinite));
  if (shapes.length === 0 && links.length === 0 && highlights.length === 0) return null;

  const box: Box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  const grow = (x: number, y: number) => {
    box.minX = Math.min(box.minX, x);
    box.minY = Math.min(box.minY, y);
    box.maxX = Math.max(box.maxX, x);
    box.maxY = Math.max(box.maxY, y);
  };
  for (const s of shapes) {
    grow(s.x, s.y);
    grow(s.x + s.w, s.y + s.h);
  }
  const body: string[] = [];
  for (const s of shapes) body.push(s.kind === 'task' ? taskSvg(s, input.infos.get(s.id), measure, now) : noteSvg(s, measure));
  for (const { dep, points } of links) body.push(linkSvg(dep, points, input.tones.get(dep.id) ?? 'normal', grow));
  for (const { points } of links) {
    grow(points[0], points[1]);
    grow(points[2], points[3]);
  }
  for (const h of highlights) body.push(highlightSvg(h, measure, grow));

  const x = Math.floor(box.minX - margin);
  const y = Math.floor(box.minY - margin);
  const width = Math.ceil(box.maxX + margin) - x;
  const height = Math.ceil(box.maxY + margin) - y;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${x} ${y} ${width} ${height}" font-family="${FONT_FAMILY}">`,
    `<title>${escapeXml(input.title)}</title>`,
    '<defs><filter id="note-shadow" x="-20%" y="-20%" width="140%" height="140%"><feDropShadow dx="0" dy="2" stdDeviation="4" flood-color="#000" flood-opacity="0.12"/></filter></defs>',
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
  return { svg, width, height, shapes: shapes.length, links: links.length };
}

/**
 * An outline around a box with its label above it, drawn on top. Added (a task the drawing
 * does not hold) is a dashed ghost, the others a solid frame around the card.
 */
function highlightSvg(h: SvgHighlight, measure: TextMeasure, grow: (x: number, y: number) => void): string {
  const color = HIGHLIGHT_COLORS[h.kind];
  const x = h.x - HIGHLIGHT_GAP;
  const y = h.y - HIGHLIGHT_GAP;
  const w = Math.max(0, h.w) + HIGHLIGHT_GAP * 2;
  const hh = Math.max(0, h.h) + HIGHLIGHT_GAP * 2;
  const label = clipLine(h.label, Math.max(w, 160), `600 ${LABEL_FONT}px ${FONT_FAMILY}`, measure);
  const labelWidth = Math.ceil(measure(label, `600 ${LABEL_FONT}px ${FONT_FAMILY}`)) + 12;
  grow(x, y - HIGHLIGHT_LABEL - 2);
  grow(Math.max(x + w, x + labelWidth), y + hh);
  const ghost = h.kind === 'added';
  return (
    `<g data-kind="highlight" data-change="${h.kind}" data-id="${escapeXml(h.id)}">` +
    `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(hh)}" rx="14" fill="${ghost ? 'rgba(22,163,74,0.08)' : 'none'}" stroke="${color}" stroke-width="4"${ghost ? ' stroke-dasharray="10 6"' : ''}/>` +
    (label
      ? `<g class="highlight-label" transform="translate(${num(x)} ${num(y - HIGHLIGHT_LABEL - 2)})"><rect width="${labelWidth}" height="${HIGHLIGHT_LABEL}" rx="4" fill="${color}"/>` +
        `<text x="6" y="${HIGHLIGHT_LABEL / 2}" dominant-baseline="central" font-size="${LABEL_FONT}" font-weight="600" fill="#ffffff">${escapeXml(label)}</text></g>`
      : '') +
    '</g>'
  );
}

/** A colour from the document, used in an attribute: only '#rgb' / '#rrggbb', else the fallback. */
function safeColor(color: string, fallback: string): string {
  return /^#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?$/.test(color) ? color : fallback;
}

function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** Lines of text, each vertically centred in its line box as Konva draws them. */
function textLines(lines: readonly string[], x: number, y: number, lineHeight: number, attrs: string): string {
  return lines
    .map((line, i) => `<text x="${num(x)}" y="${num(y + (i + 0.5) * lineHeight)}" dominant-baseline="central" xml:space="preserve" ${attrs}>${escapeXml(line)}</text>`)
    .join('');
}

function taskSvg(t: Task, info: CardPlanInfo | undefined, measure: TextMeasure, now: Date): string {
  const out: string[] = [`<g data-kind="task" data-id="${escapeXml(t.id)}" transform="translate(${num(t.x)} ${num(t.y)})">`];
  out.push(`<rect width="${num(t.w)}" height="${num(t.h)}" rx="10" fill="${safeColor(t.color, '#ffffff')}" stroke="#cbd5e1" stroke-width="1"/>`);
  // The accent strip: Konva clamps its 10 px corner radius to half its 4 px width.
  out.push(`<path d="M2 0H4V${num(t.h)}H2A2 2 0 0 1 0 ${num(t.h - 2)}V2A2 2 0 0 1 2 0Z" fill="#6366f1"/>`);
  const badges = info ? badgesOf(info) : [];
  const badgesWidth = badges.reduce((w, b) => w + b.width + 4, 0);
  const titleFont = `600 ${TASK_TITLE_FONT}px ${FONT_FAMILY}`;
  const lineHeight = TASK_TITLE_FONT * 1.3;
  const title = wrapText((info?.milestone ? '◆ ' : '') + (t.title || 'Untitled task'), {
    maxWidth: Math.max(20, t.w - TASK_PADDING * 2 - badgesWidth),
    maxLines: Math.floor(taskTitleHeight(t) / lineHeight),
    font: titleFont,
    measure,
  });
  out.push(`<g class="task-title">${textLines(title, TASK_PADDING, TASK_PADDING, lineHeight, `font-size="${TASK_TITLE_FONT}" font-weight="600" fill="${t.title ? '#0f172a' : '#94a3b8'}"`)}</g>`);
  if (t.assignees.length > 0) {
    const line = clipLine(`@ ${t.assignees.join(', ')}`, t.w - TASK_PADDING * 2, `12px ${FONT_FAMILY}`, measure);
    out.push(textLines([line], TASK_PADDING, t.h - TASK_PADDING - 28 - 16, 12, 'font-size="12" fill="#475569"'));
  }
  badges.forEach((b, i) => {
    const bx = t.w - TASK_PADDING - badges.slice(i).reduce((w, x) => w + x.width + 4, 0) + 4;
    out.push(
      `<g class="badge" transform="translate(${num(bx)} ${TASK_PADDING})"><rect width="${b.width}" height="18" rx="9" fill="${b.fill}"/>` +
        `<text x="${num(b.width / 2)}" y="9" text-anchor="middle" dominant-baseline="central" font-size="10" font-weight="600" fill="${b.text}">${escapeXml(b.label)}</text></g>`,
    );
  });
  if (info && info.progress > 0) {
    const w = t.w - 8;
    out.push(
      `<g class="progress" transform="translate(4 ${num(t.h - 4)})"><rect width="${num(w)}" height="3" fill="#e2e8f0"/>` +
        `<rect width="${num((w * Math.min(100, info.progress)) / 100)}" height="3" fill="${info.progress >= 100 ? '#16a34a' : '#6366f1'}"/></g>`,
    );
  }
  const chip = t.status ? (info?.statusLabel ?? t.status) : '';
  const chipWidth = chip.length * 6.6 + 16;
  if (chip) {
    out.push(
      `<g class="status" transform="translate(${TASK_PADDING} ${num(t.h - TASK_PADDING - 20)})"><rect width="${num(chipWidth)}" height="20" rx="10" fill="${STATUS_COLORS[t.status] ?? '#e2e8f0'}"/>` +
        `<text x="${num(chipWidth / 2)}" y="10" text-anchor="middle" dominant-baseline="central" font-size="11" fill="#1e293b">${escapeXml(chip)}</text></g>`,
    );
  }
  const dates = info ? formatTaskDates(info.start, info.finish, now) : '';
  if (dates) {
    const left = TASK_PADDING + (chip ? chipWidth + 8 : 0);
    const width = Math.max(0, t.w - TASK_PADDING * 2 - (chip ? chipWidth + 8 : 0));
    const line = clipLine(info && info.progress > 0 ? `${dates} · ${info.progress}%` : dates, width, `11px ${FONT_FAMILY}`, measure);
    const x = chip ? left + width : left;
    out.push(
      `<text class="dates" x="${num(x)}" y="${num(t.h - TASK_PADDING - 10)}" dominant-baseline="central" text-anchor="${chip ? 'end' : 'start'}" font-size="11" fill="#64748b">${escapeXml(line)}</text>`,
    );
  }
  out.push('</g>');
  return out.join('');
}

function noteSvg(n: Note, measure: TextMeasure): string {
  const lineHeight = NOTE_FONT * 1.35;
  const lines = wrapText(n.text, {
    maxWidth: n.w - NOTE_PADDING * 2,
    maxLines: Math.floor((n.h - NOTE_PADDING * 2) / lineHeight),
    font: `${NOTE_FONT}px ${FONT_FAMILY}`,
    measure,
  });
  return (
    `<g data-kind="note" data-id="${escapeXml(n.id)}" transform="translate(${num(n.x)} ${num(n.y)})">` +
    `<rect width="${num(n.w)}" height="${num(n.h)}" rx="4" fill="${safeColor(n.color, '#fff59d')}" filter="url(#note-shadow)"/>` +
    textLines(lines, NOTE_PADDING, NOTE_PADDING, lineHeight, `font-size="${NOTE_FONT}" fill="#1f2937"`) +
    '</g>'
  );
}

/** An arrow as Konva's Arrow draws it (line, filled head at the successor) and its 'SS +2d' label. */
function linkSvg(dep: Dependency, points: [number, number, number, number], tone: LinkTone, grow: (x: number, y: number) => void): string {
  const [x1, y1, x2, y2] = points;
  const color = LINK_TONE_COLORS[tone];
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // The line stops where the head begins so its end does not poke through the tip.
  const length = Math.hypot(x2 - x1, y2 - y1);
  const back = Math.min(ARROW_HEAD, length);
  const bx = x2 - cos * back;
  const by = y2 - sin * back;
  const half = 5;
  const head = `${num(x2)},${num(y2)} ${num(bx - sin * half)},${num(by + cos * half)} ${num(bx + sin * half)},${num(by - cos * half)}`;
  const out = [`<g data-kind="link" data-id="${escapeXml(dep.id)}" data-tone="${tone}">`];
  out.push(`<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(bx)}" y2="${num(by)}" stroke="${color}" stroke-width="2"${tone === 'cycle' ? ' stroke-dasharray="8 6"' : ''}/>`);
  out.push(`<polygon points="${head}" fill="${color}" stroke="${color}" stroke-width="2" stroke-linejoin="miter"/>`);
  const label = dependencyLabel(dep);
  if (label) {
    const w = linkLabelWidth(label);
    const mx = (x1 + x2) / 2;
    const my = (y1 + y2) / 2;
    grow(mx - w / 2, my - LABEL_HEIGHT / 2);
    grow(mx + w / 2, my + LABEL_HEIGHT / 2);
    out.push(
      `<g class="link-label" transform="translate(${num(mx - w / 2)} ${num(my - LABEL_HEIGHT / 2)})"><rect width="${w}" height="${LABEL_HEIGHT}" rx="${LABEL_HEIGHT / 2}" fill="#ffffff" stroke="${color}" stroke-width="1"/>` +
        `<text x="${num(w / 2)}" y="${LABEL_HEIGHT / 2}" text-anchor="middle" dominant-baseline="central" font-size="${LABEL_FONT}" font-weight="600" fill="#334155">${escapeXml(label)}</text></g>`,
    );
  }
  out.push('</g>');
  return out.join('');
}
