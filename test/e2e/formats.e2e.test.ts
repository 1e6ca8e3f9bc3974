import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createThread } from '../../shared/doc/comments.ts';
import { createDependency, createNote, createTask } from '../../shared/doc/ops.ts';
import { saveBaseline } from '../../shared/doc/planOps.ts';
import { screenshot } from './browser.ts';
import { useE2e } from './harness.ts';

/**
 * Import and export in real Chromium: a Planvas JSON file imported through the file picker
 * in one browser replaces the board for everyone; a 5,000-row CSV shows progress, is checked
 * in a worker and imports in one step; a view-only link gets exports and the calendar only.
 */
const e2e = useE2e({ browserNoise: /WebSocket|net::ERR/ });

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.planvas?.status?.() === 'connected');
}

const taskTitles = (page: Page) => page.evaluate(() => [...window.planvas!.readBoard!().tasks.values()].map((t) => t.title).sort());

/** Records whether the import progress bar was ever on screen (it can be brief on a fast machine). */
async function watchForProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { sawProgress: boolean };
    w.sawProgress = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="import-progress"]')) w.sawProgress = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
}

describe('formats in the browser', () => {
  it('a JSON file exported from one board, imported through the file picker, replaces another board for every browser on it', async () => {
    // Board A, with links, a note, a baseline and a comment, written by a stock y-websocket client.
    const source = await e2e.createBoard('Source board');
    const writer = await e2e.connect(source.id, source.editToken);
    const design = createTask(writer.doc, { title: 'Design', duration: 5, x: 0, y: 0 });
    const build = createTask(writer.doc, { title: 'Build', duration: 8, x: 320, y: 0 });
    const ship = createTask(writer.doc, { title: 'Ship', milestone: true, duration: 0, x: 640, y: 0 });
    createDependency(writer.doc, design, build, { type: 'SS', lag: 2 });
    createDependency(writer.doc, build, ship);
    createNote(writer.doc, { text: 'From board A', x: 0, y: 220 });
    saveBaseline(writer.doc, 'Kickoff', { [design]: { start: '2026-03-02', finish: '2026-03-06', duration: 5, cost: 0 } }, '2026-03-01T00:00:00.000Z');
    createThread(writer.doc, { anchor: { kind: 'task', taskId: build }, text: 'Is 8 days enough?', author: { name: 'Ann', color: '#e5484d' } });
    await expect.poll(async () => (await (await fetch(`${e2e.server.url}/api/boards/${source.id}/schedule?token=${source.viewToken}`)).json()).tasks.length).toBe(3);
    const file = await (await fetch(`${e2e.server.url}/api/boards/${source.id}/export?format=json&token=${source.viewToken}`)).text();

    const target = await e2e.createBoard('Target board');
    const ada = await e2e.openUser('Ada');
    const bob = await e2e.openUser('Bob');
    await open(ada.page, target.editUrl);
    await open(bob.page, target.editUrl);

    await ada.page.getByRole('button', { name: 'Import / Export' }).click();
    await screenshot(ada.page, 'issue4-B1-menu-editor');
    await ada.page.getByTestId('import-file-input').setInputFiles({ name: 'Source board.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    const dialog = ada.page.getByTestId('import-dialog');
    await expect.poll(() => dialog.getAttribute('data-phase'), { timeout: 15_000 }).toBe('ready');
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain('Ready to import: 3 tasks, 2 links, 1 note, 1 baseline and 1 comment thread');
    expect(text).toContain('replaces everything on this board');
    await screenshot(ada.page, 'issue4-B1-json-ready');
    // Nothing is written before the user confirms.
    expect(await taskTitles(bob.page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Replace board content' }).click();
    await expect.poll(() => dialog.getAttribute('data-phase'), { timeout: 15_000 }).toBe('done');

    await expect.poll(() => taskTitles(bob.page), { timeout: 5000 }).toEqual(['Build', 'Design', 'Ship']);
    const bobBoard = await bob.page.evaluate(() => {
      const b = window.planvas!.readBoard!();
      return { title: b.meta.title, deps: [...b.deps.values()].map((d) => [d.type, d.lag]).sort(), notes: [...b.notes.values()].map((n) => n.text), baselines: b.baselines.map((x) => x.name) };
    });
    expect(bobBoard).toEqual({ title: 'Source board', deps: [['FS', 0], ['SS', 2]], notes: ['From board A'], baselines: ['Kickoff'] });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await screenshot(bob.page, 'issue4-B1-json-imported-other-browser');

    // The server's export of the target is now the file (same ids), apart from the export time.
    const blank = (s: string) => s.replace(/"exportedAt": "[^"]*"/, '');
    await expect.poll(async () => blank(await (await fetch(`${e2e.server.url}/api/boards/${target.id}/export?format=json&token=${target.viewToken}`)).text())).toBe(blank(file));

    // The import was one local step: one undo takes it back, for everyone.
    await ada.page.evaluate(() => window.planvas!.session!.undoManager.undo());
    await expect.poll(() => taskTitles(bob.page), { timeout: 5000 }).toEqual([]);
  });

  it('a 5,000-row CSV shows progress while it is read and checked, then imports in one step for everyone; a bad file lists its problems and imports nothing', async () => {
    const board = await e2e.createBoard('Big plan');
    const ada = await e2e.openUser('Ada');
    const bob = await e2e.openUser('Bob');
    await open(ada.page, board.editUrl);
    await open(bob.page, board.editUrl);

    const rows = ['ID,Name,Duration,Predecessors'];
    for (let i = 1; i <= 5000; i++) rows.push(`${i},Task ${i},${(i % 5) + 1} days,${i > 1 && i % 10 !== 1 ? i - 1 : ''}`);
    await watchForProgress(ada.page);
    await ada.page.getByRole('button', { name: 'Import / Export' }).click();
    await ada.page.getByTestId('import-file-input').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\r\n') + '\r\n') });
    const dialog = ada.page.getByTestId('import-dialog');
    await dialog.waitFor();
    if ((await dialog.getAttribute('data-phase')) !== 'ready') await screenshot(ada.page, 'issue4-B1-csv-progress');
    await expect.poll(() => dialog.getAttribute('data-phase'), { timeout: 30_000 }).toBe('ready');
    expect(await ada.page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress)).toBe(true);
    expect(await dialog.textContent()).toContain('Ready to import: 5,000 tasks and 4,500 links');
    await screenshot(ada.page, 'issue4-B1-csv-ready');
    expect(await ada.page.evaluate(() => window.planvas!.readBoard!().tasks.size)).toBe(0);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => dialog.getAttribute('data-phase'), { timeout: 15_000 }).toBe('done');
    expect(await dialog.textContent()).toContain('Imported 5,000 tasks and 4,500 links');
    // Its update (~3 MB) is larger than one WebSocket message may be, so the server applied it:
    // both browsers have it and stay connected (no refused message, no reconnect loop).
    await expect.poll(() => ada.page.evaluate(() => window.planvas!.readBoard!().tasks.size), { timeout: 15_000 }).toBe(5000);
    await expect.poll(() => bob.page.evaluate(() => window.planvas!.readBoard!().tasks.size), { timeout: 15_000 }).toBe(5000);
    await ada.page.waitForTimeout(500);
    expect(await ada.page.evaluate(() => window.planvas!.status!())).toBe('connected');
    expect(await bob.page.evaluate(() => window.planvas!.status!())).toBe('connected');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // A JSON file with bad entities: every problem listed, nothing imported.
    const bad = JSON.stringify({ format: 'planvas-board', version: 1, board: { tasks: { 'no good': { title: 'x' } }, deps: { AAAAAAAAAAAAAAAAAAAAA: { type: 'FS' } } } });
    await ada.page.getByRole('button', { name: 'Import / Export' }).click();
    await ada.page.getByTestId('import-file-input').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
    await expect.poll(() => dialog.getAttribute('data-phase'), { timeout: 15_000 }).toBe('failed');
    const failed = (await dialog.textContent()) ?? '';
    expect(failed).toContain('Nothing was imported: the file has 2 problems');
    expect(failed).toContain('"no good" is not a valid id');
    expect(failed).toContain('needs both "from" and "to"');
    await screenshot(ada.page, 'issue4-B1-json-errors');
    expect(await ada.page.evaluate(() => window.planvas!.readBoard!().tasks.size)).toBe(5000);
  });

  it('a file dropped on the board goes through the same check-and-confirm dialog', async () => {
    const board = await e2e.createBoard('Drop target');
    const ada = await e2e.openUser('Ada');
    await open(ada.page, board.editUrl);
    const csv = 'ID,Name,Duration,Predecessors\r\n1,Design,3 days,\r\n2,Build,2 days,1\r\n';
    await ada.page.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      const target = document.querySelector('.board-body')!;
      for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, csv);
    const dialog = ada.page.getByTestId('import-dialog');
    await expect.poll(() => dialog.getAttribute('data-phase'), { timeout: 15_000 }).toBe('ready');
    expect(await dialog.textContent()).toContain('Ready to import: 2 tasks and 1 link');
    expect(await taskTitles(ada.page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => taskTitles(ada.page)).toEqual(['Build', 'Design']);
  });

  it('a view-only link has no import entries, and gets the exports and a calendar URL with the view token', async () => {
    const board = await e2e.createBoard('Watched board');
    const viewer = await e2e.openUser('Vera');
    await open(viewer.page, board.viewUrl);
    await viewer.page.getByRole('button', { name: 'Import / Export' }).click();
    const menu = viewer.page.getByRole('dialog', { name: 'Import or export the plan' });
    await menu.waitFor();
    expect(await menu.getByRole('button', { name: /^Import/ }).count()).toBe(0);
    expect(await viewer.page.getByTestId('import-file-input').count()).toBe(0);
    for (const name of [/^Export CSV/, /^Export JSON/, /^Export MS Project XML/]) expect(await menu.getByRole('button', { name }).count()).toBe(1);
    await menu.getByRole('button', { name: /Subscribe to calendar/ }).click();
    const url = await viewer.page.getByLabel('Calendar subscription URL').inputValue();
    expect(url).toBe(`${e2e.server.url}/api/boards/${board.id}/calendar.ics?token=${encodeURIComponent(board.viewToken)}`);
    await screenshot(viewer.page, 'issue4-B1-viewer-menu-calendar');
    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('BEGIN:VCALENDAR');
  });
});
