import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTask, deleteEntities, moveShapes } from '../../shared/doc/ops.ts';
import { seedGrid } from '../../bench/canvas/seed.ts';
import { pollPage } from './board.ts';
import { screenshot } from './browser.ts';
import { useE2e } from './harness.ts';

/**
 * The canvas redraws only where something changed (client/canvas/panCache.ts): a peer's move of a
 * mounted card redraws where the card and its arrows were and are, cards mounted or removed
 * redraw where they are or were. Whatever it skipped must not show: the picture after such
 * partial redraws is compared, pixel by pixel, with a full redraw of the same view.
 */
const e2e = useE2e();

type Vp = { x: number; y: number; zoom: number };

/**
 * Compares the content layer's picture with a full redraw of the same view. Drawing a shape
 * under a clip can anti-alias its edges a little differently (Skia), so single pixels may differ
 * by a few dozen levels; something left stale (a card or arrow where it no longer is, or missing
 * where it is) differs by much more over an area. `stale`: 2 x 2 blocks of pixels that all differ
 * by more than 64 levels (premultiplied colour or alpha).
 */
async function staleAgainstFullRedraw(page: Page): Promise<{ stale: number; differing: number; of: number }> {
  return page.evaluate(async () => {
    const K = (window as unknown as { Konva: { stages: Array<{ getLayers(): Array<{ getCanvas(): { _canvas: HTMLCanvasElement }; batchDraw(): void }> }> } }).Konva;
    const layer = K.stages[0]!.getLayers()[0]!;
    const el = layer.getCanvas()._canvas;
    const frames = (n: number) =>
      new Promise<void>((resolve) => {
        const step = (left: number) => (left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
        step(n);
      });
    const grab = () => el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data.slice();
    await frames(2);
    const partial = grab();
    // From outside the canvas's own code: a draw request nobody can place redraws everything.
    layer.batchDraw();
    await frames(2);
    const full = grab();
    const { width, height } = el;
    const diff = new Uint8Array(width * height);
    let differing = 0;
    for (let p = 0; p < width * height; p++) {
      const i = p * 4;
      let worst = Math.abs(partial[i + 3]! - full[i + 3]!);
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(partial[i + c]! * partial[i + 3]! - full[i + c]! * full[i + 3]!) / 255);
      if (worst > 0) differing++;
      diff[p] = worst > 64 ? 1 : 0;
    }
    let stale = 0;
    for (let y = 0; y + 1 < height; y++) for (let x = 0; x + 1 < width; x++) if (diff[y * width + x] && diff[y * width + x + 1] && diff[(y + 1) * width + x] && diff[(y + 1) * width + x + 1]) stale++;
    return { stale, differing, of: width * height };
  });
}

describe('partial redraws of the canvas', () => {
  it("a peer's moves, a new card and a deleted card leave the same picture as a full redraw, also mid-pan", async () => {
    const board = await e2e.createBoard('Redraw');
    const peer = await e2e.connect(board.id, board.editToken);
    // 20 x 15 cards on a 260 x 150 grid, with links in runs (as the benchmark's board).
    const grid = seedGrid(peer.doc, 300);
    const ada = await e2e.openUserOn('Ada', board.editUrl);
    const { page } = ada;
    await page.waitForFunction(() => window.planvas!.canvas!.shapeIds().length === 300);
    await page.evaluate(() => window.planvas!.canvas!.store.getState().setViewport({ x: 40, y: 40, zoom: 0.5 }));
    await page.waitForTimeout(400);
    expect((await staleAgainstFullRedraw(page)).stale).toBe(0);

    // Cards on screen (row 1, columns 1-3: each has links to its neighbours) move a little and a lot.
    const at = (col: number, row: number) => grid.ids[row * grid.cols + col]!;
    moveShapes(peer.doc, [{ id: at(1, 1), x: 260 + 17, y: 150 + 11 }], 'peer');
    moveShapes(peer.doc, [{ id: at(2, 1), x: 900, y: 700 }], 'peer');
    moveShapes(peer.doc, [{ id: at(3, 2), x: 3 * 260 - 40, y: 2 * 150 + 30 }], 'peer');
    await pollPage(page, 'the moves', (p) => p.evaluate((id) => window.planvas!.canvas!.shapeRect(id)?.x ?? null, at(2, 1)), (x) => x !== null);
    await page.waitForTimeout(100);
    const afterMoves = await staleAgainstFullRedraw(page);
    expect(afterMoves.stale, `pixels left stale after remote moves (${afterMoves.differing} differ at all)`).toBe(0);

    // A card created in view and one deleted: mounted and unmounted between two frames.
    createTask(peer.doc, { title: 'Dropped in', x: 500, y: 380 }, 'peer');
    deleteEntities(peer.doc, [at(4, 1)], 'peer');
    await page.waitForFunction(() => window.planvas!.canvas!.shapeIds().length === 300);
    await page.waitForTimeout(100);
    const afterMount = await staleAgainstFullRedraw(page);
    expect(afterMount.stale, `pixels left stale after a card came and went (${afterMount.differing} differ at all)`).toBe(0);

    // Mid-pan by whole pixels (no settle redraw due), with a move in the same frames.
    await page.evaluate(async () => {
      const store = window.planvas!.canvas!.store;
      const v0 = store.getState().viewport as Vp;
      for (let i = 1; i <= 12; i++) {
        store.getState().setViewport({ x: v0.x - 9 * i, y: v0.y - 4 * i, zoom: v0.zoom });
        await new Promise((r) => requestAnimationFrame(r));
      }
    });
    moveShapes(peer.doc, [{ id: at(5, 3), x: 5 * 260 + 30, y: 3 * 150 - 20 }], 'peer');
    await page.waitForTimeout(100);
    const midPan = await staleAgainstFullRedraw(page);
    expect(midPan.stale, `pixels left stale in a pan (${midPan.differing} differ at all)`).toBe(0);
    await screenshot(page, 'issue6-canvas3-redraw-e2e');
  });
  it('a narrow card whose status chip and badges are wider than it: moved by a peer, or next to a card a peer moves', async () => {
    const board = await e2e.createBoard('Narrow');
    const peer = await e2e.connect(board.id, board.editToken);
    const narrow = createTask(peer.doc, { title: 'A', x: 100, y: 100, w: 40, h: 60, status: 'in-progress' }, 'peer');
    const neighbour = createTask(peer.doc, { title: 'B', x: 190, y: 100, w: 100, h: 60, color: '#fde68a' }, 'peer');
    const { page } = await e2e.openUserOn('Ada', board.editUrl);
    await page.waitForFunction(() => window.planvas!.canvas!.shapeIds().length === 2);
    await page.evaluate(() => window.planvas!.canvas!.store.getState().setViewport({ x: 0, y: 0, zoom: 1 }));
    await page.waitForTimeout(400);
    // The neighbour moves away: its old place is redrawn, the narrow card's chip must still be there.
    moveShapes(peer.doc, [{ id: neighbour, x: 190, y: 400 }], 'peer');
    await pollPage(page, 'the neighbour moved', (p) => p.evaluate((id) => window.planvas!.canvas!.shapeRect(id)?.y ?? null, neighbour), (y) => y !== null && y > 300);
    await page.waitForTimeout(100);
    const beside = await staleAgainstFullRedraw(page);
    expect(beside.stale, `pixels wrong next to a moved card (${beside.differing} differ at all)`).toBe(0);
    // The narrow card moves: nothing of it stays behind.
    moveShapes(peer.doc, [{ id: narrow, x: 100, y: 500 }], 'peer');
    await pollPage(page, 'the narrow card moved', (p) => p.evaluate((id) => window.planvas!.canvas!.shapeRect(id)?.y ?? null, narrow), (y) => y !== null && y > 400);
    await page.waitForTimeout(100);
    const moved = await staleAgainstFullRedraw(page);
    expect(moved.stale, `pixels left behind by a narrow card (${moved.differing} differ at all)`).toBe(0);
  });
  it('a tab shown again after the browser dropped its canvas bitmap draws the board again', async () => {
    const board = await e2e.createBoard('Hidden tab');
    const peer = await e2e.connect(board.id, board.editToken);
    seedGrid(peer.doc, 40);
    const { page } = await e2e.openUserOn('Ada', board.editUrl);
    await page.waitForFunction(() => window.planvas!.canvas!.shapeIds().length === 40);
    await page.evaluate(() => window.planvas!.canvas!.store.getState().setViewport({ x: 40, y: 40, zoom: 0.5 }));
    await page.waitForTimeout(400);
    // What a browser may do to a hidden tab's canvases, then the event it fires when the tab shows.
    await page.evaluate(() => {
      const K = (window as unknown as { Konva: { stages: Array<{ getLayers(): Array<{ getCanvas(): { _canvas: HTMLCanvasElement } }> }> } }).Konva;
      const el = K.stages[0]!.getLayers()[0]!.getCanvas()._canvas;
      el.getContext('2d')!.clearRect(0, 0, el.width, el.height);
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.waitForTimeout(100);
    const shown = await staleAgainstFullRedraw(page);
    expect(shown.stale, `pixels missing after the tab showed again (${shown.differing} differ at all)`).toBe(0);
  });
});
