import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { createDependency, createNote, createTask } from '../../shared/doc/ops.ts';
import { saveBaseline } from '../../shared/doc/planOps.ts';
import type { TestClient } from '../helpers/clients.ts';
import { ARTIFACTS_DIR, screenshot } from './browser.ts';
import { openBoard, shapeCenter } from './board.ts';
import { useE2e } from './harness.ts';

/**
 * Image and PDF exports in real Chromium, through the Import / Export menu: the files a user
 * downloads are checked byte by byte (PNG signature and size, SVG parsed and its shapes
 * counted, PDF pages and text), for an editor and for a view-only link.
 */
const e2e = useE2e({ browserNoise: /WebSocket|net::ERR/ });

async function seed(title: string, fill: (doc: TestClient['doc']) => void) {
  const board = await e2e.createBoard(title);
  const client = await e2e.connect(board.id, board.editToken);
  fill(client.doc);
  return board;
}

/** A menu entry by its label (its accessible name goes on with a short description). */
function entryButton(page: Page, label: string) {
  return page.getByRole('button', { name: new RegExp(`^${label}\\b`) });
}

/** Opens the menu (if closed), clicks an entry, and returns the downloaded file. */
async function exportVia(page: Page, entry: string): Promise<{ name: string; bytes: Buffer }> {
  const menu = page.getByRole('button', { name: 'Import / Export' });
  if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), entryButton(page, entry).click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(file) };
}

function pngDimensions(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Colours of some pixels of a PNG, decoded by the browser. */
async function pixelsOf(page: Page, png: Buffer, points: Array<[number, number]>): Promise<string[]> {
  return page.evaluate(
    async ({ base64, points }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(image, 0, 0);
      return points.map(([x, y]) => {
        const [r, g, b] = ctx.getImageData(x, y, 1, 1).data;
        return `#${[r, g, b].map((v) => v!.toString(16).padStart(2, '0')).join('')}`;
      });
    },
    { base64: png.toString('base64'), points },
  );
}

type XmlNode = Record<string, unknown>;
function groupsOf(svg: string): XmlNode[] {
  expect(XMLValidator.validate(svg)).toBe(true);
  const root = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => n === 'g' }).parse(svg) as XmlNode;
  const out: XmlNode[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'g') out.push(...(value as XmlNode[]));
        walk(value);
      }
    }
  };
  walk(root);
  return out;
}

const kinds = (groups: XmlNode[], kind: string) => groups.filter((g) => g['@data-kind'] === kind);

function pdfText(bytes: Buffer): string {
  const raw = bytes.toString('latin1');
  let out = '';
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    try {
      out += inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1');
    } catch {
      out += m[1];
    }
  }
  return out;
}

function save(name: string, bytes: Buffer): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, name);
  writeFileSync(file, bytes);
  return file;
}

describe('image and PDF exports in a real browser', () => {
  it('downloads PNG and SVG of the canvas and of the selection, drawn from the document', async () => {
    const ids: Record<string, string> = {};
    const board = await seed('Launch <plan>', (doc) => {
      doc.getMap('meta').set('projectStart', '2026-11-16');
      ids.design = createTask(doc, { title: 'Design the API', duration: 3, status: 'in-progress', progress: 40, assignees: ['Ada'], x: 40, y: 40 });
      ids.build = createTask(doc, { title: '</svg><script>alert(1)</script>', duration: 2, status: 'todo', x: 420, y: 40 });
      ids.docs = createTask(doc, { title: 'Write the docs', duration: 1, x: 40, y: 320 });
      ids.far = createTask(doc, { title: 'Far away, off screen', duration: 1, x: 4000, y: 2500 });
      ids.note = createNote(doc, { text: 'Kickoff on Monday\nBring snacks', x: 420, y: 300 });
      createDependency(doc, ids.design!, ids.build!);
      createDependency(doc, ids.design!, ids.docs!, { type: 'SS', lag: 2 });
    });
    const ada = await e2e.openUser('Ada');
    const { page } = ada;
    await openBoard(page, board.editUrl);

    // The whole canvas, including the card far outside the viewport.
    const svg = await exportVia(page, 'SVG of the canvas');
    expect(svg.name).toBe('Launch _plan_.svg');
    const text = svg.bytes.toString('utf8');
    expect(text).not.toContain('<script>');
    const groups = groupsOf(text);
    expect(kinds(groups, 'task')).toHaveLength(4);
    expect(kinds(groups, 'note')).toHaveLength(1);
    expect(kinds(groups, 'link')).toHaveLength(2);
    expect(text).toContain('SS +2d');
    expect(text).toContain('Far away');
    await page.getByTestId('export-result').waitFor();
    await screenshot(page, 'issue4-exports-menu');

    const png = await exportVia(page, 'PNG of the canvas');
    expect(png.name).toBe('Launch _plan_.png');
    const viewBox = /viewBox="(-?\d+) (-?\d+) (\d+) (\d+)"/.exec(text)!;
    // 2 pixels per canvas unit.
    expect(pngDimensions(png.bytes)).toEqual({ width: Number(viewBox[3]) * 2, height: Number(viewBox[4]) * 2 });
    save('issue4-exports-canvas.png', png.bytes);
    // The image has the drawing in it: the indigo accent strip of the card at (40, 40) and the
    // note's yellow, at 2 pixels per unit from the view box origin.
    const [ox, oy] = [Number(viewBox[1]), Number(viewBox[2])];
    const pixels = await pixelsOf(page, png.bytes, [
      [(40 + 2 - ox) * 2, (40 + 65 - oy) * 2],
      [(420 + 90 - ox) * 2, (300 + 150 - oy) * 2],
      [(200 - ox) * 2, (250 - oy) * 2],
    ]);
    expect(pixels).toEqual(['#6366f1', '#fff59d', '#ffffff']);
    save('issue4-exports-canvas.svg', svg.bytes);

    // The selection entries are disabled until something is selected.
    await expect(entryButton(page, 'SVG of the selection').isDisabled()).resolves.toBe(true);
    const menu = page.getByRole('button', { name: 'Import / Export' });
    if ((await menu.getAttribute('aria-expanded')) === 'true') await menu.click(); // close it
    const a = await shapeCenter(page, ids.design!);
    const b = await shapeCenter(page, ids.build!);
    await page.mouse.click(a.x, a.y);
    await page.keyboard.down('Shift');
    await page.mouse.click(b.x, b.y);
    await page.keyboard.up('Shift');
    await page.waitForFunction(() => (window.planvas?.session?.presence as unknown as { getSelection(): string[] }).getSelection().length === 2);

    const selSvg = await exportVia(page, 'SVG of the selection');
    expect(selSvg.name).toBe('Launch _plan_ (selection).svg');
    const selGroups = groupsOf(selSvg.bytes.toString('utf8'));
    expect(kinds(selGroups, 'task').map((g) => g['@data-id']).sort()).toEqual([ids.design, ids.build].sort());
    expect(kinds(selGroups, 'note')).toHaveLength(0);
    expect(kinds(selGroups, 'link')).toHaveLength(1);
    const selPng = await exportVia(page, 'PNG of the selection');
    const selBox = /viewBox="(-?\d+) (-?\d+) (\d+) (\d+)"/.exec(selSvg.bytes.toString('utf8'))!;
    expect(pngDimensions(selPng.bytes)).toEqual({ width: Number(selBox[3]) * 2, height: Number(selBox[4]) * 2 });
    save('issue4-exports-selection.png', selPng.bytes);
  });

  it('downloads a paged PDF of a 120-task timeline with the grid text in it', async () => {
    const board = await seed('Big release', (doc) => {
      doc.getMap('meta').set('projectStart', '2026-11-16');
      let previous = '';
      for (let i = 1; i <= 120; i++) {
        const id = createTask(doc, { title: `Task number ${i}`, duration: 1 + (i % 4), progress: (i * 7) % 100, assignees: i % 3 ? ['Ada'] : ['Bob'], x: (i % 10) * 260, y: Math.floor(i / 10) * 160 });
        if (previous && i % 6 !== 0) createDependency(doc, previous, id, i % 5 === 0 ? { type: 'SS', lag: 2 } : {});
        previous = id;
      }
      createTask(doc, { title: 'Go live', milestone: true, duration: 0, x: 0, y: 2200 });
    });
    const ada = await e2e.openUserOn('Ada', board.editUrl);
    const pdf = await exportVia(ada.page, 'PDF of the timeline');
    expect(pdf.name).toBe('Big release timeline.pdf');
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = pdf.bytes.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
    expect(pages).toBeGreaterThan(1);
    const text = pdfText(pdf.bytes);
    expect(text).toContain('(Task number 1)');
    expect(text).toContain('(Task number 120)');
    expect(text).toContain(`(Page 1 of ${pages})`);
    await expect(ada.page.getByTestId('export-result').textContent()).resolves.toContain(`${pages} pages`);
    save('issue4-exports-timeline.pdf', pdf.bytes);
  });

  it('scales the PNG of a huge board down to the size limit and tells the user', async () => {
    const board = await seed('Huge board', (doc) => {
      createTask(doc, { title: 'West', x: 0, y: 0 });
      createTask(doc, { title: 'East', x: 30_000, y: 0 });
    });
    const ada = await e2e.openUserOn('Ada', board.editUrl);
    const png = await exportVia(ada.page, 'PNG of the canvas');
    const size = pngDimensions(png.bytes);
    // 30,304 units wide: 2x would be 60,608 px; capped at 16,384 px a side.
    expect(size.width).toBe(16_384);
    expect(size.height).toBe(Math.floor((194 * 16_384) / 30_304));
    await expect(ada.page.getByTestId('export-result').textContent()).resolves.toMatch(/too large for full resolution: the image is 16384 × \d+ px/);
  });

  it('offers the exports on a view-only link, which downloads without editing', async () => {
    const board = await seed('Viewer board', (doc) => {
      createTask(doc, { title: 'Seen by a viewer', x: 0, y: 0 });
      createNote(doc, { text: 'A note', x: 300, y: 0 });
    });
    const viewer = await e2e.openUserOn('Vic', board.viewUrl);
    const svg = await exportVia(viewer.page, 'SVG of the canvas');
    const groups = groupsOf(svg.bytes.toString('utf8'));
    expect(kinds(groups, 'task')).toHaveLength(1);
    expect(kinds(groups, 'note')).toHaveLength(1);
    const pdf = await exportVia(viewer.page, 'PDF of the timeline');
    expect(pdfText(pdf.bytes)).toContain('(Seen by a viewer)');
  });

  it('the timeline and the PDF export offer the same baseline choice, None or a saved baseline, and use it', async () => {
    const board = await seed('Baselined plan', (doc) => {
      doc.getMap('meta').set('projectStart', '2026-11-16'); // a Monday
      const design = createTask(doc, { title: 'Design', duration: 5, x: 0, y: 0 });
      // Saved when Design was 3 days: the plan now finishes 2 working days later.
      saveBaseline(doc, 'Kickoff', { [design]: { start: '2026-11-16', finish: '2026-11-18', duration: 3, cost: 0 } }, '2026-11-01T00:00:00.000Z');
    });
    const ada = await e2e.openUserOn('Ada', board.editUrl);
    await ada.page.getByRole('tab', { name: 'Timeline', exact: true }).click();
    const shown = ada.page.getByLabel('Baseline shown');
    expect(await shown.locator('option').allTextContents()).toEqual(['None', 'Kickoff']);
    await shown.selectOption({ label: 'Kickoff' });
    await ada.page.getByText('Against “Kickoff”').waitFor();
    await screenshot(ada.page, 'issue4-R2-timeline-baseline-shown');
    await shown.selectOption({ label: 'None' });
    await expect.poll(() => ada.page.getByText('Against “Kickoff”').count()).toBe(0);

    // The PDF draws baseline bars (their fill, #94a3b8) only when a baseline is chosen in the menu.
    const baselineFill = /0\.58 0\.64 0\.72 rg/g;
    const plain = await exportVia(ada.page, 'PDF of the timeline');
    expect(pdfText(plain.bytes).match(baselineFill)).toBeNull();
    const pdfChoice = ada.page.getByLabel('PDF baseline');
    expect(await pdfChoice.locator('option').allTextContents()).toEqual(['None', 'Kickoff']);
    await pdfChoice.selectOption({ label: 'Kickoff' });
    await screenshot(ada.page, 'issue4-R2-export-pdf-baseline');
    const withBaseline = await exportVia(ada.page, 'PDF of the timeline');
    expect(pdfText(withBaseline.bytes).match(baselineFill)).toHaveLength(1);
  });
});
