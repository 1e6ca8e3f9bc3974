import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, launchBrowser } from '../../test/e2e/browser.ts';

/**
 * bench/run.ts pins the harness (this process) to one core with taskset, and children
 * inherit that: Chromium would share that core with the harness and the in-process server.
 * A real user's browser has the whole machine, so Chromium is started through a small
 * wrapper that widens its affinity to every core. The flags are the e2e defaults
 * (test/e2e/browser.ts: headless, --disable-gpu, i.e. software rendering).
 */

export interface BenchBrowser {
  browser: Browser;
  /** Which cores Chromium may use, for the notes. */
  cpus: string;
  close(): Promise<void>;
}

export async function launchBenchBrowser(pinned: boolean): Promise<BenchBrowser> {
  const cores = os.cpus().length;
  if (!pinned || cores < 2) {
    const browser = await launchBrowser();
    return { browser, cpus: 'inherited', close: () => browser.close() };
  }
  const cpus = `0-${cores - 1}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planvas-bench-chromium-'));
  const wrapper = path.join(dir, 'chromium');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec taskset -c ${cpus} ${JSON.stringify(CHROMIUM_PATH)} "$@"\n`, { mode: 0o755 });
  const browser = await chromium.launch({ executablePath: wrapper, args: CHROMIUM_ARGS, headless: true });
  return {
    browser,
    cpus,
    async close() {
      await browser.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
