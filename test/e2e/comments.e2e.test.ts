import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTaskByHand, stagePoint } from './board.ts';
import { screenshot } from './browser.ts';
import { useE2e } from './harness.ts';

/**
 * Comments in real browsers: two editors and a viewer on one board. Threads are made with the
 * mouse and keyboard (the inspector's comment box, the C tool on the canvas), replies with an
 * @mention picked from the autocomplete, resolve, and a viewer who may or may not comment.
 */
const e2e = useE2e({ browserNoise: /WebSocket|ERR_INTERNET_DISCONNECTED|Failed to fetch|net::ERR/ });

/** Number of open threads the header button shows (0 when it shows none). */
async function openCount(page: Page): Promise<number> {
  const text = await page.locator('[data-testid=comments-button] .comments-count').textContent({ timeout: 200 }).catch(() => null);
  return text ? Number(text) : 0;
}

async function waitForOpenCount(page: Page, n: number): Promise<void> {
  const started = Date.now();
  while ((await openCount(page)) !== n) {
    if (Date.now() - started > 5000) throw new Error(`open count never became ${n} (is ${await openCount(page)})`);
    await page.waitForTimeout(50);
  }
}

async function openPanel(page: Page): Promise<void> {
  if (await page.locator('.comments-panel').count()) return;
  await page.click('[data-testid=comments-button]');
  await page.waitForSelector('.comments-panel');
}

/**
 * The C tool, a click on the stage (offsets from its corner), type, Enter: a canvas comment
 * the way a user leaves one. Returns the page point clicked (where the pin is).
 */
async function commentOnCanvas(page: Page, dx: number, dy: number, text: string): Promise<{ x: number; y: number }> {
  const spot = await stagePoint(page, dx, dy);
  await page.keyboard.press('c');
  await page.mouse.click(spot.x, spot.y);
  await page.waitForSelector('.comment-thread.is-draft textarea');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  return spot;
}

describe('comments in real browsers', () => {
  it('threads on a task and on the canvas, counts on the card and in the grid, a reply with an @mention, resolve', async () => {
    const board = await e2e.createBoard('Review');
    const ada = await e2e.openUserOn('Ada', board.editUrl);
    const bob = await e2e.openUserOn('Bob', board.editUrl);

    // Ada comments on a task from the inspector.
    const taskId = await createTaskByHand(ada.page, 200, 200, 'Design review');
    await ada.page.keyboard.press('Escape');
    const card = await ada.page.evaluate((id) => window.planvas!.canvas!.shapeRect(id), taskId);
    await ada.page.mouse.click(card!.x + 30, card!.y + 30);
    await ada.page.waitForSelector('.task-comments');
    expect(await ada.page.textContent('.task-comments h3')).toBe('Comments (0)');
    await ada.page.click('.task-comments textarea');
    await ada.page.keyboard.type('Is the scope agreed?');
    await ada.page.keyboard.press('Enter');
    await ada.page.waitForSelector('.comments-panel .comment-thread');
    expect(await ada.page.textContent('.task-comments h3')).toBe('Comments (1)');
    await screenshot(ada.page, 'issue4-comments-inspector');

    // …and drops a pin on an empty part of the canvas with the C tool.
    await ada.page.keyboard.press('Escape');
    await ada.page.click('.pv-canvas', { position: { x: 5, y: 400 } }).catch(() => undefined);
    const spot = await commentOnCanvas(ada.page, 620, 420, 'Room for the QA lane here?');
    await waitForOpenCount(ada.page, 2);
    await ada.page.waitForSelector('.comment-thread:not(.is-draft) >> text=on the canvas');

    // Bob sees both threads: the count in the header, on the card (screenshot) and in the grid.
    await waitForOpenCount(bob.page, 2);
    await screenshot(bob.page, 'issue4-comments-card-and-pin');
    await openPanel(bob.page);
    await bob.page.waitForSelector('.comments-panel >> text=Is the scope agreed?');
    await bob.page.waitForSelector('.comments-panel >> text=Room for the QA lane here?');

    // Clicking the pin focuses its thread.
    await bob.page.mouse.click(spot.x + 14, spot.y - 14);
    await bob.page.waitForSelector('.comment-thread.is-focused >> text=Room for the QA lane here?');

    // Ada closes her panel: a mention must reach her anyway.
    await ada.page.click('.comments-panel [aria-label="Close comments"]');

    // Bob replies on the task thread, picking Ada from the @mention list.
    const taskThread = bob.page.locator('.comment-thread', { hasText: 'Is the scope agreed?' });
    await taskThread.locator('textarea').click();
    await bob.page.keyboard.type('@Ad');
    await bob.page.waitForSelector('.mention-list >> text=@Ada');
    await bob.page.keyboard.press('Enter');
    await bob.page.keyboard.type('yes, signed off on Friday');
    expect(await taskThread.locator('textarea').inputValue()).toBe('@Ada yes, signed off on Friday');
    await bob.page.keyboard.press('Enter');
    await taskThread.locator('.comment-message').nth(1).waitFor();
    await screenshot(bob.page, 'issue4-comments-panel');

    // Ada gets a toast for the mention (Bob, who wrote it, does not); "Show" opens the thread.
    const mentionToast = ada.page.getByTestId('mention-toast');
    await mentionToast.waitFor();
    expect(await mentionToast.textContent()).toContain('Bob mentioned you: “@Ada yes, signed off on Friday”');
    await screenshot(ada.page, 'issue4-comments-mention-toast');
    expect(await bob.page.getByTestId('mention-toast').count()).toBe(0);
    await ada.page.getByTestId('mention-toast-show').click();
    await ada.page.waitForSelector('.comments-panel .comment-thread.is-focused >> text=yes, signed off on Friday');
    expect(await mentionToast.count()).toBe(0);

    // Ada sees the reply with her name highlighted as a mention of her.
    await ada.page.waitForSelector('.comment-mention.is-self >> text=@Ada');

    // "on task …" selects the task and centres it on the canvas.
    await taskThread.locator('.comment-anchor').click();
    await bob.page.waitForFunction((id) => window.planvas!.canvas!.store.getState().selection.has(id), taskId);
    const stage = await bob.page.evaluate(() => window.planvas!.canvas!.stageRect());
    const centred = await bob.page.evaluate((id) => window.planvas!.canvas!.shapeRect(id), taskId);
    expect(Math.abs(centred!.x + centred!.width / 2 - (stage.x + stage.width / 2))).toBeLessThan(3);
    expect(Math.abs(centred!.y + centred!.height / 2 - (stage.y + stage.height / 2))).toBeLessThan(3);

    await bob.page.evaluate(() => (window.location.hash = 'timeline'));
    await bob.page.waitForSelector('.task-grid-row .comment-count');
    expect(await bob.page.textContent('.task-grid-row .comment-count')).toBe('1');
    await screenshot(bob.page, 'issue4-comments-timeline');
    // …and on the card in the Board (Kanban) view.
    await bob.page.evaluate(() => (window.location.hash = 'board'));
    await bob.page.waitForSelector(`[data-testid="kanban-card-${taskId}"] .comment-count`);
    expect(await bob.page.textContent(`[data-testid="kanban-card-${taskId}"] .comment-count`)).toBe('1');
    await screenshot(bob.page, 'issue4-comments-kanban');
    await bob.page.evaluate(() => (window.location.hash = 'timeline'));
    await bob.page.waitForSelector('.task-grid-row .comment-count');

    // From the timeline, "on the canvas" switches to the canvas and pans to the pin.
    await bob.page.locator('.comment-thread', { hasText: 'Room for the QA lane here?' }).locator('.comment-anchor').click();
    await bob.page.waitForFunction(() => window.location.hash === '' && !!window.planvas?.canvas);
    await bob.page.waitForFunction(() => {
      const c = window.planvas!.canvas!;
      const r = c.stageRect();
      const thread = [...(window.planvas!.session!.doc.getMap('comments').values() as Iterable<{ get(k: string): unknown }>)].find((t) => t.get('anchorKind') === 'point')!;
      const p = c.toScreen(thread.get('x') as number, thread.get('y') as number);
      return Math.abs(p.x - (r.x + r.width / 2)) < 3 && Math.abs(p.y - (r.y + r.height / 2)) < 3;
    });
    await bob.page.evaluate(() => (window.location.hash = 'timeline'));
    await bob.page.waitForSelector('.task-grid-row .comment-count');

    // Bob resolves it: one open thread left everywhere, the grid badge goes.
    await taskThread.getByRole('button', { name: 'Resolve' }).click();
    await waitForOpenCount(ada.page, 1);
    await waitForOpenCount(bob.page, 1);
    await bob.page.waitForSelector('.task-grid-row .comment-count', { state: 'detached' });
    await ada.page.waitForSelector('.comments-resolved-toggle >> text=Resolved (1)');

    // Reopen from Ada's side brings it back.
    await ada.page.click('.comments-resolved-toggle');
    await ada.page.locator('.comment-thread', { hasText: 'Is the scope agreed?' }).getByRole('button', { name: 'Reopen' }).click();
    await waitForOpenCount(bob.page, 2);

    // A mention that was already there when the board loads makes no toast.
    await ada.page.reload();
    await waitForOpenCount(ada.page, 2);
    await openPanel(ada.page);
    await ada.page.waitForSelector('.comment-mention.is-self >> text=@Ada');
    await ada.page.waitForTimeout(500);
    expect(await ada.page.getByTestId('mention-toast').count()).toBe(0);
  });

  it('a viewer cannot comment while the board setting is off, and can once an editor turns it on', async () => {
    const board = await e2e.createBoard('Stakeholders');
    const ada = await e2e.openUserOn('Ada', board.editUrl);
    const vic = await e2e.openUserOn('Vic', board.viewUrl);

    await commentOnCanvas(ada.page, 400, 300, 'Stakeholders, thoughts?');
    await waitForOpenCount(vic.page, 1);

    await openPanel(vic.page);
    await vic.page.waitForSelector('.comments-panel >> text=Only editors can comment on this board');
    expect(await vic.page.locator('.comments-panel textarea').count()).toBe(0);
    expect(await vic.page.locator('.comments-panel').getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    // No Comment tool in the viewer's toolbar; the C key tells the viewer why nothing happens.
    expect(await vic.page.locator('[data-action="tool.comment"]').count()).toBe(0);
    const vspot = await stagePoint(vic.page, 200, 200);
    await vic.page.keyboard.press('c');
    await vic.page.mouse.click(vspot.x, vspot.y);
    await vic.page.waitForSelector('.toast >> text=Only editors can comment on this board');
    await screenshot(vic.page, 'issue4-comments-viewer-off');

    // An editor turns the setting on (the settings dialog writes this meta key).
    await ada.page.evaluate(() => window.planvas!.session!.doc.getMap('meta').set('viewersMayComment', true));
    await vic.page.waitForSelector('.comments-panel textarea');
    await vic.page.waitForSelector('[data-action="tool.comment"]');
    await vic.page.click('.comments-panel textarea');
    await vic.page.keyboard.type('Looks good to me');
    await vic.page.keyboard.press('Enter');
    await openPanel(ada.page);
    await ada.page.waitForSelector('.comments-panel >> text=Looks good to me');
    expect(await ada.page.textContent('.comment-thread:has-text("Looks good to me") .comment-meta strong >> nth=1')).toBe('Vic');
    // Viewers add and reply; resolving and reopening stay with the editors.
    await vic.page.waitForSelector('.comments-panel >> text=Looks good to me');
    expect(await vic.page.locator('.comments-panel').getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    expect(await ada.page.locator('.comments-panel').getByRole('button', { name: 'Resolve' }).count()).toBe(1);
    await screenshot(vic.page, 'issue4-comments-viewer-on');
  });
});
