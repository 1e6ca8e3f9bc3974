import { createHmac, timingSafeEqual } from 'node:crypto';
import type { BoardRole } from '../../shared/protocol/api.ts';
import type { BoardRecord } from '../storage/types.ts';

/**
 * Capability tokens. Verifying needs only the secret (so links keep working after a restart
 * and on every instance); without the secret a token cannot be forged (256-bit MAC). Changing
 * the secret revokes every link.
 *
 * Format v2 (minted now):
 *   `<e|v>2.<generation, base36>.<expiry: unix seconds, base36, or empty for none>.<mac>`
 *   mac = base64url HMAC-SHA256(secret, "planvas/token/v2\0" + boardId + "\0" + role + "\0" + generation + "\0" + expiry)
 * Format v1 (boards created before v2; still accepted as generation 0 without expiry):
 *   `<e|v>1.<base64url HMAC-SHA256(secret, "planvas/token/v1\0" + boardId + "\0" + role)>`
 *
 * The generation is what "Reset link" changes: the board record holds the current generation
 * of each role (BoardRecord.linkGenerations) and a token of an older one no longer opens the
 * board. Every field has exactly one spelling (canonical base36, lower case, no leading zeros),
 * so one token never has a second form that would also verify.
 *
 * @example
 *   const t = signToken(secret, boardId, 'view', { expiresAt: Date.now() + 86_400_000 }); // 'v2.0.t5k3mo.Xk3...'
 *   const claims = verifyToken(secret, boardId, t); // { role: 'view', generation: 0, expiresAt: 1767225600000 }
 *   linkStatus(claims!, board, Date.now()) // 'ok' | 'expired' | 'revoked'
 */
export interface TokenClaims {
  role: BoardRole;
  /** The link generation it was signed for (v1 tokens: 0). */
  generation: number;
  /** Epoch milliseconds (a whole second) after which it no longer opens the board; null = never. */
  expiresAt: number | null;
}

/** What an accepted connection's token grants beyond its role (Peer.linkGeneration; closed at expiresAt). */
export type LinkGrant = Pick<TokenClaims, 'generation' | 'expiresAt'>;

export interface SignOptions {
  /** Default 0 (a new board's links). */
  generation?: number;
  /** Epoch milliseconds; rounded up to the whole second. Default null (never expires). */
  expiresAt?: number | null;
}

/** Why a token with a valid MAC does not open the board (or 'ok'). */
export type LinkStatus = 'ok' | 'expired' | 'revoked';

const ROLE_LETTER: Record<BoardRole, string> = { edit: 'e', view: 'v' };
const MAC_LENGTH = 32;
const MAC_TEXT_LENGTH = Math.ceil((MAC_LENGTH * 4) / 3);
/** Far beyond any real use (a reset a second for 60 years), small enough to stay exact. */
export const MAX_GENERATION = 2 ** 31 - 1;
/** Expiries are unix seconds below this (year 2286); a larger one is not a token we signed. */
const MAX_EXPIRY_SECONDS = 10_000_000_000;
const MAX_TOKEN_LENGTH = 200;

function macV1(secret: string, boardId: string, role: BoardRole): Buffer {
  // NUL separators: no (boardId, role) pair can be re-split into another.
  return createHmac('sha256', secret).update(`planvas/token/v1\0${boardId}\0${role}`).digest();
}

function macV2(secret: string, boardId: string, role: BoardRole, generation: string, expiry: string): Buffer {
  return createHmac('sha256', secret).update(`planvas/token/v2\0${boardId}\0${role}\0${generation}\0${expiry}`).digest();
}

/** Signs a v2 token for this board and role (generation 0 without expiry unless told otherwise). */
export function signToken(secret: string, boardId: string, role: BoardRole, options: SignOptions = {}): string {
  const generation = options.generation ?? 0;
  if (!Number.isSafeInteger(generation) || generation < 0 || generation > MAX_GENERATION) throw new RangeError(`invalid link generation ${generation}`);
  let expiry = '';
  if (options.expiresAt != null) {
    const seconds = Math.ceil(options.expiresAt / 1000);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds >= MAX_EXPIRY_SECONDS) throw new RangeError(`invalid expiry ${options.expiresAt}`);
    expiry = seconds.toString(36);
  }
  const gen = generation.toString(36);
  return `${ROLE_LETTER[role]}2.${gen}.${expiry}.${macV2(secret, boardId, role, gen, expiry).toString('base64url')}`;
}

// The groups only admit canonical base36 (no leading zero, lower case), bounded in length.
const V1 = /^([ev])1\.([A-Za-z0-9_-]+)$/;
const V2 = /^([ev])2\.(0|[1-9a-z][0-9a-z]{0,6})\.((?:[1-9a-z][0-9a-z]{0,6})?)\.([A-Za-z0-9_-]+)$/;

/**
 * The claims of a token whose MAC is valid for this board id, or null (malformed, another
 * board, another secret, tampered). Checks the MAC only, in constant time; whether the link
 * was reset or has expired is `linkStatus`'s question (it needs the board record).
 */
export function verifyToken(secret: string, boardId: string, token: string): TokenClaims | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
  const v1 = V1.exec(token);
  if (v1) {
    const role = roleOf(v1[1]!);
    return sameMac(v1[2]!, macV1(secret, boardId, role)) ? { role, generation: 0, expiresAt: null } : null;
  }
  const v2 = V2.exec(token);
  if (!v2) return null;
  const role = roleOf(v2[1]!);
  const genText = v2[2]!;
  const expiryText = v2[3]!;
  const generation = parseInt(genText, 36);
  const expirySeconds = expiryText === '' ? null : parseInt(expiryText, 36);
  if (generation > MAX_GENERATION || (expirySeconds !== null && expirySeconds >= MAX_EXPIRY_SECONDS)) return null;
  if (!sameMac(v2[4]!, macV2(secret, boardId, role, genText, expiryText))) return null;
  return { role, generation, expiresAt: expirySeconds === null ? null : expirySeconds * 1000 };
}

/**
 * Whether a verified token still opens the board: 'revoked' when its link was reset since it
 * was signed (an older generation than the board's current one for that role), 'expired'
 * when `now` (epoch ms) is at or past its expiry, else 'ok'.
 */
export function linkStatus(claims: TokenClaims, board: Pick<BoardRecord, 'linkGenerations'>, now: number): LinkStatus {
  const current = board.linkGenerations?.[claims.role] ?? 0;
  if (claims.generation < current) return 'revoked';
  if (claims.expiresAt !== null && now >= claims.expiresAt) return 'expired';
  return 'ok';
}

/** The current generation of a role's link on this board (0 until it is first reset). */
export function currentGeneration(board: Pick<BoardRecord, 'linkGenerations'>, role: BoardRole): number {
  return board.linkGenerations?.[role] ?? 0;
}

/** The error body for a refused link (403), shared by REST and the WebSocket upgrade. */
export function linkRefusal(status: Exclude<LinkStatus, 'ok'>): { error: string; reason: Exclude<LinkStatus, 'ok'> } {
  return status === 'revoked' ? { error: 'link revoked', reason: 'revoked' } : { error: 'link expired', reason: 'expired' };
}

function roleOf(letter: string): BoardRole {
  return letter === 'e' ? 'edit' : 'view';
}

/**
 * Compares the MAC text, not the decoded bytes: the last base64url character carries 2 unused
 * bits, so decoding alone would accept 4 spellings of one MAC. One token, one spelling.
 */
function sameMac(givenText: string, expected: Buffer): boolean {
  const given = Buffer.from(givenText, 'utf8');
  const wanted = Buffer.from(expected.toString('base64url'), 'utf8');
  if (given.length !== wanted.length || wanted.length !== MAC_TEXT_LENGTH) return false;
  return timingSafeEqual(given, wanted);
}
