import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The token signing secret: PLANVAS_SECRET when set, else `<dataDir>/secret`, created once
 * (mode 0600, exclusive create so two servers starting at once agree on one secret).
 */
export function loadOrCreateSecret(dataDir: string, fromEnv: string | null): string {
  if (fromEnv !== null) return fromEnv;
  const file = path.join(dataDir, 'secret');
  try {
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 16) throw new Error(`${file} holds no usable secret; delete it to generate a new one (this revokes every link)`);
  return secret;
}
