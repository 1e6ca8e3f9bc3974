#!/usr/bin/env node
// Installs the system packages the test suite needs on a fresh machine (Debian's chromium
// for the end-to-end tests, PostgreSQL and Redis servers for the multi-instance tests), so
// that `npm test` works without manual steps. Runs before `npm test` (the `pretest` script).
// Needs root for apt-get; otherwise it says what to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const CHROMIUM = process.env.PLANVAS_CHROMIUM ?? '/usr/bin/chromium';
const REDIS_SERVER = process.env.PLANVAS_REDIS_SERVER ?? '/usr/bin/redis-server';

/** initdb on PATH, or in Debian's versioned directory (not on PATH by default). */
function hasInitdb() {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, 'initdb')));
  if (onPath) return true;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return false;
  return readdirSync(base).some((version) => existsSync(path.join(base, version, 'bin', 'initdb')));
}

const packages = [];
if (!existsSync(CHROMIUM)) packages.push('chromium', 'fonts-dejavu-core');
if (!hasInitdb()) packages.push('postgresql');
if (!existsSync(REDIS_SERVER)) packages.push('redis-server');
// The backup test restores an online copy made with the sqlite3 shell's `.backup`.
if (!existsSync('/usr/bin/sqlite3')) packages.push('sqlite3');

if (packages.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(`Missing system packages for the tests: ${packages.join(' ')}.\nInstall them with: sudo apt-get install -y ${packages.join(' ')}`);
  process.exit(1);
}
console.log(`Installing system packages for the tests: ${packages.join(' ')}`);
// The postgresql package also creates the unprivileged `postgres` user the PostgreSQL test
// helper runs initdb/pg_ctl as. The tests never use the system services it may start: they
// run their own servers on free loopback ports.
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
const result = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
if (result.status !== 0) {
  console.error('apt-get install failed');
  process.exit(result.status ?? 1);
}
