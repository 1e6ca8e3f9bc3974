// Builds the client (vite build -> dist/client) only when it is missing or older than any
// file it is built from. Shared by `npm start` (scripts/start.mjs) and the test global setup.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['client', 'shared', 'vite.config.ts', 'package.json'];
const OUTPUT = path.join(ROOT, 'dist', 'client', 'index.html');

function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file shows up as a newer directory mtime
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** 'missing-entry' | 'up-to-date' | 'stale' | 'missing' */
export function clientBuildState() {
  if (!fs.existsSync(path.join(ROOT, 'client', 'index.html'))) return 'missing-entry';
  let built;
  try {
    built = fs.statSync(OUTPUT).mtimeMs;
  } catch {
    return 'missing';
  }
  const newest = Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
  return newest > built ? 'stale' : 'up-to-date';
}

/**
 * Runs `vite build` when needed. Returns what happened: 'built', 'up-to-date', or
 * 'no-client' when client/index.html does not exist yet (nothing to build).
 * Set PLANVAS_SKIP_CLIENT_BUILD=1 to never build (server-only work).
 */
export async function buildClientIfNeeded({ log = (msg) => process.stderr.write(`${msg}\n`) } = {}) {
  if (process.env.PLANVAS_SKIP_CLIENT_BUILD === '1') return 'skipped';
  const state = clientBuildState();
  if (state === 'missing-entry') {
    log('client/index.html does not exist: not building the client');
    return 'no-client';
  }
  if (state === 'up-to-date') return 'up-to-date';
  log(`building the client (${state})...`);
  // A child process with NODE_ENV=production: the caller may run under NODE_ENV=test (Vitest),
  // which would make Vite bundle React's development build and skip the service worker.
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status ?? result.signal})`);
  // vite may keep an older mtime when output is identical; make "built" newer than the sources.
  const now = new Date();
  fs.utimesSync(OUTPUT, now, now);
  return 'built';
}
