import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.ts';
import { loadOrCreateSecret } from '../../server/auth/secret.ts';
import { linkStatus, signToken, verifyToken } from '../../server/auth/tokens.ts';
import { ROOT, makeTempDir, removeTempDir } from '../helpers/server.ts';

const SECRET = 'unit-test-secret-0123456789';
const OTHER_SECRET = 'another-secret-9876543210';

/** A v1 token as boards created before link reset got them (the format is frozen: links already shared). */
function signV1(secret: string, boardId: string, role: 'edit' | 'view'): string {
  const mac = createHmac('sha256', secret).update(`planvas/token/v1\0${boardId}\0${role}`).digest('base64url');
  return `${role === 'edit' ? 'e' : 'v'}1.${mac}`;
}

const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);
const DAY = 86_400_000;

describe('capability tokens', () => {
  const board = newId();
  const edit = signToken(SECRET, board, 'edit');
  const view = signToken(SECRET, board, 'view');

  it('verify to the role they were signed for, generation 0, no expiry', () => {
    expect(verifyToken(SECRET, board, edit)).toEqual({ role: 'edit', generation: 0, expiresAt: null });
    expect(verifyToken(SECRET, board, view)).toEqual({ role: 'view', generation: 0, expiresAt: null });
    expect(edit).not.toBe(view);
  });

  it('are v2, URL-safe and carry no board id or secret in clear', () => {
    const expiring = signToken(SECRET, board, 'view', { generation: 37, expiresAt: NOW + DAY });
    for (const t of [edit, view, expiring]) {
      expect(t).toMatch(/^[ev]2\.[0-9a-z]+\.[0-9a-z]*\.[A-Za-z0-9_-]{43}$/);
      expect(t).not.toContain(board);
      expect(t).not.toContain(SECRET);
      expect(encodeURIComponent(t)).toBe(t);
    }
    expect(edit.startsWith('e2.0..')).toBe(true);
    expect(expiring.split('.')[1]).toBe((37).toString(36));
  });

  it('carry their generation and expiry (rounded up to the second)', () => {
    const t = signToken(SECRET, board, 'view', { generation: 3, expiresAt: NOW + 1500 });
    expect(verifyToken(SECRET, board, t)).toEqual({ role: 'view', generation: 3, expiresAt: NOW + 2000 });
  });

  it('are stable: the same secret verifies them after a restart', () => {
    expect(signToken(SECRET, board, 'edit')).toBe(edit);
  });

  it('accept v1 tokens (links shared before link reset) as generation 0 without expiry', () => {
    expect(verifyToken(SECRET, board, signV1(SECRET, board, 'edit'))).toEqual({ role: 'edit', generation: 0, expiresAt: null });
    expect(verifyToken(SECRET, board, signV1(SECRET, board, 'view'))).toEqual({ role: 'view', generation: 0, expiresAt: null });
    expect(verifyToken(SECRET, newId(), signV1(SECRET, board, 'edit'))).toBeNull();
    expect(verifyToken(SECRET, board, signV1(SECRET, board, 'view').replace(/^v/, 'e'))).toBeNull();
  });

  const expiring = signToken(SECRET, board, 'view', { generation: 11, expiresAt: NOW + DAY }); // generation 'b'
  const [, gen, exp, mac] = expiring.split('.') as [string, string, string, string];
  const laterExpiry = Math.ceil((NOW + 30 * DAY) / 1000).toString(36);

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
    ['a generation raised (to dodge a reset)', () => verifyToken(SECRET, board, `v2.${(parseInt(gen, 36) + 1).toString(36)}.${exp}.${mac}`)],
    ['the expiry pushed back', () => verifyToken(SECRET, board, `v2.${gen}.${laterExpiry}.${mac}`)],
    ['the expiry removed', () => verifyToken(SECRET, board, `v2.${gen}..${mac}`)],
    ['the expiring view token made an edit token', () => verifyToken(SECRET, board, `e2.${gen}.${exp}.${mac}`)],
    ['the generation with a leading zero (a second spelling)', () => verifyToken(SECRET, board, `v2.0${gen}.${exp}.${mac}`)],
    ['the generation in upper case (a second spelling)', () => verifyToken(SECRET, board, `v2.${gen.toUpperCase()}.${exp}.${mac}`)],
    ['the expiry with a leading zero (a second spelling)', () => verifyToken(SECRET, board, `v2.${gen}.0${exp}.${mac}`)],
    ['a v2 MAC presented as v1', () => verifyToken(SECRET, board, `v1.${mac}`)],
    ['a truncated MAC', () => verifyToken(SECRET, board, edit.slice(0, -2))],
    ['an extended MAC', () => verifyToken(SECRET, board, `${edit}AA`)],
    ['an unknown version', () => verifyToken(SECRET, board, edit.replace(/^e2/, 'e3'))],
    ['a missing field', () => verifyToken(SECRET, board, `v2.${gen}.${mac}`)],
    ['an empty string', () => verifyToken(SECRET, board, '')],
    ['a huge string', () => verifyToken(SECRET, board, 'e2.0..' + 'A'.repeat(10_000))],
    ['a huge generation', () => verifyToken(SECRET, board, `e2.zzzzzzzzzzzz..${mac}`)],
    ['padding and whitespace', () => verifyToken(SECRET, board, ` ${edit}=`)],
  ])('are refused with %s', (_name, check) => {
    expect(check()).toBeNull();
  });

  it('refuse to sign a generation or expiry no token could carry', () => {
    expect(() => signToken(SECRET, board, 'edit', { generation: -1 })).toThrow(RangeError);
    expect(() => signToken(SECRET, board, 'edit', { generation: 1.5 })).toThrow(RangeError);
    expect(() => signToken(SECRET, board, 'edit', { expiresAt: Number.NaN })).toThrow(RangeError);
    expect(() => signToken(SECRET, board, 'edit', { expiresAt: 0 })).toThrow(RangeError);
  });
});

describe('whether a verified link still opens the board', () => {
  const board = newId();
  const claims = (token: string) => verifyToken(SECRET, board, token)!;
  const fresh = { linkGenerations: { edit: 0, view: 0 } };

  it('is ok for a link of the current generation that has not expired', () => {
    expect(linkStatus(claims(signToken(SECRET, board, 'edit')), fresh, NOW)).toBe('ok');
    expect(linkStatus(claims(signToken(SECRET, board, 'view', { expiresAt: NOW + 1000 })), fresh, NOW)).toBe('ok');
    // A record from before link generations existed counts as generation 0.
    expect(linkStatus(claims(signToken(SECRET, board, 'edit')), {}, NOW)).toBe('ok');
  });

  it('is expired from the expiry instant on', () => {
    const t = claims(signToken(SECRET, board, 'view', { expiresAt: NOW + 1000 }));
    expect(linkStatus(t, fresh, NOW + 999)).toBe('ok');
    expect(linkStatus(t, fresh, NOW + 1000)).toBe('expired');
    expect(linkStatus(t, fresh, NOW + DAY)).toBe('expired');
  });

  it('is revoked once the link of its role was reset, v1 links included; the other role is unaffected', () => {
    const resetEdit = { linkGenerations: { edit: 1, view: 0 } };
    expect(linkStatus(claims(signToken(SECRET, board, 'edit')), resetEdit, NOW)).toBe('revoked');
    expect(linkStatus(claims(signV1(SECRET, board, 'edit')), resetEdit, NOW)).toBe('revoked');
    expect(linkStatus(claims(signToken(SECRET, board, 'edit', { generation: 1 })), resetEdit, NOW)).toBe('ok');
    expect(linkStatus(claims(signToken(SECRET, board, 'view')), resetEdit, NOW)).toBe('ok');
    expect(linkStatus(claims(signV1(SECRET, board, 'view')), resetEdit, NOW)).toBe('ok');
    // Revoked wins over expired: the link is gone for good, not just for a while.
    expect(linkStatus(claims(signToken(SECRET, board, 'edit', { expiresAt: NOW - 1000 })), resetEdit, NOW)).toBe('revoked');
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
