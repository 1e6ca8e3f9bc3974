import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { boardOf, createTaskByHand, drag, shapeCenter, stagePoint, waitForBoard } from './board.ts';
import { screenshot } from './browser.ts';
import { useE2e } from './harness.ts';

/**
 * Version history in real browsers: an editor saves a named version, edits, previews the
 * version, compares it with now (the changed and added tasks are marked in the list and on
 * the canvas), and restores it; a viewer on a second page sees the restore live and can
 * preview but not save or restore; Ctrl+Z in the editor's page undoes the restore.
 */
const e2e = useE2e({ browserNoise: /WebSocket|Failed to load resource|net::ERR/ });

const item = (page: Page, name: string) => page.getByTestId('history-item').filter({ hasText: name }).first();
const row = (page: Page, title: string) => page.getByTestId('history-row').filter({ hasText: title }).first();
/** The SVG the preview picture shows (read back from its Blob URL); '' while it is being replaced. */
const previewSvg = (page: Page) =>
  page.getByTestId('history-board-image').evaluate(async (img: HTMLImageElement) => {
    if (!img.complete || img.naturalWidth === 0) return '';
    return fetch(img.src).then((r) => r.text(), () => '');
  });
const countOf = (svg: string, needle: string) => svg.split(needle).length - 1;

describe('version history panel', () => {
  it('save, edit, preview, compare with now, restore seen live, Ctrl+Z undoes the restore; a viewer only previews', async () => {
    const board = await e2e.createBoard('History demo');
    const ada = await e2e.openUserOn('Ada', board.editUrl);
    const vic = await e2e.openUserOn('Vic', board.viewUrl);

    const design = await createTaskByHand(ada.page, 160, 140, 'Design');
    await createTaskByHand(ada.page, 160, 360, 'Build');
    await waitForBoard(vic.page, (b) => b.tasks.length === 2);
    const designAt = (await boardOf(ada.page)).tasks.find((t) => t.id === design)!;

    // Save a named version.
    await ada.page.getByTestId('history-button').click();
    await ada.page.getByTestId('history-save-version').click();
    // Typed with real keys: N, K and the rest are canvas shortcuts, which must not fire in the name field.
    await ada.page.getByTestId('history-version-name').fill('');
    await ada.page.getByTestId('history-version-name').type('Kickoff plan');
    await ada.page.getByTestId('history-save-confirm').click();
    await item(ada.page, 'Kickoff plan').waitFor();
    await expect(item(ada.page, 'Kickoff plan').textContent()).resolves.toMatch(/2 tasks added/);

    // Edit after the version: move Design, add Extra.
    const from = await shapeCenter(ada.page, design);
    await ada.page.keyboard.press('v');
    await drag(ada.page, from, { x: from.x + 260, y: from.y + 20 });
    await waitForBoard(ada.page, (b) => b.tasks.some((t) => t.id === design && t.x > designAt.x + 100));
    const extra = await createTaskByHand(ada.page, 160, 560, 'Extra');
    await waitForBoard(vic.page, (b) => b.tasks.length === 3);
    // Link Design -> Build (Build's own fields stay as they were; only its scheduled dates move).
    const build = (await boardOf(ada.page)).tasks.find((t) => t.title === 'Build')!.id;
    await ada.page.evaluate(
      ({ from, to }) => {
        const doc = window.planvas!.session!.doc;
        const deps = doc.getMap('deps');
        // The page has no Yjs import of its own: a Y.Map made by the same constructor as the document's maps.
        const YMap = deps.constructor as new () => { set(key: string, value: unknown): void };
        const dep = new YMap();
        doc.transact(() => {
          deps.set('e2e-link-design-build', dep);
          dep.set('from', from);
          dep.set('to', to);
          dep.set('type', 'FS');
          dep.set('lag', 0);
        }, window.planvas!.session!.localOrigin);
      },
      { from: design, to: build },
    );
    await vic.page.waitForFunction((to) => window.planvas!.schedule!().tasks[to]!.start > window.planvas!.readBoard!().meta.projectStart, build);
    // A script lets viewers comment through the REST API (a permission: a restore must leave it on).
    const patched = await fetch(`${e2e.server.url}/api/boards/${board.id}/settings`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${board.editToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ viewersMayComment: true }),
    });
    expect(patched.status).toBe(200);
    await vic.page.waitForFunction(() => window.planvas!.readBoard!().meta.viewersMayComment);

    // Preview the version: on the canvas tab, a read-only picture of its canvas under a banner.
    await item(ada.page, 'Kickoff plan').locator('.history-item-main').click();
    await ada.page.getByTestId('history-banner').waitFor();
    await expect(ada.page.getByTestId('history-banner').textContent()).resolves.toContain('Previewing “Kickoff plan”');
    await expect(ada.page.getByTestId('history-mode-canvas').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect.poll(() => previewSvg(ada.page)).toContain('data-kind="task"');
    const versionSvg = await previewSvg(ada.page);
    // The version's two cards (not Extra, added later), where they were, and no outlines yet.
    expect(countOf(versionSvg, 'data-kind="task"')).toBe(2);
    const drawnAt = new RegExp(`data-id="${design}" transform="translate\\(([-\\d.]+) ([-\\d.]+)\\)"`).exec(versionSvg)!;
    expect([Number(drawnAt[1]), Number(drawnAt[2])]).toEqual([Math.round(designAt.x * 100) / 100, Math.round(designAt.y * 100) / 100]);
    expect(versionSvg).not.toContain(`data-id="${extra}"`);
    expect(countOf(versionSvg, 'data-kind="highlight"')).toBe(0);
    // An image, never markup in the page: nothing in a peer's document can run here.
    await expect(ada.page.locator('.history-board svg, .history-board script').count()).resolves.toBe(0);
    await expect(ada.page.getByTestId('history-board-image').getAttribute('src')).resolves.toMatch(/^blob:/);
    await screenshot(ada.page, 'issue4-history-preview-canvas');
    // Zoom with the wheel (around the pointer) and pan by dragging; the picture grows and moves.
    const fitted = (await ada.page.getByTestId('history-board-image').boundingBox())!;
    const fitLabel = await ada.page.getByTestId('history-board-fit').textContent();
    await ada.page.mouse.move(fitted.x + fitted.width / 2, fitted.y + fitted.height / 2);
    await ada.page.mouse.wheel(0, -300);
    await expect.poll(async () => (await ada.page.getByTestId('history-board-image').boundingBox())!.width).toBeGreaterThan(fitted.width * 1.2);
    expect(await ada.page.getByTestId('history-board-fit').textContent()).not.toBe(fitLabel);
    const zoomed = (await ada.page.getByTestId('history-board-image').boundingBox())!;
    const frame = (await ada.page.locator('.history-board-frame').boundingBox())!;
    const mid = { x: frame.x + frame.width / 2, y: frame.y + frame.height / 2 };
    await drag(ada.page, mid, { x: mid.x + 100, y: mid.y + 50 });
    const panned = (await ada.page.getByTestId('history-board-image').boundingBox())!;
    expect(panned.x - zoomed.x).toBeCloseTo(100, 0);
    expect(panned.y - zoomed.y).toBeCloseTo(50, 0);
    await ada.page.getByTestId('history-board-fit').click();
    await expect.poll(async () => (await ada.page.getByTestId('history-board-image').boundingBox())!.width).toBeCloseTo(fitted.width, 0);
    // The panning wrote nothing: the live board is as it was.
    expect((await boardOf(ada.page)).tasks.find((t) => t.id === design)!.x).toBeGreaterThan(designAt.x + 100);

    // The list of its tasks.
    await ada.page.getByTestId('history-mode-tasks').click();
    await expect(ada.page.getByTestId('history-row').count()).resolves.toBe(2);
    await screenshot(ada.page, 'issue4-history-preview');

    // Compare with now: Design changed (moved), Extra added since.
    await ada.page.getByTestId('history-compare').click();
    await row(ada.page, 'Extra').waitFor();
    await expect(row(ada.page, 'Design').getAttribute('data-change')).resolves.toBe('changed');
    await expect(row(ada.page, 'Design').textContent()).resolves.toMatch(/moved/);
    await expect(row(ada.page, 'Extra').getAttribute('data-change')).resolves.toBe('added');
    // Build was not edited, but its dates moved through the new link: an MS Project user expects to see it.
    await expect(row(ada.page, 'Build').getAttribute('data-change')).resolves.toBe('changed');
    await expect(row(ada.page, 'Build').textContent()).resolves.toMatch(/→.*rescheduled \(by its links\)/);
    await screenshot(ada.page, 'issue4-history-compare');

    // The same, outlined on the version's picture: Design and Build changed, Extra a ghost where it is now.
    await ada.page.getByTestId('history-mode-canvas').click();
    await expect.poll(async () => countOf(await previewSvg(ada.page), 'data-kind="highlight"')).toBe(3);
    const compared = await previewSvg(ada.page);
    expect(compared).toContain(`data-kind="highlight" data-change="changed" data-id="${design}"`);
    expect(compared).toContain(`data-kind="highlight" data-change="changed" data-id="${build}"`);
    expect(compared).toContain(`data-kind="highlight" data-change="added" data-id="${extra}"`);
    expect(compared).toContain('>rescheduled (by its links)</text>');
    expect(compared).toContain('>added since: Extra</text>');
    expect(countOf(compared, 'data-kind="task"')).toBe(2);
    await ada.page.locator('.history-board-legend').waitFor();
    await screenshot(ada.page, 'issue4-history-compare-picture');

    // The same, on the live canvas.
    await ada.page.getByTestId('history-on-canvas').click();
    await ada.page.locator(`.history-highlight[data-task-id="${design}"]`).waitFor();
    await expect(ada.page.locator(`.history-highlight[data-task-id="${extra}"]`).getAttribute('data-change')).resolves.toBe('added');
    await expect(ada.page.locator(`.history-highlight[data-task-id="${build}"]`).textContent()).resolves.toBe('rescheduled (by its links)');
    await expect(ada.page.locator('.history-highlight').count()).resolves.toBe(3);
    // The outline sits on the card.
    const box = (await ada.page.locator(`.history-highlight[data-task-id="${design}"]`).boundingBox())!;
    const card = await shapeCenter(ada.page, design);
    expect(card.x).toBeGreaterThan(box.x);
    expect(card.x).toBeLessThan(box.x + box.width);
    expect(card.y).toBeGreaterThan(box.y);
    expect(card.y).toBeLessThan(box.y + box.height);
    await screenshot(ada.page, 'issue4-history-compare-canvas');

    // The viewer: list and preview, but no Save version and no Restore.
    await vic.page.getByTestId('history-button').click();
    await item(vic.page, 'Kickoff plan').waitFor();
    await expect(vic.page.getByTestId('history-save-version').count()).resolves.toBe(0);
    await item(vic.page, 'Kickoff plan').locator('.history-item-main').click();
    await vic.page.getByTestId('history-banner').waitFor();
    await expect(vic.page.getByTestId('history-restore').count()).resolves.toBe(0);
    await screenshot(vic.page, 'issue4-history-viewer-preview');
    await vic.page.getByTestId('history-back').click();

    // Restore asks first (it replaces the plan for everyone); Cancel leaves the board alone.
    await ada.page.getByTestId('history-restore').click();
    const confirmDialog = ada.page.getByTestId('history-restore-dialog');
    await expect(confirmDialog.textContent()).resolves.toContain('Restore “Kickoff plan”?The board’s plan is replaced for everyone; a backup version is saved first, and you can undo.');
    await screenshot(ada.page, 'issue4-history-restore-confirm');
    await ada.page.getByTestId('history-restore-cancel').click();
    await expect(confirmDialog.count()).resolves.toBe(0);
    expect((await boardOf(ada.page)).tasks.some((t) => t.id === extra)).toBe(true);

    // Restore: the viewer sees it live; the history keeps a backup of what was replaced.
    await ada.page.getByTestId('history-restore').click();
    await ada.page.getByTestId('history-restore-confirm').click();
    await ada.page.getByTestId('history-toast').filter({ hasText: 'Restored “Kickoff plan”' }).waitFor();
    const restored = (b: Awaited<ReturnType<typeof boardOf>>) =>
      b.tasks.length === 2 && b.tasks.some((t) => t.id === design && t.x === designAt.x && t.y === designAt.y) && !b.tasks.some((t) => t.id === extra);
    await waitForBoard(ada.page, restored);
    await waitForBoard(vic.page, restored);
    await item(ada.page, 'Before restoring “Kickoff plan”').waitFor();
    // The viewer's open panel picks up the backup by itself.
    await item(vic.page, 'Before restoring “Kickoff plan”').waitFor();
    await item(ada.page, 'Before restoring “Kickoff plan”').getByRole('button', { name: 'Details' }).click();
    await expect(item(ada.page, 'Before restoring “Kickoff plan”').locator('.history-details').textContent()).resolves.toMatch(/1 task added:\s*Extra.*1 moved:\s*Design.*1 link added:\s*Design → Build.*1 setting changed:\s*Viewers may comment/s);
    // Who: Ada, and the script's edit named for what it is (not a person called "API").
    await expect(item(ada.page, 'Before restoring “Kickoff plan”').locator('.history-item-meta').textContent()).resolves.toMatch(/· Ada · via the API$/);
    // The restore brought the plan back but not the permission.
    await vic.page.waitForFunction(() => window.planvas!.readBoard!().deps.size === 0);
    expect(await vic.page.evaluate(() => window.planvas!.readBoard!().meta.viewersMayComment)).toBe(true);
    expect((await boardOf(ada.page)).tasks).toHaveLength(2);
    await screenshot(ada.page, 'issue4-history-restored');
    await screenshot(vic.page, 'issue4-history-restored-viewer');

    // Ctrl+Z in Ada's page undoes the whole restore in one step, for everyone.
    const empty = await stagePoint(ada.page, 600, 700);
    await ada.page.mouse.click(empty.x, empty.y);
    await ada.page.keyboard.press('Control+z');
    const undone = (b: Awaited<ReturnType<typeof boardOf>>) => b.tasks.length === 3 && b.tasks.some((t) => t.id === extra) && b.tasks.some((t) => t.id === design && t.x > designAt.x + 100);
    await waitForBoard(ada.page, undone);
    await waitForBoard(vic.page, undone);
  });
});
