import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.ts';
import { loadOrCreateSecret } from '../../server/auth/secret.ts';
import { signToken, verifyToken } from '../../server/auth/tokens.ts';
import { ROOT, makeTempDir, removeTempDir } from '../helpers/server.ts';

const SECRET = 'unit-test-secret-0123456789';
const OTHER_SECRET = 'another-secret-9876543210';

describe('capability tokens', () => {
  const board = newId();
  const edit = signToken(SECRET, board, 'edit');
  const view = signToken(SECRET, board, 'view');

  it('verify to the role they were signed for', () => {
    expect(verifyToken(SECRET, board, edit)).toBe('edit');
    expect(verifyToken(SECRET, board, view)).toBe('view');
    expect(edit).not.toBe(view);
  });

  it('are URL-safe and carry no board id or secret in clear', () => {
    for (const t of [edit, view]) {
      expect(t).toMatch(/^[ev]1\.[A-Za-z0-9_-]{43}$/);
      expect(t).not.toContain(board);
      expect(encodeURIComponent(t)).toBe(t);
    }
  });

  it('are stable: the same secret verifies them after a restart', () => {
    expect(signToken(SECRET, board, 'edit')).toBe(edit);
  });

  it.each([
    ['another board', () => verifyToken(SECRET, newId(), edit)],
    ['another secret', () => verifyToken(OTHER_SECRET, board, edit)],
    ['a role letter flipped (view -> edit)', () => verifyToken(SECRET, board, view.replace(/^v/, 'e'))],
    ['a role letter flipped (edit -> view)', () => verifyToken(SECRET, board, edit.replace(/^e/, 'v'))],
    ['one MAC character changed', () => verifyToken(SECRET, board, edit.slice(0, -1) + (edit.endsWith('A') ? 'B' : 'A'))],
    ['another spelling of the same MAC bytes (last character)', () => {
      const last = edit.at(-1)!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const i = alphabet.indexOf(last);
      // Flipping the lowest bit of the last character changes only padding bits.
      return verifyToken(SECRET, board, edit.slice(0, -1) + alphabet[i ^ 1]);
    }],
    ['a truncated MAC', () => verifyToken(SECRET, board, edit.slice(0, -2))],
    ['an extended MAC', () => verifyToken(SECRET, board, `${edit}AA`)],
    ['an unknown version', () => verifyToken(SECRET, board, edit.replace(/^e1/, 'e2'))],
    ['an empty string', () => verifyToken(SECRET, board, '')],
    ['a huge string', () => verifyToken(SECRET, board, 'e1.' + 'A'.repeat(10_000))],
    ['padding and whitespace', () => verifyToken(SECRET, board, ` ${edit}=`)],
  ])('are refused with %s', (_name, check) => {
    expect(check()).toBeNull();
  });
});

describe('the signing secret', () => {
  it('is generated once into <data-dir>/secret with mode 0600 and reused', () => {
    const dir = makeTempDir('planvas-secret-');
    try {
      const first = loadOrCreateSecret(dir, null);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(fs.statSync(path.join(dir, 'secret')).mode & 0o777).toBe(0o600);
      expect(loadOrCreateSecret(dir, null)).toBe(first);
      expect(loadOrCreateSecret(dir, 'from-the-environment-123')).toBe('from-the-environment-123');
    } finally {
      removeTempDir(dir);
    }
  });

  it('is created atomically: processes starting at once on one data dir all get the same, complete secret', async () => {
    const dir = makeTempDir('planvas-secret-race-');
    try {
      const script = `const { loadOrCreateSecret } = await import(${JSON.stringify(path.join(ROOT, 'server/auth/secret.ts'))});
        process.stdout.write(loadOrCreateSecret(${JSON.stringify(dir)}, null));`;
      const run = () => promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT });
      const results = await Promise.all(Array.from({ length: 8 }, run));
      const secrets = new Set(results.map((r) => r.stdout));
      expect(secrets.size).toBe(1);
      expect([...secrets][0]!.length).toBeGreaterThanOrEqual(32);
      expect(fs.readFileSync(path.join(dir, 'secret'), 'utf8')).toBe([...secrets][0]);
      expect(fs.readdirSync(dir)).toEqual(['secret']); // no temp files left behind
    } finally {
      removeTempDir(dir);
    }
  }, 30_000);
});
