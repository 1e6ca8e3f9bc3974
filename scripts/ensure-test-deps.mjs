#!/usr/bin/env node
// Installs the system packages the test suite needs on a fresh machine (Debian's chromium
// for the end-to-end tests), so that `npm test` works without manual steps. Runs before
// `npm test` (the `pretest` script). Needs root for apt-get; otherwise it says what to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.PLANVAS_CHROMIUM ?? '/usr/bin/chromium';
const packages = [];
if (!existsSync(CHROMIUM)) packages.push('chromium', 'fonts-dejavu-core');

if (packages.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(`Missing system packages for the tests: ${packages.join(' ')}.\nInstall them with: sudo apt-get install -y ${packages.join(' ')}`);
  process.exit(1);
}
console.log(`Installing system packages for the tests: ${packages.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
const result = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
if (result.status !== 0) {
  console.error('apt-get install failed');
  process.exit(result.status ?? 1);
}
