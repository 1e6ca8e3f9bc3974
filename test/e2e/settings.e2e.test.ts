import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pollPage } from './board.ts';
import { screenshot } from './browser.ts';
import { useE2e } from './harness.ts';

/**
 * Board settings in real browsers: one editor changes the title, the working week and the
 * statuses in the Settings dialog and a second page sees it live; then the board is deleted
 * with the typed confirmation and the second page is told.
 */
// Refused reconnects and the 404 of a deleted board are the browser's own messages.
const e2e = useE2e({ browserNoise: /WebSocket|Failed to load resource|net::ERR|404/ });

type Meta = { title: string; workingDays: number[]; statuses: { key: string; label: string }[]; wipLimits: Record<string, number>; viewersMayComment: boolean };
const metaOf = (page: Page): Promise<Meta> =>
  page.evaluate(() => {
    const { title, workingDays, statuses, wipLimits, viewersMayComment } = window.planvas!.readBoard!().meta;
    return { title, workingDays, statuses, wipLimits, viewersMayComment };
  });
const waitForMeta = (page: Page, predicate: (m: Meta) => boolean): Promise<Meta> => pollPage(page, 'meta', metaOf, predicate);

describe('board settings dialog', () => {
  it('an editor changes title, working days, statuses and WIP limits; the other page sees them; the viewer sees them read-only', async () => {
    const board = await e2e.createBoard('Settings demo');
    const ada = await e2e.openUserOn('Ada', board.editUrl);
    const bob = await e2e.openUserOn('Bob', board.viewUrl);

    const dialog = ada.page.getByRole('dialog', { name: 'Board settings' });
    await ada.page.getByRole('button', { name: 'Board settings' }).click();
    await dialog.waitFor();

    const title = dialog.getByLabel('Board title');
    await title.fill('Launch review');
    await title.press('Enter');
    // Saturday becomes a working day; Friday stops being one.
    await dialog.locator('label.weekday', { hasText: 'Sat' }).click();
    await dialog.locator('label.weekday', { hasText: 'Fri' }).click();
    // Rename "To do" to "Backlog", add "Review", move it left of "Done", give it a WIP limit of 2.
    const todo = dialog.getByLabel('Name of status To do');
    await todo.fill('Backlog');
    await todo.press('Enter');
    await dialog.getByLabel('New status').fill('Review');
    await dialog.getByRole('button', { name: 'Add status' }).click();
    await dialog.getByRole('button', { name: 'Move Review left' }).click();
    const wip = dialog.getByLabel('WIP limit of Review');
    await wip.fill('2');
    await wip.press('Enter');
    await dialog.getByRole('checkbox', { name: /Viewers may comment/ }).check();

    const seen = await waitForMeta(bob.page, (m) => m.title === 'Launch review' && m.statuses.some((s) => s.label === 'Review') && m.viewersMayComment && Object.keys(m.wipLimits).length === 1);
    expect(seen.workingDays).toEqual([1, 2, 3, 4, 6]);
    expect(seen.statuses.map((s) => s.label)).toEqual(['Backlog', 'In progress', 'Blocked', 'Review', 'Done']);
    const review = seen.statuses.find((s) => s.label === 'Review')!;
    expect(seen.wipLimits).toEqual({ [review.key]: 2 });
    await bob.page.getByRole('banner').getByText('Launch review').waitFor();

    // The viewer may open the dialog, read-only, without the danger zone.
    await bob.page.getByRole('button', { name: 'Board settings' }).click();
    const bobDialog = bob.page.getByRole('dialog', { name: 'Board settings' });
    await bobDialog.waitFor();
    expect(await bobDialog.getByLabel('Board title').isDisabled()).toBe(true);
    expect(await bobDialog.getByLabel('Board title').inputValue()).toBe('Launch review');
    expect(await bobDialog.getByText('Danger zone').count()).toBe(0);
    await screenshot(bob.page, 'issue4-settings-viewer');

    // Removing a status that holds a task moves the task to the first status.
    // A task in "Blocked", written into the document as a peer would (the canvas is not under test here).
    await ada.page.evaluate(() => {
      const doc = window.planvas!.session!.doc;
      const tasks = doc.getMap('tasks');
      const YMap = tasks.constructor as new () => typeof tasks;
      const task = new YMap();
      task.set('title', 'Waiting on legal');
      task.set('status', 'blocked');
      doc.transact(() => tasks.set('waitingOnLegalTask001', task));
    });
    await dialog.getByText('1 task', { exact: true }).waitFor();
    await dialog.getByLabel('Name of status Blocked').waitFor();
    await dialog.getByRole('button', { name: 'Remove status Blocked' }).click();
    await waitForMeta(bob.page, (m) => !m.statuses.some((s) => s.label === 'Blocked'));
    const statusOf = (page: Page) => page.evaluate(() => window.planvas!.readBoard!().tasks.get('waitingOnLegalTask001')?.status);
    await expect.poll(() => statusOf(bob.page)).toBe('todo');

    // Undo (Ctrl+Z) brings it back: settings edits are the editor's own undoable edits.
    await ada.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await ada.page.keyboard.press('Control+z');
    await waitForMeta(bob.page, (m) => m.statuses.some((s) => s.label === 'Blocked'));
    await expect.poll(() => statusOf(bob.page)).toBe('blocked');
    // Only that step: the earlier settings changes stay (each dialog change is its own undo step).
    expect(await metaOf(bob.page)).toMatchObject({ title: 'Launch review', workingDays: [1, 2, 3, 4, 6], viewersMayComment: true });

    await ada.page.getByRole('button', { name: 'Board settings' }).click();
    await dialog.waitFor();
    await screenshot(ada.page, 'issue4-settings-dialog');
  });

  it('deleting with the typed title: the editor goes home with a notice, the other page is told and stops syncing', async () => {
    const board = await e2e.createBoard('Old plan');
    const ada = await e2e.openUserOn('Ada', board.editUrl);
    const bob = await e2e.openUserOn('Bob', board.editUrl);

    await ada.page.getByRole('button', { name: 'Board settings' }).click();
    const dialog = ada.page.getByRole('dialog', { name: 'Board settings' });
    await dialog.getByRole('button', { name: 'Delete board…' }).click();
    const confirm = dialog.getByRole('button', { name: 'Delete this board' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Board title to confirm').fill('Old pla');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Board title to confirm').fill('Old plan');
    await screenshot(ada.page, 'issue4-settings-delete-confirm');
    await confirm.click();

    await ada.page.waitForURL((url) => url.pathname === '/');
    await ada.page.getByRole('status').filter({ hasText: 'Board deleted' }).waitFor();
    await screenshot(ada.page, 'issue4-settings-deleted-home');
    const recent = await ada.page.evaluate(() => localStorage.getItem('planvas.recentBoards') ?? '[]');
    expect(recent).not.toContain(board.id);

    await bob.page.getByRole('alert').filter({ hasText: 'This board was deleted' }).waitFor();
    await bob.page.waitForFunction(() => window.planvas?.status?.() !== 'connected');
    await screenshot(bob.page, 'issue4-settings-deleted-other');
    // Bob's browser drops its copy and the board from its recent list; nothing reconnects or recreates it.
    await bob.page.waitForFunction(async (id) => !(await indexedDB.databases()).some((d) => d.name === `planvas-board-${id}`), board.id);
    expect(await bob.page.evaluate(() => localStorage.getItem('planvas.recentBoards') ?? '[]')).not.toContain(board.id);
    await bob.page.waitForTimeout(1500);
    expect((await fetch(`${e2e.server.url}/api/boards/${board.id}?token=${board.editToken}`)).status).toBe(404);

    // Reopening the link: "no board at this link".
    await bob.page.goto(board.editUrl);
    await bob.page.getByText('There is no board at this link.').waitFor();
  });

  it('a page that was offline while the board was deleted finds out when it comes back, and does not recreate it', async () => {
    const board = await e2e.createBoard('Deleted while away');
    const cy = await e2e.openUserOn('Cy', board.editUrl);
    await cy.context.setOffline(true);
    await cy.page.waitForFunction(() => window.planvas?.status?.() !== 'connected');
    const res = await fetch(`${e2e.server.url}/api/boards/${board.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${board.editToken}`, 'X-Confirm-Delete': board.id } });
    expect(res.status).toBe(204);
    await cy.context.setOffline(false);
    // Its reconnects are refused (404); after a few, the page asks the REST API and learns why.
    await cy.page.getByRole('alert').filter({ hasText: 'This board was deleted' }).waitFor({ timeout: 20_000 });
    await screenshot(cy.page, 'issue4-settings-deleted-while-away');
    expect((await fetch(`${e2e.server.url}/api/boards/${board.id}?token=${board.editToken}`)).status).toBe(404);
  });
});
