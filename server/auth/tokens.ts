import { createHmac, timingSafeEqual } from 'node:crypto';
import type { BoardRole } from '../../shared/protocol/api.ts';

/**
 * Capability tokens: `<role letter>1.<base64url HMAC-SHA256(secret, "planvas/token/v1", boardId, role)>`.
 * 'e' = edit, 'v' = view, '1' = token format version. Verifying needs only the secret, so a
 * board's links keep working after a restart; without the secret a token cannot be forged
 * (256-bit MAC). Changing the secret revokes every link.
 *
 * @example
 *   const t = signToken(secret, boardId, 'view'); // 'v1.Xk3...'
 *   verifyToken(secret, boardId, t) // 'view'
 */
const VERSION = '1';
const ROLE_LETTER: Record<BoardRole, string> = { edit: 'e', view: 'v' };
const MAC_LENGTH = 32;

function mac(secret: string, boardId: string, role: BoardRole): Buffer {
  // NUL separators: no (boardId, role) pair can be re-split into another.
  return createHmac('sha256', secret).update(`planvas/token/v${VERSION}\0${boardId}\0${role}`).digest();
}

export function signToken(secret: string, boardId: string, role: BoardRole): string {
  return `${ROLE_LETTER[role]}${VERSION}.${mac(secret, boardId, role).toString('base64url')}`;
}

/** The role the token grants on this board, or null when it is not a valid token for it. */
export function verifyToken(secret: string, boardId: string, token: string): BoardRole | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const match = /^([ev])1\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!match) return null;
  const role: BoardRole = match[1] === 'e' ? 'edit' : 'view';
  // Compare the text, not the decoded bytes: the last base64url character carries 2 unused
  // bits, so decoding alone would accept 4 spellings of one MAC. One token, one spelling.
  const given = Buffer.from(match[2]!, 'utf8');
  const expected = Buffer.from(mac(secret, boardId, role).toString('base64url'), 'utf8');
  if (given.length !== expected.length || expected.length !== Math.ceil((MAC_LENGTH * 4) / 3)) return null;
  return timingSafeEqual(given, expected) ? role : null;
}
