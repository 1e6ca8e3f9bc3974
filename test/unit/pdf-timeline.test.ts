import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDependency, createTask } from '../../shared/doc/ops.ts';
import { setParent } from '../../shared/doc/planOps.ts';
import { BoardModel } from '../../client/canvas/boardModel.ts';
import { PlanModel } from '../../client/plan/planModel.ts';
import { GRID_WIDTH, PAGE_MARGIN, PAPER, layoutTimelinePdf, pdfText, scaleFor } from '../../client/export/pdfLayout.ts';
import { buildTimelinePdf } from '../../client/export/pdfTimeline.ts';

/**
 * The timeline PDF: pages of rows with the headers repeated, a time scale chosen so the
 * project span fits the page width (or pages across when it cannot), and real vector text
 * of the task grid that a reader can search.
 */
describe('timeline PDF layout', () => {
  it('puts 31 rows on a landscape A4 page and repeats the page for the rest', () => {
    const layout = layoutTimelinePdf({ rowCount: 120, from: '2026-11-16', to: '2027-02-01', paper: 'a4' });
    expect(layout.rowsPerPage).toBe(31);
    expect(layout.pages.map((p) => [p.firstRow, p.endRow])).toEqual([
      [0, 31],
      [31, 62],
      [62, 93],
      [93, 120],
    ]);
    expect(layout.pages.every((p) => p.section === 0)).toBe(true);
  });

  it('fits the project span into the chart width and picks the scale whose labels fit', () => {
    const chartWidth = PAPER.a4.width - 2 * PAGE_MARGIN - GRID_WIDTH;
    const quarter = layoutTimelinePdf({ rowCount: 5, from: '2026-11-16', to: '2027-02-13', paper: 'a4' });
    expect(quarter.chartWidth).toBeCloseTo(chartWidth);
    expect(quarter.axis.days * quarter.axis.pxPerDay).toBeCloseTo(chartWidth);
    expect(quarter.axis.scale).toBe('month');
    const fortnight = layoutTimelinePdf({ rowCount: 5, from: '2026-11-16', to: '2026-11-27', paper: 'a4' });
    expect(fortnight.axis.scale).toBe('day');
    // A short plan is not stretched past 24 pt a day: the axis runs on to the page edge.
    const twoDays = layoutTimelinePdf({ rowCount: 1, from: '2026-11-16', to: '2026-11-17', paper: 'a4' });
    expect(twoDays.axis.pxPerDay).toBe(24);
    expect(twoDays.axis.width).toBeGreaterThanOrEqual(chartWidth);
    expect(twoDays.sections).toHaveLength(1);
    expect([scaleFor(20), scaleFor(6), scaleFor(1)]).toEqual(['day', 'week', 'month']);
  });

  it('pages across in time for a plan too long for one page width, every row band once per section', () => {
    const layout = layoutTimelinePdf({ rowCount: 40, from: '2026-01-01', to: '2029-12-31', paper: 'a4' });
    expect(layout.axis.pxPerDay).toBe(1);
    // 2026-01-01 to 2029-12-31 with a day before and three after: 1465 days at 1 pt a day.
    expect(layout.sections).toHaveLength(Math.ceil(1465 / layout.chartWidth));
    expect(layout.sections.length).toBeGreaterThan(3);
    expect(layout.pages).toHaveLength(2 * layout.sections.length);
    expect(layout.pages.slice(0, layout.sections.length).map((p) => p.section)).toEqual(layout.sections.map((_, i) => i));
    expect(layout.pages.map((p) => p.number)).toEqual(layout.pages.map((_, i) => i + 1));
  });

  it('Letter pages are shorter than A4 in width but hold more rows', () => {
    const letter = layoutTimelinePdf({ rowCount: 120, from: '2026-11-16', to: '2027-02-01', paper: 'letter' });
    expect(letter.pageWidth).toBe(792);
    expect(letter.rowsPerPage).toBe(32);
  });

  it('keeps text the built-in PDF font can draw and marks the rest', () => {
    expect(pdfText('Café – “ok” €5')).toBe('Café – “ok” €5');
    expect(pdfText('日本 🚀\u0000x')).toBe('?? ? x');
  });
});

/** Every content stream of a PDF, inflated, as text (jsPDF writes text as literal strings). */
function pdfStreams(bytes: Uint8Array): string {
  const raw = Buffer.from(bytes).toString('latin1');
  let out = '';
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    const data = Buffer.from(m[1]!, 'latin1');
    try {
      out += inflateSync(data).toString('latin1');
    } catch {
      out += m[1];
    }
  }
  return out;
}

function plan120() {
  const doc = new Y.Doc();
  doc.getMap('meta').set('projectStart', '2026-11-16');
  doc.getMap('meta').set('title', 'Release <plan>');
  const phase = createTask(doc, { title: 'Phase one' });
  let previous = '';
  for (let i = 1; i < 120; i++) {
    const id = createTask(doc, { title: `Task number ${i}`, duration: 1 + (i % 3), progress: i % 100, assignees: i % 2 ? ['Ada'] : [] });
    if (i <= 10) setParent(doc, id, phase);
    if (previous && i % 4 !== 0) createDependency(doc, previous, id, { type: i % 5 === 0 ? 'SS' : 'FS', lag: i % 5 === 0 ? 2 : 0 });
    previous = id;
  }
  createTask(doc, { title: 'Launch', milestone: true, duration: 0 });
  const plan = new PlanModel(doc, new BoardModel(doc), () => '2026-11-22');
  plan.start();
  return plan;
}

describe('timeline PDF', () => {
  it('is a multi-page PDF whose pages carry the grid text, headers repeated', () => {
    const plan = plan120();
    const pdf = buildTimelinePdf({ title: plan.meta.title, rows: plan.outline(), schedule: plan.schedule(), deps: plan.board.liveDeps(), today: plan.today() });
    const bytes = new Uint8Array(pdf.output('arraybuffer'));
    expect(Buffer.from(bytes.slice(0, 5)).toString('latin1')).toBe('%PDF-');
    const pages = pdf.getNumberOfPages();
    expect(pages).toBeGreaterThan(1);
    expect(pages).toBe(layoutTimelinePdf({ rowCount: 121, from: '2026-11-16', to: plan.schedule().projectFinish, paper: 'a4' }).pages.length);
    const text = pdfStreams(bytes);
    expect(text).toContain('(Task number 1)');
    expect(text).toContain('(Task number 119)');
    expect(text).toContain('(Launch)');
    expect(text).toContain(`(Page 1 of ${pages})`);
    expect(text).toContain(`(Page ${pages} of ${pages})`);
    // The column heads are on every page.
    expect(text.match(/\(Task name\)/g)).toHaveLength(pages);
    // The title's '<' is text, and the lag label of an SS link is drawn.
    expect(text).toContain('(Release <plan>)');
    expect(text).toContain('(SS +2d)');
  });

  it('prints a plan longer than a page width across several time sections', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('projectStart', '2026-11-16');
    const first = createTask(doc, { title: 'Long haul', duration: 700 });
    const second = createTask(doc, { title: 'After that', duration: 10 });
    createDependency(doc, first, second);
    const plan = new PlanModel(doc, new BoardModel(doc), () => '2026-11-22');
    const pdf = buildTimelinePdf({ title: 'Long', rows: plan.outline(), schedule: plan.schedule(), deps: plan.board.liveDeps(), today: plan.today() });
    const pages = pdf.getNumberOfPages();
    expect(pages).toBeGreaterThan(2);
    const text = pdfStreams(new Uint8Array(pdf.output('arraybuffer')));
    expect(text).toContain(`time section ${pages} of ${pages}`);
    // The grid is repeated on every section, so each page can be read alone.
    expect(text.match(/\(Long haul\)/g)).toHaveLength(pages);
  });

  it('draws an empty plan as one page that says so', () => {
    const doc = new Y.Doc();
    const plan = new PlanModel(doc, new BoardModel(doc), () => '2026-11-22');
    const pdf = buildTimelinePdf({ title: '', rows: plan.outline(), schedule: plan.schedule(), deps: [], today: plan.today(), paper: 'letter' });
    expect(pdf.getNumberOfPages()).toBe(1);
    expect(pdfStreams(new Uint8Array(pdf.output('arraybuffer')))).toContain('This plan has no tasks yet.');
  });
});
