import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTask } from '../../shared/doc/ops.ts';
import { boardOf, shapeCenter, stagePoint } from './board.ts';
import { screenshot } from './browser.ts';
import { useE2e } from './harness.ts';

/**
 * Reviews with three real Chromium users: Ada presents (edit link), Bob edits, Vic watches
 * through the view-only link. The Share dialog, the viewer's missing edit controls, follow
 * from the presence list, Present, and the laser pointer, all with the mouse and keyboard.
 */
const e2e = useE2e({ browserNoise: /WebSocket|net::ERR/ });

type Vp = { x: number; y: number; zoom: number };
const viewportOf = (page: Page) => page.evaluate(() => window.planvas!.canvas!.store.getState().viewport as Vp);
const followOf = (page: Page) => page.evaluate(() => window.planvas!.follow!());
const selfId = (page: Page) => page.evaluate(() => window.planvas!.session!.awareness.clientID);
/** The centre of what a page's canvas shows, in canvas units. */
async function visibleCentre(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const { viewport } = window.planvas!.canvas!.store.getState();
    const r = window.planvas!.canvas!.stageRect();
    return { x: (r.width / 2 - viewport.x) / viewport.zoom, y: (r.height / 2 - viewport.y) / viewport.zoom };
  });
}
async function waitConnected(page: Page, view: 'canvas' | 'timeline' | 'board' = 'canvas'): Promise<void> {
  await page.waitForFunction(() => window.planvas?.status?.() === 'connected');
  if (view === 'canvas') await page.waitForFunction(() => !!window.planvas?.canvas);
}
async function switchTab(page: Page, label: 'Canvas' | 'Timeline' | 'Board'): Promise<void> {
  await page.getByRole('tab', { name: label, exact: true }).click();
  if (label === 'Canvas') await page.waitForFunction(() => !!window.planvas?.canvas);
}

/**
 * Ada makes the board on the home page (so her browser knows both links, as the creator's
 * does), and the plan gets three tasks through a headless editor.
 */
async function reviewBoard() {
  const ada = await e2e.openUser('Ada');
  await ada.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.server.url });
  await ada.page.goto(e2e.server.url);
  await ada.page.getByLabel('Board title').fill('Quarterly review');
  await ada.page.getByRole('button', { name: 'New board' }).click();
  await ada.page.waitForURL(/\/b\/[^?]+\?token=/);
  await waitConnected(ada.page);
  const url = new URL(ada.page.url());
  const id = decodeURIComponent(url.pathname.split('/').pop()!);
  const editToken = url.searchParams.get('token')!;
  const client = await e2e.connect(id, editToken);
  const tasks = {
    design: createTask(client.doc, { title: 'Design', x: 0, y: 0, status: 'todo', duration: 3 }),
    build: createTask(client.doc, { title: 'Build', x: 320, y: 0, status: 'todo', duration: 5 }),
    launch: createTask(client.doc, { title: 'Launch', x: 640, y: 200, status: 'todo', duration: 1 }),
  };
  await ada.page.waitForFunction(() => window.planvas!.readBoard!().tasks.size === 3);
  return { ada, id, editUrl: ada.page.url(), tasks };
}

describe('sharing, viewers, follow and present in three browsers', () => {
  it('Share copies the view-only link; a viewer finds no edit control; follow, present and the laser work for everyone', async () => {
    const { ada, editUrl, tasks } = await reviewBoard();

    // --- Share: both links for the creator, the view-only one first; Copy puts it on the clipboard.
    await ada.page.getByRole('button', { name: 'Share' }).click();
    const dialog = ada.page.getByRole('dialog', { name: 'Share this board' });
    const viewInput = dialog.getByLabel('View-only link', { exact: true });
    const editInput = dialog.getByLabel('Edit link', { exact: true });
    const viewUrl = await viewInput.inputValue();
    expect(viewUrl).toMatch(/\/b\/.+\?token=/);
    expect(await editInput.inputValue()).toBe(editUrl);
    expect(viewUrl).not.toBe(editUrl);
    await dialog.locator('[data-link="view"]').getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => dialog.locator('[data-link="view"] button').textContent()).toBe('Copied');
    expect(await ada.page.evaluate(() => navigator.clipboard.readText())).toBe(viewUrl);
    await screenshot(ada.page, 'issue4-D-share-dialog');
    await ada.page.keyboard.press('Escape');

    // --- Bob edits, Vic watches through the view-only link.
    const bob = await e2e.openUser('Bob');
    const vic = await e2e.openUser('Vic');
    await bob.page.goto(editUrl);
    await vic.page.goto(viewUrl);
    await waitConnected(bob.page);
    await waitConnected(vic.page);
    const adaId = await selfId(ada.page);

    // Vic shows as a viewer in Ada's presence list; Vic's own list says "(you)" and viewer.
    await ada.page.locator('.avatars .avatar-item[data-name="Vic"][data-role="view"]').waitFor();
    await ada.page.locator('.avatars .avatar-item[data-name="Bob"][data-role="edit"]').waitFor();
    await vic.page.locator('.presence-count').click();
    await expect.poll(() => vic.page.locator('.presence-popover').textContent()).toMatch(/Vic\s*\(you\)\s*viewer/);
    await vic.page.locator('.presence-count').click();
    // Vic's Share dialog offers the view-only link only.
    await vic.page.getByRole('button', { name: 'Share' }).click();
    const vicShare = vic.page.getByRole('dialog', { name: 'Share this board' });
    expect(await vicShare.getByLabel('View-only link', { exact: true }).inputValue()).toBe(viewUrl);
    expect(await vicShare.getByLabel('Edit link', { exact: true }).count()).toBe(0);
    await vic.page.keyboard.press('Escape');

    // --- The viewer's audit: canvas.
    const toolbar = vic.page.getByRole('toolbar', { name: 'Canvas tools' });
    for (const action of ['tool.task', 'tool.note', 'tool.dependency', 'history.undo', 'edit.delete', 'edit.duplicate']) {
      expect(await toolbar.locator(`[data-action="${action}"]`).count(), action).toBe(0);
    }
    for (const action of ['tool.select', 'tool.hand', 'tool.laser']) expect(await toolbar.locator(`[data-action="${action}"]`).count(), action).toBe(1);
    await expect.poll(() => vic.page.locator('.board-header').textContent()).toContain('View only');
    expect(await vic.page.locator('.board-header input').count()).toBe(0); // no title rename

    const before = await boardOf(vic.page);
    // T then a click on empty canvas: no task.
    await vic.page.keyboard.press('t');
    const empty = await stagePoint(vic.page, 900, 550);
    await vic.page.mouse.click(empty.x, empty.y);
    // Select Design, then every edit shortcut; drag it; double-click it.
    const design = await shapeCenter(vic.page, tasks.design);
    await vic.page.mouse.click(design.x, design.y);
    await expect.poll(() => vic.page.evaluate(() => [...window.planvas!.canvas!.store.getState().selection])).toEqual([tasks.design]);
    for (const key of ['Delete', 'Backspace', 'Control+d', 'ArrowRight', ']', 'Control+x', 'Control+z', 'Enter']) await vic.page.keyboard.press(key);
    await vic.page.mouse.move(design.x, design.y);
    await vic.page.mouse.down();
    await vic.page.mouse.move(design.x + 200, design.y + 150, { steps: 8 });
    await vic.page.mouse.up();
    await vic.page.mouse.dblclick(design.x, design.y);
    expect(await vic.page.locator('.pv-text-editor').count()).toBe(0);
    // Paste of a copied card (a real clipboard event with Planvas data), and a dropped CSV.
    const pasted = await vic.page.evaluate(() => {
      const copy = new DataTransfer();
      document.dispatchEvent(new ClipboardEvent('copy', { clipboardData: copy, bubbles: true, cancelable: true }));
      const text = copy.getData('text/plain');
      const paste = new DataTransfer();
      paste.setData('text/plain', text);
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: paste, bubbles: true, cancelable: true }));
      const csv = 'Name,Duration\r\nSneaky,2 days\r\n';
      const drop = new DataTransfer();
      drop.items.add(new File([csv], 'plan.csv', { type: 'text/csv' }));
      const target = document.querySelector('.board-body')!;
      for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: drop, bubbles: true, cancelable: true }));
      return text.length;
    });
    expect(pasted).toBeGreaterThan(0); // the copy really carried the card, so the paste was a real attempt
    // Inspector: the selected task's fields are read-only.
    const inspector = vic.page.locator('.inspector');
    await inspector.waitFor();
    expect(await inspector.locator('input:not([disabled]):not([readonly]), select:not([disabled]), textarea:not([disabled]):not([readonly])').count()).toBe(0);
    expect(await inspector.getByRole('button', { name: /delete|remove|add/i }).count()).toBe(0);
    await screenshot(vic.page, 'issue4-D-viewer-canvas');

    // Timeline: Insert and Delete in the grid do nothing; no toolbar edit buttons.
    await switchTab(vic.page, 'Timeline');
    await vic.page.getByTestId('task-grid').waitFor();
    const row = vic.page.locator('.task-grid-row').first();
    await row.click();
    for (const key of ['Insert', 'Delete', 'Tab', 'Alt+ArrowUp', 'Control+Enter', 'F2']) await vic.page.keyboard.press(key);
    await row.locator('.title-text').dblclick();
    expect(await vic.page.locator('.task-grid input, .task-grid textarea').count()).toBe(0);
    expect(await vic.page.getByRole('button', { name: /add task|baseline/i }).count()).toBe(0);
    // Dragging a bar (move) and its right end (resize) changes nothing.
    await vic.page.waitForFunction(() => !!(window.planvas as { timeline?: unknown } | undefined)?.timeline);
    const bar = await vic.page.evaluate((id) => (window.planvas as unknown as { timeline: { barRect(id: string): { x: number; y: number; width: number; height: number } | null } }).timeline.barRect(id), tasks.build);
    if (!bar) throw new Error('no Build bar on the viewer timeline');
    for (const startX of [bar.x + 10, bar.x + bar.width - 2]) {
      await vic.page.mouse.move(startX, bar.y + bar.height / 2);
      await vic.page.mouse.down();
      await vic.page.mouse.move(startX + 150, bar.y + bar.height / 2, { steps: 8 });
      await vic.page.mouse.up();
    }
    await screenshot(vic.page, 'issue4-D-viewer-timeline');

    // Board (Kanban): dragging a card to Done does nothing.
    await switchTab(vic.page, 'Board');
    const card = vic.page.getByTestId(`kanban-card-${tasks.build}`);
    await card.waitFor();
    expect(await card.getAttribute('draggable')).toBe('false');
    const cardBox = (await card.boundingBox())!;
    const doneBox = (await vic.page.locator('[data-testid="kanban-column-done"]').boundingBox())!;
    await vic.page.mouse.move(cardBox.x + cardBox.width / 2, cardBox.y + cardBox.height / 2);
    await vic.page.mouse.down();
    await vic.page.mouse.move(doneBox.x + 40, doneBox.y + 60, { steps: 10 });
    await vic.page.mouse.up();
    expect(await vic.page.getByRole('button', { name: /add (a )?(card|status|column)/i }).count()).toBe(0);
    await screenshot(vic.page, 'issue4-D-viewer-kanban');
    // Import / Export offers exports only.
    await vic.page.getByRole('button', { name: 'Import / Export' }).click();
    const io = vic.page.getByRole('dialog', { name: 'Import or export the plan' });
    await io.waitFor();
    expect(await io.getByRole('button', { name: /^Import/ }).count()).toBe(0);
    expect(await io.getByRole('button', { name: /^Export/ }).count()).toBeGreaterThan(0);
    await vic.page.keyboard.press('Escape');
    await switchTab(vic.page, 'Canvas');

    // Nothing Vic did reached the document, in Vic's browser or Ada's.
    await vic.page.waitForTimeout(300);
    expect(await boardOf(vic.page)).toEqual(before);
    expect(await boardOf(ada.page)).toEqual(before);

    // --- Follow: Bob clicks Ada in the presence list.
    await bob.page.getByRole('button', { name: 'Follow Ada' }).click();
    await expect.poll(() => followOf(bob.page)).toMatchObject({ target: adaId, reason: 'manual' });
    await bob.page.getByText('press Esc or pan to stop').waitFor();
    // Ada pans (hand drag with the middle of the canvas) and zooms with Ctrl+wheel.
    const from = await stagePoint(ada.page, 640, 360);
    await ada.page.keyboard.down('Space');
    await ada.page.mouse.move(from.x, from.y);
    await ada.page.mouse.down();
    await ada.page.mouse.move(from.x - 300, from.y - 120, { steps: 8 });
    await ada.page.mouse.up();
    await ada.page.keyboard.up('Space');
    await ada.page.mouse.move(from.x, from.y);
    await ada.page.keyboard.down('Control');
    await ada.page.mouse.wheel(0, -300);
    await ada.page.keyboard.up('Control');
    const adaVp = await viewportOf(ada.page);
    expect(adaVp.zoom).toBeGreaterThan(1);
    // Bob's window is the same size as Ada's: he sees what she sees.
    await expect.poll(async () => Math.abs((await viewportOf(bob.page)).zoom - adaVp.zoom), { timeout: 5000 }).toBeLessThan(0.01);
    const [adaCentre, bobCentre] = [await visibleCentre(ada.page), await visibleCentre(bob.page)];
    expect(Math.abs(adaCentre.x - bobCentre.x)).toBeLessThan(2);
    expect(Math.abs(adaCentre.y - bobCentre.y)).toBeLessThan(2);
    await screenshot(bob.page, 'issue4-D-follow-banner');
    // Ada switches to the timeline: so does Bob, and his timeline scrolls where hers does.
    await switchTab(ada.page, 'Timeline');
    await bob.page.waitForFunction(() => location.hash === '#timeline');
    await bob.page.locator('.gantt-scroll').waitFor();
    const gantt = (await ada.page.locator('.gantt-scroll').boundingBox())!;
    await ada.page.mouse.move(gantt.x + 200, gantt.y + 100);
    await ada.page.mouse.wheel(400, 0);
    await expect.poll(() => ada.page.locator('.gantt-scroll').evaluate((el) => el.scrollLeft)).toBeGreaterThan(100);
    const adaLeft = await ada.page.locator('.gantt-scroll').evaluate((el) => el.scrollLeft);
    await expect.poll(() => bob.page.locator('.gantt-scroll').evaluate((el) => el.scrollLeft), { timeout: 5000 }).toBeCloseTo(adaLeft, 0);
    await screenshot(bob.page, 'issue4-D-follow-timeline');
    await switchTab(ada.page, 'Canvas');
    await bob.page.waitForFunction(() => location.hash === '' && !!window.planvas?.canvas);
    expect((await followOf(bob.page)).target).toBe(adaId);
    // Bob scrolls the canvas himself: following stops, and Ada's next pan leaves him alone.
    const bobMid = await stagePoint(bob.page, 500, 400);
    await bob.page.mouse.move(bobMid.x, bobMid.y);
    await bob.page.mouse.wheel(0, 200);
    await expect.poll(async () => (await followOf(bob.page)).target).toBeNull();
    expect(await bob.page.getByText('press Esc or pan to stop').count()).toBe(0);
    const bobStill = await viewportOf(bob.page);
    await ada.page.getByRole('button', { name: 'Zoom in' }).click();
    await ada.page.waitForTimeout(300);
    expect(await viewportOf(bob.page)).toEqual(bobStill);

    // --- Present: Bob and Vic follow Ada; Ada sees her audience.
    await ada.page.getByRole('button', { name: 'Present' }).click();
    await expect.poll(() => followOf(bob.page)).toMatchObject({ target: adaId, reason: 'presenter' });
    await expect.poll(() => followOf(vic.page)).toMatchObject({ target: adaId, reason: 'presenter' });
    await expect.poll(() => ada.page.locator('.follow-banner').textContent()).toMatch(/You are presenting to 2 people/);
    await vic.page.getByText('is presenting').waitFor();
    // Ada goes to the Board tab and back, her viewers with her.
    await switchTab(ada.page, 'Board');
    await vic.page.waitForFunction(() => location.hash === '#board');
    await switchTab(ada.page, 'Canvas');
    await vic.page.waitForFunction(() => location.hash === '' && !!window.planvas?.canvas);
    await screenshot(ada.page, 'issue4-D-presenter');

    // --- Laser: K, then drag; Vic's canvas draws Ada's trail.
    await ada.page.keyboard.press('k');
    expect(await ada.page.evaluate(() => window.planvas!.canvas!.store.getState().tool)).toBe('laser');
    const l0 = await stagePoint(ada.page, 400, 300);
    await ada.page.mouse.move(l0.x, l0.y);
    await ada.page.mouse.down();
    // Keep drawing (a slow machine may take a while per move) until Vic's canvas draws the trail.
    const adaTrail = (id: number) => (window.planvas!.laser?.() ?? []).find((t) => t.clientId === id)?.points ?? 0;
    let seen = 0;
    for (let i = 1; i <= 80 && seen < 4; i++) {
      await ada.page.mouse.move(l0.x + (i % 40) * 12, l0.y + Math.sin(i / 3) * 60);
      seen = await vic.page.evaluate(adaTrail, adaId);
    }
    expect(seen).toBeGreaterThanOrEqual(4);
    expect(await ada.page.evaluate(adaTrail, adaId)).toBeGreaterThan(0); // the presenter sees her own trail too
    // A longer stroke for the screenshot: a swoop under the Launch card.
    const at = await stagePoint(ada.page, 420, 460);
    for (let i = 0; i <= 12; i++) await ada.page.mouse.move(at.x + i * 22, at.y + Math.sin(i / 2) * 40);
    await screenshot(vic.page, 'issue4-D-viewer-laser');
    await ada.page.mouse.up();
    expect((await boardOf(ada.page)).tasks).toHaveLength(3); // the laser wrote nothing
    // The trail fades within about a second.
    await vic.page.waitForFunction((id) => !(window.planvas!.laser?.() ?? []).some((t) => t.clientId === id && t.points > 0), adaId, { timeout: 5000 });
    await ada.page.keyboard.press('v');

    // Vic steps out (Esc) and comes back with "Follow again".
    await vic.page.keyboard.press('Escape');
    await expect.poll(async () => (await followOf(vic.page)).target).toBeNull();
    await vic.page.getByRole('button', { name: 'Follow again' }).click();
    await expect.poll(async () => (await followOf(vic.page)).target).toBe(adaId);

    // --- Ada stops presenting: everyone stops following.
    await ada.page.getByRole('button', { name: 'Stop presenting' }).click();
    await expect.poll(() => followOf(bob.page)).toMatchObject({ target: null, presenter: null });
    await expect.poll(() => followOf(vic.page)).toMatchObject({ target: null, presenter: null });
    expect(await vic.page.locator('.follow-banner').count()).toBe(0);
  }, 120_000);
});
