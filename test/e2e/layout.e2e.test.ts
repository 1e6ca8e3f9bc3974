import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createDependency, createTask } from '../../shared/doc/ops.ts';
import { setBoardSetting } from '../../shared/doc/planOps.ts';
import { screenshot } from './browser.ts';
import { useE2e } from './harness.ts';

/**
 * Layout at 1280x800 and 1024x700 in real Chromium (issue 4 QA pass): one stacking order
 * (menus above side panels, dialogs above everything, toasts above the follow banner), the
 * canvas toolbar and the follow banner kept in the free area left of open panels, an Import /
 * Export menu whose every entry is reachable, a drop overlay, and timeline dates that fit.
 */
const e2e = useE2e({ browserNoise: /WebSocket|net::ERR/ });

type Rect = { left: number; top: number; right: number; bottom: number };

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.planvas?.status?.() === 'connected');
}

const rectOf = (page: Page, selector: string): Promise<Rect> =>
  page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  });

const overlaps = (a: Rect, b: Rect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Which of `candidates` the topmost element at the centre of `selector` belongs to. */
const topmostAt = (page: Page, selector: string, candidates: string[]) =>
  page.evaluate(
    ([sel, cands]) => {
      const r = document.querySelector(sel)!.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return cands.find((c) => hit?.closest(c)) ?? null;
    },
    [selector, candidates] as const,
  );

/** Seeds a plan whose dates fall in other years (shown with their year in the grid). */
async function seedPlan(boardId: string, token: string): Promise<{ design: string }> {
  const writer = await e2e.connect(boardId, token);
  setBoardSetting(writer.doc, 'projectStart', '2014-10-17');
  const discovery = createTask(writer.doc, { title: 'Discovery', duration: 5, x: 0, y: 0 });
  const design = createTask(writer.doc, { title: 'Design', duration: 5, x: 320, y: 0 });
  const build = createTask(writer.doc, { title: 'Build', duration: 8, x: 640, y: 0 });
  createTask(writer.doc, { title: 'QA sign-off', duration: 1, x: 0, y: 220, start: '2027-01-05' });
  createDependency(writer.doc, discovery, design);
  createDependency(writer.doc, design, build);
  return { design };
}

describe('layout of the board page', () => {
  it('menus, dialogs, panels, banner and toasts stack in one order and stay in the free area', async () => {
    const board = await e2e.createBoard('Website relaunch');
    const { design } = await seedPlan(board.id, board.editToken);
    const pam = await e2e.openUser('Pam');
    const ed = await e2e.openUser('Ed', { width: 1024, height: 700 });
    const vi = await e2e.openUser('Vi');
    await open(pam.page, board.editUrl);
    await open(ed.page, board.editUrl);
    await open(vi.page, board.viewUrl);
    await pam.page.getByRole('button', { name: 'Present' }).click();
    await ed.page.getByText('is presenting').waitFor();
    await vi.page.getByText('is presenting').waitFor();

    // Ed at 1024x700, History open: Import / Export opens above the panel, fits the window, scrolls.
    await ed.page.getByTestId('history-button').click();
    await ed.page.locator('.history-panel').waitFor();
    await ed.page.getByRole('button', { name: 'Import / Export' }).click();
    const menu = ed.page.locator('.io-popover');
    await menu.waitFor();
    expect((await rectOf(ed.page, '.io-popover')).bottom).toBeLessThanOrEqual(700);
    expect(await topmostAt(ed.page, '.io-popover', ['.io-popover', '.history-panel'])).toBe('.io-popover');
    await menu.evaluate((el) => (el.scrollTop = el.scrollHeight));
    for (const label of ['PDF of the timeline', 'Subscribe to calendar (iCal)…']) {
      const reach = await ed.page.getByRole('button', { name: label }).evaluate((el) => {
        const b = el.getBoundingClientRect();
        const hit = document.elementFromPoint(b.left + 20, b.top + b.height / 2);
        return { inWindow: b.top >= 0 && b.bottom <= window.innerHeight, onTop: !!hit && el.contains(hit) };
      });
      expect(reach, label).toEqual({ inWindow: true, onTop: true });
    }
    await ed.page.getByRole('button', { name: 'Subscribe to calendar (iCal)…' }).click();
    await expect.poll(() => rectOf(ed.page, '.io-calendar').then((r) => r.bottom <= 700 && r.top >= 0)).toBe(true);
    await screenshot(ed.page, 'issue4-F1-e2e-io-1024');
    await ed.page.keyboard.press('Escape');
    await ed.page.getByTestId('history-button').click();
    await ed.page.locator('.history-panel').waitFor({ state: 'detached' });

    // Ed, Comments open and a task selected: the toolbar stays left of the panel and the inspector,
    // the banner left of the panel and clear of the zoom widget, the inspector ends above the banner.
    await ed.page.getByRole('button', { name: /^Comments/ }).click();
    await ed.page.locator('.comments-panel').waitFor();
    const panel = await rectOf(ed.page, '.comments-panel');
    expect((await rectOf(ed.page, '.pv-toolbar')).right).toBeLessThanOrEqual(panel.left);
    const banner = await rectOf(ed.page, '.follow-banner');
    expect(banner.right).toBeLessThanOrEqual(panel.left);
    expect(overlaps(banner, await rectOf(ed.page, '.pv-zoom'))).toBe(false);
    await ed.page.evaluate((id) => window.planvas!.session!.presence.setSelection([id]), design);
    await ed.page.locator('.inspector').waitFor();
    const inspector = await rectOf(ed.page, '.inspector');
    expect(overlaps(await rectOf(ed.page, '.pv-toolbar-wrap'), inspector)).toBe(false);
    expect(overlaps(await rectOf(ed.page, '.follow-banner'), inspector)).toBe(false);
    await screenshot(ed.page, 'issue4-F1-e2e-1024-comments-inspector');

    // Pam, Comments open, then Board settings: the backdrop covers the panel and her banner.
    await pam.page.getByRole('button', { name: /^Comments/ }).click();
    await pam.page.locator('.comments-panel').waitFor();
    await pam.page.getByRole('button', { name: 'Board settings' }).click();
    await pam.page.locator('.modal-backdrop').waitFor();
    expect(await topmostAt(pam.page, '.comments-panel', ['.modal-backdrop', '.comments-panel'])).toBe('.modal-backdrop');
    expect(await topmostAt(pam.page, '.follow-banner', ['.modal-backdrop', '.follow-banner'])).toBe('.modal-backdrop');
    await screenshot(pam.page, 'issue4-F1-e2e-settings-over-comments');
    await pam.page.keyboard.press('Escape');

    // Vi (viewer, following; viewers may not comment) presses C: the toast sits above the banner.
    await vi.page.getByRole('button', { name: /^Comments/ }).click();
    await vi.page.locator('.pv-canvas').focus();
    await vi.page.keyboard.press('c');
    await vi.page.locator('.toast', { hasText: 'Only editors can comment on this board' }).waitFor();
    const toast = await rectOf(vi.page, '.toast');
    expect(overlaps(toast, await rectOf(vi.page, '.follow-banner'))).toBe(false);
    expect(toast.right).toBeLessThanOrEqual((await rectOf(vi.page, '.comments-panel')).left);
    await screenshot(vi.page, 'issue4-F1-e2e-viewer-toast');
  });

  it('shows a drop overlay while a file is dragged over the board (not for viewers), and timeline dates fit', async () => {
    const board = await e2e.createBoard('Drop and dates');
    await seedPlan(board.id, board.editToken);
    const ada = await e2e.openUser('Ada');
    const vera = await e2e.openUser('Vera');
    await open(ada.page, board.editUrl);
    await open(vera.page, board.viewUrl);
    const drag = (page: Page, type: string) =>
      page.evaluate((t) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['ID,Name\r\n'], 'plan.csv', { type: 'text/csv' }));
        document.querySelector('.board-body')!.dispatchEvent(new DragEvent(t, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }, type);

    await drag(ada.page, 'dragenter');
    await drag(ada.page, 'dragover');
    const overlay = ada.page.getByTestId('drop-overlay');
    await expect.poll(() => overlay.textContent()).toContain('Drop a CSV, JSON or MS Project XML file to import');
    await screenshot(ada.page, 'issue4-F1-e2e-drag-over');
    await drag(ada.page, 'dragleave');
    await expect.poll(() => overlay.count()).toBe(0);
    await drag(vera.page, 'dragenter');
    await vera.page.waitForTimeout(200);
    expect(await vera.page.getByTestId('drop-overlay').count()).toBe(0);
    await drag(vera.page, 'dragleave');

    await ada.page.getByRole('tab', { name: 'Timeline' }).click();
    await ada.page.locator('.task-grid-row').nth(3).waitFor();
    const dates = await ada.page.evaluate(() =>
      [...document.querySelectorAll('.task-grid-row .col-date')].map((el) => ({ text: el.textContent, cut: el.scrollWidth > el.clientWidth })),
    );
    expect(dates.map((d) => d.text)).toContain('Nov 11, 14');
    expect(dates.filter((d) => d.cut)).toEqual([]);
    await screenshot(ada.page, 'issue4-F1-e2e-timeline-dates');
  });
});
