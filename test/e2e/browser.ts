import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core (no browser download). Each user gets their
 * own BrowserContext: separate storage, IndexedDB and service worker, like two people on two
 * machines.
 */
export const CHROMIUM_PATH = process.env.PLANVAS_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.resolve('test-artifacts');

/** The flags every headless Chromium here runs with (tests and benchmarks). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface UserPage {
  /** The remembered name (null: none, the name prompt shows). */
  name: string | null;
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far (tests assert there are none). */
  errors: string[];
}

const USER_COLORS = ['#e5484d', '#0090ff', '#30a46c', '#8e4ec6'];
let nextColor = 0;

export type Viewport = { width: number; height: number };

/** A new user (own context) with a remembered name and colour, so the name prompt does not block. */
export async function openUser(browser: Browser, name: string | null, viewport: Viewport = { width: 1280, height: 800 }): Promise<UserPage> {
  const color = USER_COLORS[nextColor++ % USER_COLORS.length]!;
  const context = await browser.newContext({ viewport });
  if (name !== null) {
    await context.addInitScript(
      ([n, c]) => {
        if (!localStorage.getItem('planvas.identity')) localStorage.setItem('planvas.identity', JSON.stringify({ name: n, color: c }));
      },
      [name, color] as const,
    );
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  return { name, context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
