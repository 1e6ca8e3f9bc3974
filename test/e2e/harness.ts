import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { CreateBoardResponse } from '../../shared/protocol/api.ts';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts';
import { openBoard } from './board.ts';
import { launchBrowser, openUser, type UserPage, type Viewport } from './browser.ts';

export interface E2eOptions {
  /**
   * Console errors that are the browser's own messages about something the test did on
   * purpose (a refused reconnect, a failed fetch while offline, the 404 of a deleted board),
   * not the app's. Default: none, every console error fails the test.
   */
  browserNoise?: RegExp;
}

export interface E2e {
  /** The file's server (started before the first test). */
  readonly server: TestServer;
  readonly browser: Browser;
  /** A new user in their own browser context, closed after the test. */
  openUser(name: string | null, viewport?: Viewport): Promise<UserPage>;
  /** A new user with `url` open on the canvas and connected (board.ts openBoard). */
  openUserOn(name: string, url: string): Promise<UserPage>;
  /** A user kept open for the whole file (closed with the browser); errors are still checked after each test. */
  openFileUser(name: string): Promise<UserPage>;
  /** POST /api/boards on the file's server. */
  createBoard(title?: string): Promise<CreateBoardResponse>;
  /** A headless Yjs client on a board (to seed or watch it), synced; destroyed after the test. */
  connect(boardId: string, token: string): Promise<TestClient>;
}

/**
 * The setup every end-to-end file shares, registered as vitest hooks by one call at the top
 * of the file: one in-process server (with the built client) and one Chromium for the file;
 * users and headless clients a test opens are closed after it, and any console error of a
 * user that is not the browser's own noise fails the test.
 *
 * @example
 * const e2e = useE2e({ browserNoise: /WebSocket|net::ERR/ });
 * it('…', async () => {
 *   const board = await e2e.createBoard('Kickoff');
 *   const ada = await e2e.openUserOn('Ada', board.editUrl);
 * });
 */
export function useE2e(opts: E2eOptions = {}): E2e {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const testUsers: UserPage[] = [];
  const fileUsers: UserPage[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    const closing = testUsers.splice(0);
    // Read before closing: a context that closes may log its own dropped connections.
    const seen = [...closing, ...fileUsers].map((user) => ({
      user,
      ours: user.errors.splice(0).filter((e) => !opts.browserNoise?.test(e)),
    }));
    for (const user of closing) await user.context.close();
    for (const { user, ours } of seen) expect(ours, `console errors of ${user.name ?? 'a user'}`).toEqual([]);
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the e2e ${what} is used before beforeAll started it`);
    return value;
  };

  const e2e: E2e = {
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    async openUser(name, viewport) {
      const user = await openUser(e2e.browser, name, viewport);
      testUsers.push(user);
      return user;
    },
    async openUserOn(name, url) {
      const user = await e2e.openUser(name);
      await openBoard(user.page, url);
      return user;
    },
    async openFileUser(name) {
      const user = await openUser(e2e.browser, name);
      fileUsers.push(user);
      return user;
    },
    createBoard(title) {
      return createBoard(e2e.server.url, title);
    },
    async connect(boardId, token) {
      const client = connectClient(e2e.server.wsUrl, boardId, token);
      clients.push(client);
      await client.synced;
      return client;
    },
  };
  return e2e;
}
