import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The token signing secret: PLANVAS_SECRET when set, else `<dataDir>/secret`, created once.
 *
 * Creation is atomic: the secret is written and fsynced to a private temp file (mode 0600),
 * then hard-linked to `secret`, which fails if it exists. So two servers starting at once on
 * one data dir agree on one secret, and a reader never sees a half-written or empty file
 * (an exclusive create followed by a write would let the second process read it empty).
 *
 * @example const secret = loadOrCreateSecret('./data', process.env.PLANVAS_SECRET ?? null)
 */
export function loadOrCreateSecret(dataDir: string, fromEnv: string | null): string {
  if (fromEnv !== null) return fromEnv;
  const file = path.join(dataDir, 'secret');
  if (!fs.existsSync(file)) createOnce(file);
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 16) throw new Error(`${file} holds no usable secret; delete it to generate a new one (this revokes every link)`);
  return secret;
}

function createOnce(file: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, randomBytes(32).toString('base64url'));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    // EEXIST: another process won the race; its secret is complete (linked after fsync).
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
