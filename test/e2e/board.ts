import type { Page } from 'playwright-core';
import type { BoardSnapshot } from '../../shared/doc/read.ts';

/**
 * Page-side helpers for end-to-end tests. Edits go through the real mouse and keyboard;
 * `window.planvas` (client/app/testHooks.ts, client/canvas/testHooks.ts) is only read, to find
 * where shapes are on screen and what the document holds.
 */
export type PlainBoard = {
  title: string;
  tasks: Array<{ id: string; title: string; x: number; y: number; assignees: string[]; status: string }>;
  notes: Array<{ id: string; text: string; x: number; y: number }>;
  deps: Array<{ id: string; from: string; to: string }>;
};

/** The board as the page's validating read layer sees it, as plain JSON. */
export async function boardOf(page: Page): Promise<PlainBoard> {
  return page.evaluate(() => {
    const b = window.planvas!.readBoard!() as BoardSnapshot;
    return {
      title: b.meta.title,
      tasks: [...b.tasks.values()].map(({ id, title, x, y, assignees, status }) => ({ id, title, x, y, assignees, status })),
      notes: [...b.notes.values()].map(({ id, text, x, y }) => ({ id, text, x, y })),
      deps: [...b.deps.values()].map(({ id, from, to }) => ({ id, from, to })),
    };
  });
}

/**
 * Reads `read(page)` every 30 ms until `predicate` holds and returns that value; after
 * `timeout` ms throws with the last value seen (`what` names it in the message).
 */
export async function pollPage<T>(page: Page, what: string, read: (page: Page) => Promise<T>, predicate: (value: T) => boolean, timeout = 5000): Promise<T> {
  const started = Date.now();
  let last: T | null = null;
  while (Date.now() - started < timeout) {
    last = await read(page);
    if (predicate(last)) return last;
    await page.waitForTimeout(30);
  }
  throw new Error(`${what} never matched; last seen: ${JSON.stringify(last)}`);
}

/** Polls the page's board until `predicate` holds. */
export function waitForBoard(page: Page, predicate: (b: PlainBoard) => boolean, timeout = 5000): Promise<PlainBoard> {
  return pollPage(page, 'board', boardOf, predicate, timeout);
}

export async function openBoard(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.planvas?.status?.() === 'connected' && !!window.planvas?.canvas);
}

/** Page coordinates of a point of the stage, given as offsets from its top-left corner. */
export async function stagePoint(page: Page, dx: number, dy: number): Promise<{ x: number; y: number }> {
  const rect = await page.evaluate(() => window.planvas!.canvas!.stageRect());
  return { x: rect.x + dx, y: rect.y + dy };
}

/** Centre of a shape in page coordinates. */
export async function shapeCenter(page: Page, id: string): Promise<{ x: number; y: number }> {
  const r = await page.evaluate((shapeId) => window.planvas!.canvas!.shapeRect(shapeId), id);
  if (!r) throw new Error(`shape ${id} is not on the canvas`);
  return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
}

/** Task tool, click on the stage, type a title, Enter: the way a user makes a task. */
export async function createTaskByHand(page: Page, dx: number, dy: number, title: string): Promise<string> {
  const before = new Set((await boardOf(page)).tasks.map((t) => t.id));
  const at = await stagePoint(page, dx, dy);
  await page.keyboard.press('t');
  await page.mouse.click(at.x, at.y);
  await page.waitForSelector('.pv-text-editor', { timeout: 3000 }).catch(() => undefined);
  await page.keyboard.type(title);
  await page.keyboard.press('Enter');
  const board = await waitForBoard(page, (b) => b.tasks.some((t) => !before.has(t.id) && t.title === title));
  return board.tasks.find((t) => !before.has(t.id) && t.title === title)!.id;
}

/** Drags with real mouse events in small steps. */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps = 12): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps });
  await page.mouse.up();
}

/** Double-click a task, replace its title by typing, Enter: the way a user renames it inline. */
export async function renameByHand(page: Page, id: string, title: string): Promise<void> {
  const center = await shapeCenter(page, id);
  await page.mouse.dblclick(center.x, center.y);
  await page.waitForSelector('.pv-text-editor');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(title);
  await page.keyboard.press('Enter');
}

export type ScreenRect = { x: number; y: number; width: number; height: number };

/** Where a task's Gantt bar is on the page (the timeline tab must be showing). */
export async function barRect(page: Page, id: string): Promise<ScreenRect> {
  const rect = await page.evaluate((taskId) => window.planvas!.timeline!.barRect(taskId) as ScreenRect | null, id);
  if (!rect) throw new Error(`no bar for ${id}`);
  return rect;
}
