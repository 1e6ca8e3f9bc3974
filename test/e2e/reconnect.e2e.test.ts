import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBoard, makeTempDir, removeTempDir, spawnServer, type ChildServer } from '../helpers/server.ts';
import { boardOf, createTaskByHand, openBoard, waitForBoard } from './board.ts';
import { launchBrowser, openUser, screenshot, type UserPage } from './browser.ts';

/**
 * The server goes away under two people and comes back on the same address and data: the
 * badge says so, edits made meanwhile arrive, and everyone is back in the presence list at
 * once (not after awareness's 15 s renewal).
 */
let browser: Browser;
let server: ChildServer;
const dataDir = makeTempDir('planvas-e2e-restart-');
const users: UserPage[] = [];

beforeAll(async () => {
  server = await spawnServer({ dataDir });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const u of users) await u.context.close();
  await browser?.close();
  await server?.stop();
  removeTempDir(dataDir);
});

const presenceCount = (u: UserPage) => u.page.evaluate(() => document.querySelectorAll('.avatars .avatar-item').length);

describe('a server restart under two people', () => {
  it('shows reconnecting, keeps edits made meanwhile, and restores presence at once', async () => {
    const board = await createBoard(server.url, 'Restart');
    const ada = await openUser(browser, 'Ada');
    const bob = await openUser(browser, 'Bob');
    users.push(ada, bob);
    await openBoard(ada.page, board.editUrl);
    await openBoard(bob.page, board.editUrl);
    await createTaskByHand(ada.page, 200, 200, 'Before the restart');
    await waitForBoard(bob.page, (b) => b.tasks.length === 1);
    await bob.page.waitForFunction(() => document.querySelectorAll('.avatars .avatar-item').length === 2);

    const port = server.port;
    expect((await server.stop()).code).toBe(0);
    await ada.page.waitForFunction(() => window.planvas?.status?.() === 'reconnecting', undefined, { timeout: 10_000 });
    await createTaskByHand(ada.page, 500, 350, 'During the outage');
    await screenshot(ada.page, 'e2e-restart-reconnecting');

    server = await spawnServer({ dataDir, args: ['--port', String(port)] });
    await ada.page.waitForFunction(() => window.planvas?.status?.() === 'connected', undefined, { timeout: 20_000 });
    await bob.page.waitForFunction(() => window.planvas?.status?.() === 'connected', undefined, { timeout: 20_000 });
    const seen = await waitForBoard(bob.page, (b) => b.tasks.length === 2, 10_000);
    expect(seen.tasks.map((t) => t.title).sort()).toEqual(['Before the restart', 'During the outage']);

    // No pointer moves from here on: presence must come back by itself.
    await ada.page.waitForFunction(() => document.querySelectorAll('.avatars .avatar-item').length === 2, undefined, { timeout: 5000 });
    await bob.page.waitForFunction(() => document.querySelectorAll('.avatars .avatar-item').length === 2, undefined, { timeout: 5000 });
    expect([await presenceCount(ada), await presenceCount(bob)]).toEqual([2, 2]);
    expect((await boardOf(ada.page)).tasks).toHaveLength(2);
    await screenshot(bob.page, 'e2e-restart-reconnected');
  });
});
