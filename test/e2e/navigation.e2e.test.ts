import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTask } from '../../shared/doc/ops.ts';
import { openBoard, pollPage, shapeCenter } from './board.ts';
import { screenshot } from './browser.ts';
import { useE2e } from './harness.ts';

/**
 * Finding your way around a board in a real Chromium: the canvas opens fitted to the plan and
 * keeps its place across tab switches, an import brings the imported cards into view, and
 * selecting a timeline row scrolls its bar into view.
 */
const e2e = useE2e();

type Box = { x: number; y: number; width: number; height: number };
type Vp = { x: number; y: number; zoom: number };
const viewportOf = (page: Page) => page.evaluate(() => window.planvas!.canvas!.store.getState().viewport as Vp);
const selectionOf = (page: Page) => page.evaluate(() => [...window.planvas!.canvas!.store.getState().selection]);
const shapeBox = (page: Page, id: string) => page.evaluate((shapeId) => window.planvas!.canvas!.shapeRect(shapeId) as Box, id);
const stageBox = (page: Page) => page.evaluate(() => window.planvas!.canvas!.stageRect() as Box);
/** The floating toolbar's box on the page. */
const toolbarBox = (page: Page) => page.locator('.pv-toolbar').boundingBox() as Promise<Box>;

/** True when `inner` lies inside `outer` (page pixels, one pixel of slack). */
function inside(outer: Box, inner: Box): boolean {
  return inner.x >= outer.x - 1 && inner.y >= outer.y - 1 && inner.x + inner.width <= outer.x + outer.width + 1 && inner.y + inner.height <= outer.y + outer.height + 1;
}

async function switchTab(page: Page, label: 'Canvas' | 'Timeline' | 'Board'): Promise<void> {
  await page.getByRole('tab', { name: label, exact: true }).click();
  if (label === 'Canvas') await page.waitForFunction(() => !!window.planvas?.canvas);
  if (label === 'Timeline') await page.waitForFunction(() => !!window.planvas?.timeline);
}

describe('navigation on the canvas and the timeline', () => {
  it('the canvas opens fitted to the plan, clear of the toolbar, and keeps its viewport and selection across tab switches', async () => {
    const board = await e2e.createBoard('Spread-out plan');
    const seed = await e2e.connect(board.id, board.editToken);
    // Far apart and at y = 0 (where imports and other clients put cards): at 100% from the
    // origin most of this would be off screen or under the toolbar.
    const ids = [
      createTask(seed.doc, { title: 'Kickoff', x: 0, y: 0 }),
      createTask(seed.doc, { title: 'Middle', x: 1400, y: 500 }),
      createTask(seed.doc, { title: 'Far corner', x: 2600, y: 1100 }),
    ];
    const ada = await e2e.openUserOn('Ada', board.editUrl);
    await ada.page.waitForFunction(() => window.planvas!.canvas!.shapeIds().length === 3);

    // Opened fitted: every card on screen and below the floating toolbar; zoomed out, not in.
    const fitted = await pollPage(ada.page, 'fitted viewport', viewportOf, (vp) => vp.zoom < 1);
    expect(fitted.zoom).toBeGreaterThan(0.2);
    const stage = await stageBox(ada.page);
    const toolbar = await toolbarBox(ada.page);
    for (const id of ids) {
      const box = await shapeBox(ada.page, id);
      expect(inside(stage, box), `card ${id} on screen`).toBe(true);
      expect(box.y).toBeGreaterThan(toolbar.y + toolbar.height);
    }
    await screenshot(ada.page, 'issue4-F2-open-fitted');

    // Zoom in with Ctrl+wheel around a card, pan with the wheel, select that card.
    const middle = await shapeCenter(ada.page, ids[1]!);
    await ada.page.mouse.move(middle.x, middle.y);
    await ada.page.keyboard.down('Control');
    for (let i = 0; i < 3; i++) await ada.page.mouse.wheel(0, -100);
    await ada.page.keyboard.up('Control');
    await ada.page.mouse.wheel(120, 80);
    const moved = await pollPage(ada.page, 'zoomed viewport', viewportOf, (vp) => vp.zoom > fitted.zoom * 1.5);
    await ada.page.waitForTimeout(100);
    const before = await viewportOf(ada.page);
    expect(before.zoom).toBeCloseTo(moved.zoom, 6);
    const target = await shapeCenter(ada.page, ids[1]!);
    await ada.page.mouse.click(target.x, target.y);
    await expect.poll(() => selectionOf(ada.page)).toEqual([ids[1]]);
    await screenshot(ada.page, 'issue4-F2-before-tab-switch');

    // To the timeline and the board and back: the same place, the same card selected.
    await switchTab(ada.page, 'Timeline');
    await switchTab(ada.page, 'Board');
    await switchTab(ada.page, 'Canvas');
    expect(await viewportOf(ada.page)).toEqual(before);
    expect(await selectionOf(ada.page)).toEqual([ids[1]]);
    expect(await ada.page.getByTestId('zoom-value').textContent()).toBe(`${Math.round(before.zoom * 100)}%`);
    await screenshot(ada.page, 'issue4-F2-after-tab-switch');
  });

  it('during a presentation, a tab round trip brings the presenter and her viewer back to where she was, not to the origin', async () => {
    const board = await e2e.createBoard('Review');
    const seed = await e2e.connect(board.id, board.editToken);
    const far = createTask(seed.doc, { title: 'Far away', x: 3000, y: 2000 });
    createTask(seed.doc, { title: 'Origin', x: 0, y: 0 });
    const ada = await e2e.openUserOn('Ada', board.editUrl);
    const vic = await e2e.openUserOn('Vic', board.viewUrl);
    await ada.page.getByRole('button', { name: 'Present' }).click();
    await expect.poll(() => vic.page.evaluate(() => window.planvas!.follow!().reason)).toBe('presenter');

    // Ada zooms in on the far card (Shift+2 on the selection), then goes to the timeline and back.
    const card = await shapeCenter(ada.page, far);
    await ada.page.mouse.click(card.x, card.y);
    await ada.page.keyboard.press('Shift+2');
    const presenting = await pollPage(ada.page, 'zoomed on the card', viewportOf, (vp) => vp.zoom > 1);
    await switchTab(ada.page, 'Timeline');
    await vic.page.waitForFunction(() => location.hash === '#timeline');
    await switchTab(ada.page, 'Canvas');
    await vic.page.waitForFunction(() => location.hash === '' && !!window.planvas?.canvas);
    expect(await viewportOf(ada.page)).toEqual(presenting);
    // Vic (same window size) sees the far card, centred as on Ada's screen.
    await expect
      .poll(async () => {
        const box = await shapeBox(vic.page, far);
        return inside(await stageBox(vic.page), box);
      })
      .toBe(true);
    const vicView = await viewportOf(vic.page);
    expect(vicView.zoom).toBeCloseTo(presenting.zoom, 3);
    expect(await vic.page.evaluate(() => window.planvas!.follow!().reason)).toBe('presenter');
    await screenshot(vic.page, 'issue4-F2-viewer-after-presenter-round-trip');

    // Vic presses C (the Comment tool) on a board where viewers may not comment: he is told at
    // once, and his next click on a card selects it (QA: it used to be swallowed).
    await vic.page.getByTestId('comments-button').click();
    await vic.page.keyboard.press('c');
    await vic.page.locator('.toast', { hasText: 'Only editors can comment on this board' }).waitFor();
    expect(await vic.page.evaluate(() => window.planvas!.canvas!.store.getState().tool)).toBe('select');
    const vicCard = await shapeCenter(vic.page, far);
    await vic.page.mouse.click(vicCard.x, vicCard.y);
    await expect.poll(() => selectionOf(vic.page)).toEqual([far]);
    await screenshot(vic.page, 'issue4-F2-viewer-click-with-comments-open');
  });

  it('after an import from the Import/Export menu, the imported cards are on screen', async () => {
    const board = await e2e.createBoard('Import target');
    const seed = await e2e.connect(board.id, board.editToken);
    createTask(seed.doc, { title: 'Already here', x: -3000, y: -2000 });
    const ada = await e2e.openUserOn('Ada', board.editUrl);
    // The user looks somewhere else entirely before importing.
    await ada.page.evaluate(() => window.planvas!.canvas!.store.getState().setViewport({ x: 4000, y: 3000, zoom: 1 }));

    await ada.page.getByRole('button', { name: 'Import / Export' }).click();
    await ada.page.getByTestId('import-file-input').setInputFiles({
      name: 'plan.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'Name,Duration,Start,Predecessors\r\nBrief,2 days,2026-01-05,\r\nDesign,3 days,,1\r\nBuild,5 days,,2\r\nTest,2 days,,3\r\nLaunch,1 day,,4\r\n',
      ),
    });
    const dialog = ada.page.getByTestId('import-dialog');
    await expect.poll(() => dialog.getAttribute('data-phase'), { timeout: 15_000 }).toBe('ready');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => dialog.textContent()).toContain('Imported 5 tasks');
    await screenshot(ada.page, 'issue4-F2-import-done');
    await dialog.getByRole('button', { name: 'Close' }).click();

    const imported = await ada.page.evaluate(() => [...window.planvas!.readBoard!().tasks.values()].filter((t) => t.title !== 'Already here').map((t) => t.id));
    expect(imported).toHaveLength(5);
    const stage = await stageBox(ada.page);
    const toolbar = await toolbarBox(ada.page);
    for (const id of imported) {
      const box = await shapeBox(ada.page, id);
      expect(inside(stage, box), `imported card ${id} on screen`).toBe(true);
      expect(box.y).toBeGreaterThan(toolbar.y + toolbar.height);
    }
    const zoom = (await viewportOf(ada.page)).zoom;
    expect(zoom).toBeLessThanOrEqual(1);
    // The imported cards really are drawn there: clicking one selects it.
    const first = await shapeCenter(ada.page, imported[0]!);
    await ada.page.mouse.click(first.x, first.y);
    await expect.poll(() => selectionOf(ada.page)).toEqual([imported[0]]);
    await screenshot(ada.page, 'issue4-F2-canvas-after-import');
  });

  it('selecting a timeline row (click or arrow key) scrolls its far-away bar into view, and leaves a visible one alone', async () => {
    const board = await e2e.createBoard('Long plan');
    const seed = await e2e.connect(board.id, board.editToken);
    const near = createTask(seed.doc, { title: 'Starts now', x: 0, y: 0, duration: 3 });
    const far = createTask(seed.doc, { title: 'Eight months out', x: 300, y: 0, duration: 4, start: shiftIso(todayIso(), 240) });
    const later = createTask(seed.doc, { title: 'A year out', x: 600, y: 0, duration: 2, start: shiftIso(todayIso(), 400) });
    const ada = await e2e.openUser('Ada');
    await openBoard(ada.page, board.editUrl);
    await switchTab(ada.page, 'Timeline');
    await expect.poll(() => ada.page.locator('.task-grid-row').count()).toBe(3);

    const barOf = (id: string) => ada.page.evaluate((taskId) => window.planvas!.timeline!.barRect(taskId) as Box | null, id);
    // Where the chart can be seen: the Gantt, left of the details panel once that is open.
    const shown = async (id: string) => {
      const gantt = (await ada.page.getByTestId('gantt').boundingBox()) as Box;
      const panelLeft = await ada.page.evaluate(() => document.querySelector('.inspector')?.getBoundingClientRect().left ?? Infinity);
      const right = Math.min(gantt.x + gantt.width, panelLeft);
      const bar = await barOf(id);
      return !!bar && inside({ ...gantt, width: right - gantt.x }, bar);
    };
    const scrollLeft = () => ada.page.evaluate(() => document.querySelector('.gantt-scroll')!.scrollLeft);
    expect(await shown(far)).toBe(false);
    await screenshot(ada.page, 'issue4-F2-timeline-before');

    // A click on the row of a bar that is months away: the chart scrolls to it.
    await ada.page.locator(`.task-grid-row[data-task-id="${far}"] .col-id`).click();
    await expect.poll(() => ada.page.evaluate(() => window.planvas!.session!.presence.getLocal().selection)).toEqual([far]);
    await expect.poll(() => shown(far)).toBe(true);
    await screenshot(ada.page, 'issue4-F2-timeline-row-click');

    // The next row by keyboard: its bar comes into view too.
    await ada.page.keyboard.press('ArrowDown');
    await expect.poll(() => shown(later)).toBe(true);
    const afterKeyboard = await scrollLeft();

    // Back up: "Eight months out" is still on screen? Then nothing moves; the first row's bar
    // is far away again and comes back into view.
    await ada.page.locator(`.task-grid-row[data-task-id="${near}"] .col-id`).click();
    await expect.poll(() => shown(near)).toBe(true);
    expect(await scrollLeft()).toBeLessThan(afterKeyboard);
    const atNear = await scrollLeft();
    // Clicking a row whose bar is already visible does not scroll.
    await ada.page.locator(`.task-grid-row[data-task-id="${near}"] .col-id`).click();
    await ada.page.waitForTimeout(100);
    expect(await scrollLeft()).toBe(atNear);
    await screenshot(ada.page, 'issue4-F2-timeline-back');
  });
});

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

function shiftIso(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
