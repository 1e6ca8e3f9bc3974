import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/server.ts';
import { barRect, openBoard, stagePoint } from './board.ts';
import { screenshot } from './browser.ts';
import { useE2e } from './harness.ts';

/**
 * The "done when", in three real browsers: Pam (the PM, who made the board) brings a
 * plan in from an MS Project XML file, saves a named version and presents it; Ed (edit link)
 * and Vi (the view-only link Pam copied from Share) follow her across views; Ed comments on a
 * task with an @mention while Vi watches and cannot comment; Pam reschedules a task, shows
 * what changed since the named version, and restores it — Ed and Vi see every step live.
 */
const MSPDI = fs.readFileSync(path.join(ROOT, 'test/fixtures/mspdi/project2003-task-links.xml'));

const e2e = useE2e({ browserNoise: /WebSocket|Failed to load resource|net::ERR/ });

type Follow = { target: number | null; reason?: string };
const followOf = (page: Page) => page.evaluate(() => window.planvas!.follow!() as Follow);
const selfId = (page: Page) => page.evaluate(() => window.planvas!.session!.awareness.clientID);
const startOf = (page: Page, id: string) => page.evaluate((taskId) => window.planvas!.schedule!().tasks[taskId]?.start ?? null, id);
async function switchTab(page: Page, label: 'Canvas' | 'Timeline'): Promise<void> {
  await page.getByRole('tab', { name: label, exact: true }).click();
  if (label === 'Canvas') await page.waitForFunction(() => !!window.planvas?.canvas);
}
describe('a review: presenter, editor and viewer on one board', () => {
  it('import from MS Project, named version, present, follow, comment, reschedule, compare and restore — live for all three', async () => {
    // --- Pam makes the board and imports the MS Project file through Import / Export.
    const pam = await e2e.openUser('Pam');
    await pam.page.goto(e2e.server.url);
    await pam.page.getByLabel('Board title').fill('Relaunch review');
    await pam.page.getByRole('button', { name: 'New board' }).click();
    await pam.page.waitForURL(/\/b\/[^?]+\?token=/);
    await openBoard(pam.page, pam.page.url());
    await pam.page.getByRole('button', { name: 'Import / Export' }).click();
    await pam.page.getByTestId('import-file-input').setInputFiles({ name: 'relaunch.xml', mimeType: 'application/xml', buffer: MSPDI });
    const importDialog = pam.page.getByTestId('import-dialog');
    await expect.poll(() => importDialog.getAttribute('data-phase'), { timeout: 15_000 }).toBe('ready');
    expect(await pam.page.evaluate(() => window.planvas!.readBoard!().tasks.size)).toBe(0); // checked first, nothing written yet
    await importDialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => importDialog.textContent()).toMatch(/Imported 8 tasks/);
    await importDialog.getByRole('button', { name: 'Close' }).click();

    // --- Share: Pam hands the view-only link to Vi; Ed has the edit link.
    await pam.page.getByRole('button', { name: 'Share' }).click();
    const share = pam.page.getByRole('dialog', { name: 'Share this board' });
    const viewUrl = await share.getByLabel('View-only link', { exact: true }).inputValue();
    const editUrl = await share.getByLabel('Edit link', { exact: true }).inputValue();
    await pam.page.keyboard.press('Escape');
    const ed = await e2e.openUser('Ed');
    const vi = await e2e.openUser('Vi');
    await openBoard(ed.page, editUrl);
    await openBoard(vi.page, viewUrl);
    await vi.page.waitForFunction(() => window.planvas!.readBoard!().tasks.size === 8);
    await pam.page.locator('.avatars .avatar-item[data-name="Vi"][data-role="view"]').waitFor();

    // --- Pam saves the named version the review will compare against.
    await pam.page.getByTestId('history-button').click();
    await pam.page.getByTestId('history-save-version').click();
    await pam.page.getByTestId('history-version-name').fill('Kickoff');
    await pam.page.getByTestId('history-save-confirm').click();
    const kickoff = pam.page.getByTestId('history-item').filter({ hasText: 'Kickoff' }).first();
    await kickoff.waitFor();
    await expect.poll(() => kickoff.textContent()).toMatch(/8 tasks added/);
    await pam.page.getByTestId('history-button').click(); // closes the panel

    // --- Present: Ed and Vi follow Pam, into the timeline and back.
    const pamId = await selfId(pam.page);
    await pam.page.getByRole('button', { name: 'Present' }).click();
    await expect.poll(() => followOf(ed.page)).toMatchObject({ target: pamId, reason: 'presenter' });
    await expect.poll(() => followOf(vi.page)).toMatchObject({ target: pamId, reason: 'presenter' });
    await expect.poll(() => pam.page.locator('.follow-banner').textContent()).toMatch(/You are presenting to 2 people/);
    await switchTab(pam.page, 'Timeline');
    await ed.page.waitForFunction(() => location.hash === '#timeline');
    await vi.page.waitForFunction(() => location.hash === '#timeline');
    await vi.page.getByTestId('task-grid').waitFor();
    await screenshot(vi.page, 'issue4-review-viewer-follows-timeline');
    await switchTab(pam.page, 'Canvas');
    await vi.page.waitForFunction(() => location.hash === '' && !!window.planvas?.canvas);

    // --- Ed steps out of the presentation (Esc) and comments on a task, mentioning Pam.
    await ed.page.waitForFunction(() => location.hash === '' && !!window.planvas?.canvas);
    await ed.page.keyboard.press('Escape');
    await expect.poll(async () => (await followOf(ed.page)).target).toBeNull();
    const tasks = await ed.page.evaluate(() => [...window.planvas!.readBoard!().tasks.values()].map((t) => t.id));
    const card = await ed.page.evaluate((ids) => ids.map((id) => window.planvas!.canvas!.shapeRect(id)).find((r) => r && r.width > 0) ?? null, tasks);
    if (!card) throw new Error('no task card on Ed’s screen');
    await ed.page.keyboard.press('c');
    await ed.page.mouse.click(card.x + 30, card.y + 30);
    await ed.page.waitForSelector('.comment-thread.is-draft textarea');
    await ed.page.keyboard.type('Is this date realistic, @Pa');
    await ed.page.waitForSelector('.mention-list >> text=@Pam');
    await ed.page.keyboard.press('Enter');
    await ed.page.keyboard.type('?');
    await ed.page.keyboard.press('Enter');
    // Pam sees the mention of her; Vi, still following, sees the thread but may not comment (board default).
    await pam.page.getByTestId('comments-button').click();
    await pam.page.waitForSelector('.comment-mention.is-self >> text=@Pam');
    await vi.page.getByTestId('comments-button').click();
    await vi.page.waitForSelector('.comments-panel >> text=Is this date realistic');
    await vi.page.waitForSelector('.comments-panel >> text=Only editors can comment on this board');
    expect(await vi.page.locator('.comments-panel textarea').count()).toBe(0);
    expect((await followOf(vi.page)).target).toBe(pamId); // reading comments does not stop following
    await pam.page.getByTestId('comments-button').click();

    // --- Pam reschedules the first task in the timeline: drag its bar five days right.
    await switchTab(pam.page, 'Timeline');
    await vi.page.waitForFunction(() => location.hash === '#timeline');
    const moved = (await pam.page.locator('.task-grid-row').first().getAttribute('data-task-id'))!;
    const before = await startOf(vi.page, moved);
    const bar = await barRect(pam.page, moved);
    const y = bar.y + bar.height / 2;
    await pam.page.mouse.move(bar.x + 10, y);
    await pam.page.mouse.down();
    for (let i = 1; i <= 10; i++) await pam.page.mouse.move(bar.x + 10 + i * 18, y);
    await pam.page.mouse.up();
    await vi.page.waitForFunction(({ id, was }) => window.planvas!.schedule!().tasks[id]?.start !== was, { id: moved, was: before });
    const after = await startOf(vi.page, moved);
    expect(after! > before!).toBe(true);

    // --- What changed since Kickoff: the rescheduled task is marked.
    await pam.page.getByTestId('history-button').click();
    await pam.page.getByTestId('history-item').filter({ hasText: 'Kickoff' }).first().locator('.history-item-main').click();
    await pam.page.getByTestId('history-banner').waitFor();
    await pam.page.getByTestId('history-compare').click();
    const changed = pam.page.locator(`[data-testid="history-row"][data-change="changed"]`);
    await expect.poll(() => changed.count()).toBeGreaterThanOrEqual(1);
    await expect.poll(() => changed.first().textContent()).toMatch(/→/);
    await screenshot(pam.page, 'issue4-review-compare');
    await screenshot(vi.page, 'issue4-review-viewer-timeline');

    // --- Restore Kickoff: Ed and Vi see the task back where it was; Pam's history keeps a backup.
    await pam.page.getByTestId('history-restore').click();
    await pam.page.getByTestId('history-restore-confirm').click();
    await pam.page.getByTestId('history-toast').filter({ hasText: 'Restored “Kickoff”' }).waitFor();
    for (const page of [pam.page, ed.page, vi.page]) await page.waitForFunction(({ id, was }) => window.planvas!.schedule!().tasks[id]?.start === was, { id: moved, was: before });
    await pam.page.getByTestId('history-item').filter({ hasText: 'Before restoring “Kickoff”' }).first().waitFor();
    // The comment thread survives the restore (discussion is not rolled back).
    expect(await ed.page.evaluate(() => window.planvas!.session!.doc.getMap('comments').size)).toBe(1);
    await screenshot(vi.page, 'issue4-review-viewer-restored');

    // --- Pam stops presenting; Vi stops following. Nothing Vi did wrote to the board.
    await pam.page.getByTestId('history-back').click().catch(() => undefined);
    await pam.page.getByRole('button', { name: 'Stop presenting' }).click();
    await expect.poll(async () => (await followOf(vi.page)).target).toBeNull();
    const viSpot = await stagePoint(vi.page, 300, 300).catch(() => null);
    if (viSpot) await vi.page.mouse.click(viSpot.x, viSpot.y);
    expect(await vi.page.evaluate(() => window.planvas!.readBoard!().tasks.size)).toBe(8);
  }, 180_000);
});
