import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createDependency, createTask } from '../../shared/doc/ops.ts';
import { barRect } from './board.ts';
import { screenshot } from './browser.ts';
import { useE2e } from './harness.ts';

/**
 * The planner views in real Chromium, two users on one board: a bar dragged in one
 * timeline moves its dependents and the critical path in the other; a card moved on one
 * Kanban board shows its new status in the other's timeline.
 */
const e2e = useE2e({ browserNoise: /WebSocket|net::ERR/ });

/** A board with Design (3d) -> Build (2d), and Docs (8d) alone: Docs is the critical path. */
async function seededBoard() {
  const board = await e2e.createBoard('Release plan');
  const client = await e2e.connect(board.id, board.editToken);
  const doc = client.doc;
  doc.getMap('meta').set('projectStart', '2026-11-16'); // a Monday
  const design = createTask(doc, { title: 'Design', duration: 3, status: 'in-progress', x: 0, y: 0 });
  const build = createTask(doc, { title: 'Build', duration: 2, status: 'todo', x: 300, y: 0 });
  const docs = createTask(doc, { title: 'Docs', duration: 8, status: 'todo', x: 0, y: 200 });
  createDependency(doc, design, build);
  return { board, ids: { design, build, docs } };
}

async function openView(page: Page, url: string, view: 'timeline' | 'board'): Promise<void> {
  await page.goto(`${url}#${view}`);
  await page.waitForFunction(() => window.planvas?.status?.() === 'connected');
  if (view === 'timeline') await page.waitForFunction(() => !!(window.planvas as { timeline?: unknown } | undefined)?.timeline);
  else await page.getByTestId('kanban-column-todo').waitFor();
}

describe('planner views, two people in real browsers', () => {
  it('dragging a bar in one timeline moves its dependents and the critical path in the other', async () => {
    const { board, ids } = await seededBoard();
    const ada = await e2e.openUser('Ada');
    const bob = await e2e.openUser('Bob');
    await openView(ada.page, board.editUrl, 'timeline');
    await openView(bob.page, board.editUrl, 'timeline');

    const before = await bob.page.evaluate(() => window.planvas!.schedule!());
    expect(before.tasks[ids.build]).toMatchObject({ start: '2026-11-19', critical: false });
    expect(before.tasks[ids.docs]?.critical).toBe(true);
    const buildBefore = await barRect(bob.page, ids.build);

    // Ada drags Design five days to the right with the mouse (36 px a day at the day scale).
    const bar = await barRect(ada.page, ids.design);
    const y = bar.y + bar.height / 2;
    await ada.page.mouse.move(bar.x + 20, y);
    await ada.page.mouse.down();
    for (let i = 1; i <= 10; i++) await ada.page.mouse.move(bar.x + 20 + i * 18, y);
    await ada.page.mouse.up();

    // Bob sees Build pushed after Design, and the critical path moved from Docs to Design -> Build.
    await bob.page.waitForFunction(
      ({ build }) => window.planvas!.schedule!().tasks[build]?.start === '2026-11-26',
      { build: ids.build },
      { timeout: 5000 },
    );
    const after = await bob.page.evaluate(() => window.planvas!.schedule!());
    expect(after.tasks[ids.design]).toMatchObject({ start: '2026-11-23', finish: '2026-11-25', critical: true });
    expect(after.tasks[ids.build]).toMatchObject({ start: '2026-11-26', finish: '2026-11-27', critical: true });
    expect(after.tasks[ids.docs]).toMatchObject({ critical: false, totalFloat: 2 });
    const buildAfter = await barRect(bob.page, ids.build);
    expect(buildAfter.x - buildBefore.x).toBeGreaterThan(5 * 36);
    await screenshot(bob.page, 'planner-timeline-after-drag-bob');
    await screenshot(ada.page, 'planner-timeline-after-drag-ada');
  });

  it('a card moved on one Kanban board shows its new status in the other timeline', async () => {
    const { board, ids } = await seededBoard();
    const ada = await e2e.openUser('Ada');
    const bob = await e2e.openUser('Bob');
    await openView(ada.page, board.editUrl, 'board');
    await openView(bob.page, board.editUrl, 'timeline');
    const bobStatus = bob.page.locator(`[data-task-id="${ids.build}"] [data-testid="grid-status"]`);
    await expect.poll(() => bobStatus.textContent()).toBe('To do');

    // Ada drags the Build card from "To do" into "Done" with the mouse.
    const card = await ada.page.getByTestId(`kanban-card-${ids.build}`).boundingBox();
    const target = await ada.page.locator('[data-testid="kanban-column-done"] .kanban-cards').boundingBox();
    if (!card || !target) throw new Error('card or column not on screen');
    await ada.page.mouse.move(card.x + card.width / 2, card.y + card.height / 2);
    await ada.page.mouse.down();
    // The Done column is the last one, partly off the right edge at 1280 px: aim at its left part.
    const to = { x: target.x + 40, y: target.y + 40 };
    for (let i = 1; i <= 10; i++) {
      await ada.page.mouse.move(card.x + card.width / 2 + ((to.x - card.x - card.width / 2) * i) / 10, card.y + card.height / 2 + ((to.y - card.y - card.height / 2) * i) / 10);
    }
    await ada.page.mouse.up();
    await expect.poll(() => ada.page.evaluate((id) => window.planvas!.readBoard!().tasks.get(id)?.status, ids.build)).toBe('done');

    await expect.poll(() => bobStatus.textContent(), { timeout: 5000 }).toBe('Done');
    await expect.poll(() => ada.page.locator('[data-testid="kanban-column-done"] [data-testid^="kanban-card-"]').count()).toBe(1);
    await screenshot(ada.page, 'planner-kanban-after-move-ada');
    await screenshot(bob.page, 'planner-timeline-status-bob');
  });

  it('a CSV from MS Project imported in one browser appears in the other; a file with bad rows imports nothing and says why', async () => {
    const board = await e2e.createBoard('Imported plan');
    const ada = await e2e.openUser('Ada');
    const bob = await e2e.openUser('Bob');
    await openView(ada.page, board.editUrl, 'timeline');
    await openView(bob.page, board.editUrl, 'timeline');

    await ada.page.getByRole('button', { name: 'Import / Export' }).click();
    const input = ada.page.getByTestId('import-file-input');
    await input.setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('ID,Name,Duration,Predecessors\r\n1,Design,five,\r\n2,Self,3 days,2\r\n3,Ship,1 day,9\r\n'),
    });
    const dialog = ada.page.getByTestId('import-dialog');
    await expect.poll(() => dialog.getAttribute('data-phase'), { timeout: 15_000 }).toBe('failed');
    const result = dialog.locator('.io-result');
    await expect.poll(() => dialog.textContent()).toMatch(/nothing .*changed|bad row/i);
    const errorText = (await result.textContent()) ?? '';
    expect(errorText).toContain('row 2');
    expect(errorText).toContain('row 3');
    expect(errorText).toContain('row 4');
    expect(await ada.page.evaluate(() => window.planvas!.readBoard!().tasks.size)).toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();

    await ada.page.getByRole('button', { name: 'Import / Export' }).click();
    await input.setInputFiles({
      name: 'plan.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'ID,Name,Duration,Start,Finish,Predecessors,% Complete,Resource Names,Cost,Milestone,Outline Level\r\n' +
          '1,Launch,14 days,Mon 1/5/26 8:00 AM,Fri 1/23/26 5:00 PM,,0%,,"$0.00",No,1\r\n' +
          '2,Design,5 days,Mon 1/5/26 8:00 AM,Fri 1/9/26 5:00 PM,,50%,Ada,"$1,200.00",No,2\r\n' +
          '3,Build,8 days,Mon 1/12/26 8:00 AM,Wed 1/21/26 5:00 PM,2,0%,"Bob,Ada","$4,000.00",No,2\r\n' +
          '4,Go live,0 days,Wed 1/21/26 5:00 PM,Wed 1/21/26 5:00 PM,3,0%,,"$0.00",Yes,1\r\n',
      ),
    });
    // Everything is checked first; nothing is written until the user confirms.
    await expect.poll(() => dialog.getAttribute('data-phase'), { timeout: 15_000 }).toBe('ready');
    expect(await ada.page.evaluate(() => window.planvas!.readBoard!().tasks.size)).toBe(0);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => dialog.textContent()).toContain('Imported 4 tasks and 2 links');
    // Bob's timeline shows the plan: Build after Design, Go live on Build's last day.
    await bob.page.waitForFunction(() => Object.keys(window.planvas!.schedule!().tasks).length === 4);
    const schedule = await bob.page.evaluate(() => window.planvas!.schedule!());
    const byTitle = await bob.page.evaluate(() => Object.fromEntries([...window.planvas!.readBoard!().tasks.values()].map((t) => [t.title, t.id])));
    expect(schedule.tasks[byTitle.Build!]).toMatchObject({ start: '2026-01-12', finish: '2026-01-21', critical: true });
    expect(schedule.tasks[byTitle['Go live']!]).toMatchObject({ start: '2026-01-21', finish: '2026-01-21' });
    await expect.poll(() => bob.page.locator('.task-grid-row').count()).toBe(4);
    await screenshot(ada.page, 'planner-import-ada');
    await screenshot(bob.page, 'planner-import-bob');
  });

  it('a CSV file dropped onto the board imports it, and the canvas shows the new cards with their dates', async () => {
    const board = await e2e.createBoard('Dropped plan');
    const ada = await e2e.openUser('Ada');
    await ada.page.goto(board.editUrl);
    await ada.page.waitForFunction(() => window.planvas?.status?.() === 'connected' && !!window.planvas?.canvas);
    // A real drag of a file from the desktop: dragenter, dragover and drop with a DataTransfer holding the file.
    await ada.page.evaluate(() => {
      const csv = 'Name,Duration,Start,Predecessors\r\nBrief,2 days,2026-01-05,\r\nBuild,3 days,,1\r\n';
      const data = new DataTransfer();
      data.items.add(new File([csv], 'plan.csv', { type: 'text/csv' }));
      const target = document.querySelector('.board-body')!;
      for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    const dialog = ada.page.getByTestId('import-dialog');
    await expect.poll(() => dialog.getAttribute('data-phase'), { timeout: 15_000 }).toBe('ready');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => dialog.textContent()).toContain('Imported 2 tasks and 1 link');
    const schedule = await ada.page.evaluate(() => window.planvas!.schedule!());
    const ids = await ada.page.evaluate(() => Object.fromEntries([...window.planvas!.readBoard!().tasks.values()].map((t) => [t.title, t.id])));
    expect(schedule.tasks[ids.Build!]).toMatchObject({ start: '2026-01-07', finish: '2026-01-09' });
    expect(await ada.page.evaluate((id) => window.planvas!.canvas!.shapeIds().includes(id), ids.Build!)).toBe(true);
    await screenshot(ada.page, 'planner-csv-dropped-canvas');
  });
});
