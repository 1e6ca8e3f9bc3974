import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createNote, createTask, deleteEntities, moveShapes } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { buildCanvasSvg, type CanvasSvgInput, type SvgHighlight } from '../../client/export/canvasSvg.ts';
import { previewRows } from '../../client/history/previewRows.ts';
import { changeHighlights, readVersion, versionSvg } from '../../client/history/versionDrawing.ts';

/**
 * The version preview's picture: the SVG builder's optional outlines (added / removed /
 * changed, labelled, escaped, inside the view box) and the version drawn from its own
 * document, compared with now, without writing to it.
 */
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['g', 'rect', 'text'].includes(name) });
type Node = Record<string, unknown>;

function groups(svg: string): Node[] {
  expect(XMLValidator.validate(svg)).toBe(true);
  const out: Node[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object')
      for (const [key, value] of Object.entries(node)) {
        if (key === 'g') out.push(...(value as Node[]));
        walk(value);
      }
  };
  walk(parser.parse(svg));
  return out;
}

function viewBox(svg: string): [number, number, number, number] {
  const [x = NaN, y = NaN, w = NaN, h = NaN] = /viewBox="([^"]+)"/.exec(svg)![1]!.split(' ').map(Number);
  return [x, y, w, h];
}

const TODAY = '2026-11-20';
const NOW = new Date(Date.UTC(2026, 10, 20));

function input(doc: Y.Doc): CanvasSvgInput {
  const b = readBoard(doc);
  return { title: 'Plan', tasks: b.tasks.values(), notes: b.notes.values(), deps: b.deps.values(), infos: new Map(), tones: new Map(), now: NOW };
}

describe('buildCanvasSvg highlights', () => {
  const doc = new Y.Doc();
  const a = createTask(doc, { title: 'A', x: 0, y: 0 });
  createTask(doc, { title: 'B', x: 400, y: 0 });

  it('draws nothing more without highlights (the export is unchanged)', () => {
    const plain = buildCanvasSvg(input(doc))!;
    expect(buildCanvasSvg({ ...input(doc), highlights: [] })).toEqual(plain);
    expect(plain.svg).not.toContain('data-kind="highlight"');
  });

  it('outlines each kind in the history colours, the added ghost dashed, on top of the shapes', () => {
    const highlights: SvgHighlight[] = [
      { id: a, kind: 'changed', label: 'renamed · moved', x: 0, y: 0, w: 240, h: 130 },
      { id: 'gone', kind: 'removed', label: 'removed since', x: 400, y: 0, w: 240, h: 130 },
      { id: 'new', kind: 'added', label: 'added since', x: 0, y: 300, w: 240, h: 130 },
    ];
    const out = buildCanvasSvg({ ...input(doc), highlights })!;
    const marks = groups(out.svg).filter((g) => g['@data-kind'] === 'highlight');
    expect(marks.map((g) => [g['@data-id'], g['@data-change']])).toEqual([
      [a, 'changed'],
      ['gone', 'removed'],
      ['new', 'added'],
    ]);
    const frame = (g: Node) => (g.rect as Node[])[0]!;
    expect(marks.map((g) => frame(g)['@stroke'])).toEqual(['#f59e0b', '#dc2626', '#16a34a']);
    expect(marks.map((g) => frame(g)['@stroke-dasharray'] ?? null)).toEqual([null, null, '10 6']);
    expect(out.svg).toContain('>renamed · moved</text>');
    // Drawn after (over) every card.
    expect(out.svg.lastIndexOf('data-kind="task"')).toBeLessThan(out.svg.indexOf('data-kind="highlight"'));
    // Shapes are still counted as shapes; outlines are not.
    expect(out.shapes).toBe(2);
  });

  it('grows the view box to hold a ghost and its label, and draws an outline on an empty canvas', () => {
    const ghost: SvgHighlight = { id: 'far', kind: 'added', label: 'added since', x: 2000, y: 1000, w: 240, h: 130 };
    const [x, y, w, h] = viewBox(buildCanvasSvg({ ...input(doc), highlights: [ghost] })!.svg);
    expect(x + w).toBeGreaterThanOrEqual(2000 + 240 + 6);
    expect(y + h).toBeGreaterThanOrEqual(1000 + 130 + 6);
    expect(y).toBeLessThanOrEqual(-20);
    const empty = buildCanvasSvg({ title: 'e', tasks: [], notes: [], deps: [], infos: new Map(), tones: new Map(), highlights: [ghost] });
    expect(empty?.shapes).toBe(0);
    expect(empty?.svg).toContain('data-id="far"');
    expect(buildCanvasSvg({ title: 'e', tasks: [], notes: [], deps: [], infos: new Map(), tones: new Map(), highlights: [] })).toBeNull();
  });

  it('escapes hostile ids and labels, and skips boxes that are not numbers', () => {
    const out = buildCanvasSvg({
      ...input(doc),
      highlights: [
        { id: '"><script>x</script>', kind: 'changed', label: '</svg><script>alert(1)</script>', x: 0, y: 0, w: 10, h: 10 },
        { id: 'nan', kind: 'added', label: 'x', x: Number.NaN, y: 0, w: 10, h: 10 },
      ],
    })!;
    expect(out.svg).not.toContain('<script>');
    expect(out.svg.match(/<svg[\s>]/g)).toHaveLength(1);
    expect(out.svg).not.toContain('data-id="nan"');
    expect(out.svg).not.toContain('NaN');
    groups(out.svg);
  });
});

describe('the version preview picture', () => {
  function history() {
    const doc = new Y.Doc();
    doc.getMap('meta').set('projectStart', '2026-11-16');
    const design = createTask(doc, { title: 'Design', duration: 2, x: 0, y: 0 });
    const gone = createTask(doc, { title: 'Gone later', duration: 1, x: 400, y: 0 });
    createNote(doc, { text: 'A note', x: 0, y: 300 });
    // The version: its own document, as the history panel loads it.
    const version = new Y.Doc();
    Y.applyUpdate(version, Y.encodeStateAsUpdate(doc));
    // Now: Design moved, Gone deleted, Extra added far away.
    moveShapes(doc, [{ id: design, x: 600, y: 400 }]);
    deleteEntities(doc, [gone]);
    const extra = createTask(doc, { title: 'Extra', x: 1500, y: 900 });
    return { live: doc, version, ids: { design, gone, extra } };
  }

  it('draws the version’s cards and notes with their scheduled dates, and never writes to its document', () => {
    const { version } = history();
    const before = Y.encodeStateAsUpdate(version);
    let writes = 0;
    version.on('update', () => writes++);
    const drawing = versionSvg(readVersion(version, TODAY), { now: NOW })!;
    const g = groups(drawing.svg);
    expect(g.filter((n) => n['@data-kind'] === 'task').map((n) => n['@data-id'])).toHaveLength(2);
    expect(g.filter((n) => n['@data-kind'] === 'note')).toHaveLength(1);
    expect(drawing.shapes).toBe(3);
    // The cards show the version's schedule (Design: 2 days from Mon 16 Nov).
    expect(drawing.svg).toMatch(/Nov 16 – Nov 17|16 Nov – 17 Nov|Nov 16–17/);
    expect(writes).toBe(0);
    expect(Y.encodeStateAsUpdate(version)).toEqual(before);
  });

  it('outlines, compared with now, the changed and removed tasks where they were and the added one where it is', () => {
    const { live, version, ids } = history();
    const versionBoard = readBoard(version);
    const liveBoard = readBoard(live);
    const rows = previewRows(versionBoard, liveBoard, TODAY);
    const highlights = changeHighlights(rows, versionBoard, liveBoard);
    expect(highlights.map((h) => [h.id, h.kind, h.label, h.x, h.y])).toEqual(
      expect.arrayContaining([
        [ids.design, 'changed', 'moved', 0, 0],
        [ids.gone, 'removed', 'removed since', 400, 0],
        [ids.extra, 'added', 'added since: Extra', 1500, 900],
      ]),
    );
    expect(highlights).toHaveLength(3);
    const drawing = versionSvg(readVersion(version, TODAY), { highlights, now: NOW })!;
    const marks = groups(drawing.svg).filter((n) => n['@data-kind'] === 'highlight');
    expect(marks.map((n) => n['@data-change']).sort()).toEqual(['added', 'changed', 'removed']);
    // The version's cards are still the version's two, the ghost is not a card.
    expect(groups(drawing.svg).filter((n) => n['@data-kind'] === 'task')).toHaveLength(2);
    const [x, , w] = viewBox(drawing.svg);
    expect(x + w).toBeGreaterThan(1500 + 240);
  });
});
