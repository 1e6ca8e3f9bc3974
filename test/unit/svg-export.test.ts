import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createDependency, createNote, createTask } from '../../shared/doc/ops.ts';
import { BoardModel } from '../../client/canvas/boardModel.ts';
import { PlanModel } from '../../client/plan/planModel.ts';
import { planDecorations } from '../../client/plan/cardInfo.ts';
import { buildCanvasSvg, type CanvasSvgInput } from '../../client/export/canvasSvg.ts';
import { escapeXml, estimateTextWidth, wrapText } from '../../client/export/svgText.ts';
import { pngSize } from '../../client/export/pngSize.ts';

/**
 * The canvas SVG export is built from the document, not the screen: every shape, its text
 * kept as text (hostile titles included), arrows with their labels and critical colour,
 * and a bounding box around exactly what is exported.
 */
function linkId(result: ReturnType<typeof createDependency>): string {
  if (!('id' in result)) throw new Error(`link refused: ${result.refused}`);
  return result.id;
}

function board() {
  const doc = new Y.Doc();
  doc.getMap('meta').set('projectStart', '2026-11-16');
  const design = createTask(doc, { title: 'Design the API', duration: 3, status: 'in-progress', progress: 40, assignees: ['Ada'], x: 0, y: 0 });
  const build = createTask(doc, { title: '</svg><script>alert(1)</script> & "quotes"', duration: 2, x: 400, y: 0 });
  const docs = createTask(doc, { title: 'Docs', duration: 1, x: 0, y: 300 });
  const note = createNote(doc, { text: 'Remember <b>the</b> launch & party\nSecond line', x: 800, y: 500, color: '#fff59d' });
  const fs = linkId(createDependency(doc, design, build));
  const ss = linkId(createDependency(doc, design, docs, { type: 'SS', lag: 2 }));
  const model = new BoardModel(doc);
  const plan = new PlanModel(doc, model, () => '2026-11-20');
  plan.start();
  const { infos, tones } = planDecorations(plan);
  const input: CanvasSvgInput = {
    title: 'Launch <plan>',
    tasks: model.tasks.values(),
    notes: model.notes.values(),
    deps: model.liveDeps(),
    infos,
    tones,
    now: new Date(Date.UTC(2026, 10, 22)),
  };
  return { doc, model, plan, input, ids: { design, build, docs, note, fs, ss } };
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['g', 'text', 'rect', 'line', 'polygon', 'path'].includes(name) });

type Node = Record<string, unknown>;
/** Every element named `name` anywhere under `node`. */
function all(node: unknown, name: string, out: Node[] = []): Node[] {
  if (Array.isArray(node)) for (const n of node) all(n, name, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === name) out.push(...(Array.isArray(value) ? value : [value]));
      all(value, name, out);
    }
  }
  return out;
}

function parse(svg: string): Node {
  expect(XMLValidator.validate(svg)).toBe(true);
  return parser.parse(svg) as Node;
}

function textsOf(root: unknown): string[] {
  return all(root, 'text').map((t) => String(typeof t === 'object' ? (t as Node)['#text'] ?? '' : t));
}

describe('canvas SVG export', () => {
  it('draws every task, note and link of the board as well-formed XML', () => {
    const { input } = board();
    const out = buildCanvasSvg(input)!;
    expect(out).toMatchObject({ shapes: 4, links: 2 });
    const root = parse(out.svg);
    const groups = all(root, 'g');
    expect(groups.filter((g) => g['@data-kind'] === 'task')).toHaveLength(3);
    expect(groups.filter((g) => g['@data-kind'] === 'note')).toHaveLength(1);
    expect(groups.filter((g) => g['@data-kind'] === 'link')).toHaveLength(2);
  });

  it('keeps hostile titles and note text as text, never markup', () => {
    const { input, ids } = board();
    const { svg } = buildCanvasSvg(input)!;
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;/svg&gt;&lt;script&gt;');
    expect(svg).toContain('<title>Launch &lt;plan&gt;</title>');
    const root = parse(svg);
    expect(all(root, 'script')).toHaveLength(0);
    // Exactly one <svg> element: the hostile '</svg>' did not close it early.
    expect(svg.match(/<svg[\s>]/g)).toHaveLength(1);
    // Parsed back, the (wrapped) title is exactly what the peer typed.
    const build = all(root, 'g').find((g) => g['@data-id'] === ids.build)!;
    const title = all(build, 'g').find((g) => g['@class'] === 'task-title')!;
    expect(textsOf(title).join(' ').replace(/\s+/g, '')).toBe('</svg><script>alert(1)</script>&"quotes"');
  });

  it('replaces characters XML cannot hold and survives a hostile colour', () => {
    const doc = new Y.Doc();
    const id = createTask(doc, { title: 'NUL\u0000 and lone \uD800 surrogate', x: 0, y: 0 });
    const model = new BoardModel(doc);
    // A peer writes a colour that would break out of the attribute.
    (doc.getMap('tasks').get(id) as Y.Map<unknown>).set('color', '"/><script>x</script>');
    const fresh = new BoardModel(doc);
    const out = buildCanvasSvg({ title: 't', tasks: fresh.tasks.values(), notes: [], deps: [], infos: new Map(), tones: new Map() })!;
    parse(out.svg);
    expect(out.svg).not.toContain('<script>');
    expect(out.svg).toContain('\uFFFD');
    expect(model.tasks.size).toBe(1);
  });

  it('fits the view box to the drawing plus a margin', () => {
    const { input } = board();
    const out = buildCanvasSvg({ ...input, margin: 32 })!;
    const root = parse(out.svg) as { svg: Node };
    // Shapes span x 0..980 (the note is 180 wide at x 800) and y 0..680; 32 on each side.
    expect(root.svg['@viewBox']).toBe('-32 -32 1044 744');
    expect(out).toMatchObject({ width: 1044, height: 744 });
  });

  it('exports only the selected shapes, with the links between them', () => {
    const { input, ids } = board();
    const out = buildCanvasSvg({ ...input, only: new Set([ids.design, ids.build]) })!;
    expect(out).toMatchObject({ shapes: 2, links: 1 });
    const root = parse(out.svg) as { svg: Node };
    const groups = all(root, 'g');
    expect(groups.filter((g) => g['@data-kind'] === 'task').map((g) => g['@data-id']).sort()).toEqual([ids.design, ids.build].sort());
    expect(groups.filter((g) => g['@data-kind'] === 'link').map((g) => g['@data-id'])).toEqual([ids.fs]);
    expect(groups.some((g) => g['@data-kind'] === 'note')).toBe(false);
    // Bounding box of the two cards (0..640 x 0..130 at the default size) only.
    expect(root.svg['@viewBox']).toBe('-32 -32 704 194');
  });

  it('exports a selected link on its own, its label inside the box', () => {
    const { input, ids } = board();
    const out = buildCanvasSvg({ ...input, only: new Set([ids.ss]) })!;
    expect(out).toMatchObject({ shapes: 0, links: 1 });
    const root = parse(out.svg) as { svg: Node };
    expect(textsOf(root)).toEqual(['SS +2d']);
    // From the bottom of Design (y 130) to the top of Docs (y 300), at x 120, plus the margin.
    const [x, y, w, h] = String(root.svg['@viewBox']).split(' ').map(Number);
    expect(y).toBe(130 - 32);
    expect(y! + h!).toBe(300 + 32);
    expect(x).toBeLessThan(120 - 20);
    expect(x! + w!).toBeGreaterThan(120 + 20);
  });

  it('returns null for an empty selection or board', () => {
    const { input } = board();
    expect(buildCanvasSvg({ ...input, only: new Set(['nothing']) })).toBeNull();
    expect(buildCanvasSvg({ title: 'empty', tasks: [], notes: [], deps: [], infos: new Map(), tones: new Map() })).toBeNull();
  });

  it('draws arrows with heads and "SS +2d" labels, critical links in red', () => {
    const { input, ids, plan } = board();
    const root = parse(buildCanvasSvg(input)!.svg);
    const links = all(root, 'g').filter((g) => g['@data-kind'] === 'link');
    const ss = links.find((g) => g['@data-id'] === ids.ss)!;
    expect(all(ss, 'polygon')).toHaveLength(1);
    expect(textsOf(ss)).toEqual(['SS +2d']);
    const fs = links.find((g) => g['@data-id'] === ids.fs)!;
    expect(textsOf(fs)).toEqual([]); // plain finish-to-start stays unlabelled, as on the canvas
    expect(plan.schedule().criticalLinks.has(ids.fs)).toBe(true);
    expect(fs['@data-tone']).toBe('critical');
    expect(all(fs, 'line')[0]!['@stroke']).toBe('#dc2626');
  });

  it('shows status, dates, progress and the Critical badge on task cards', () => {
    const { input, ids } = board();
    const root = parse(buildCanvasSvg(input)!.svg);
    const design = all(root, 'g').find((g) => g['@data-id'] === ids.design)!;
    const texts = textsOf(design);
    expect(texts).toContain('Design the API');
    expect(texts).toContain('In progress');
    expect(texts).toContain('@ Ada');
    expect(texts).toContain('Critical');
    expect(texts.some((t) => t.startsWith('Nov 16 – Nov 18'))).toBe(true);
    expect(all(design, 'g').some((g) => g['@class'] === 'progress')).toBe(true);
  });

  it('draws the note text with line breaks and the note colour', () => {
    const { input, ids } = board();
    const root = parse(buildCanvasSvg(input)!.svg);
    const note = all(root, 'g').find((g) => g['@data-id'] === ids.note)!;
    expect(all(note, 'rect')[0]!['@fill']).toBe('#fff59d');
    const texts = textsOf(note);
    // Wrapped at spaces to the note width, the line break kept.
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.join(' ')).toBe('Remember <b>the</b> launch & party Second line');
    expect(texts.at(-1)).toBe('Second line');
  });
});

describe('text wrapping for the SVG', () => {
  const measure = (s: string) => s.length * 10;
  it('wraps at spaces, breaks long words and ends a cut text with an ellipsis', () => {
    expect(wrapText('one two three', { maxWidth: 70, maxLines: 5, font: '', measure })).toEqual(['one two', 'three']);
    expect(wrapText('abcdefghijkl', { maxWidth: 50, maxLines: 5, font: '', measure })).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapText('one two three four', { maxWidth: 70, maxLines: 1, font: '', measure })).toEqual(['one tw…']);
    expect(wrapText('a\nb', { maxWidth: 70, maxLines: 2, font: '', measure })).toEqual(['a', 'b']);
    expect(wrapText('text', { maxWidth: 70, maxLines: 0, font: '', measure })).toEqual([]);
  });
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });
  it('estimates wider text for bold and larger fonts', () => {
    expect(estimateTextWidth('Design', '600 15px Inter')).toBeGreaterThan(estimateTextWidth('Design', '12px Inter'));
  });
});

describe('PNG size', () => {
  it('is 2 pixels per unit, scaled down for huge boards within 16k a side and 64 MP', () => {
    expect(pngSize(800, 600)).toEqual({ scale: 2, width: 1600, height: 1200, reduced: false });
    const wide = pngSize(40_000, 1_000);
    expect(wide.width).toBeLessThanOrEqual(16_384);
    expect(wide.reduced).toBe(true);
    const huge = pngSize(20_000, 20_000);
    expect(huge.width * huge.height).toBeLessThanOrEqual(64_000_000);
    expect(huge.reduced).toBe(true);
  });
});
