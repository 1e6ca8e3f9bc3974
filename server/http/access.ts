import type { Context, MiddlewareHandler } from 'hono';
import { isValidId } from '../../shared/ids.ts';
import type { BoardRole } from '../../shared/protocol/api.ts';
import { linkRefusal, linkStatus, verifyToken, type TokenClaims } from '../auth/tokens.ts';
import type { Logger } from '../log.ts';
import type { BoardRecord, BoardStore } from '../storage/types.ts';
import { RoomUnavailableError, type Room } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';

/** Context variables set by `authorizeBoard` for the handlers after it. */
export type BoardAccessEnv = { Variables: { boardId: string; role: BoardRole; board: BoardRecord; claims: TokenClaims } };

/** What `authorizeBoard` and the WebSocket upgrade need to check a token. */
export interface TokenCheckDeps {
  secret: string;
  store: BoardStore;
}

export type TokenCheck =
  | { ok: true; board: BoardRecord; claims: TokenClaims }
  | { ok: false; status: 403 | 404; body: { error: string; reason?: 'revoked' | 'expired' } };

/**
 * Checks a present token for a well-formed board id, in this order: MAC (403 "invalid token",
 * before any lookup, so a wrong token never learns whether a board exists), board exists (404),
 * link not reset (403 "link revoked", reason "revoked") and not expired (403 "link expired",
 * reason "expired"). Shared by REST (authorizeBoard, GET /api/boards/:id) and the upgrade.
 *
 * @example const check = await checkBoardToken(deps, id, token); if (!check.ok) return c.json(check.body, check.status)
 */
export async function checkBoardToken(deps: TokenCheckDeps, id: string, token: string, now = Date.now()): Promise<TokenCheck> {
  const claims = verifyToken(deps.secret, id, token);
  if (!claims) return { ok: false, status: 403, body: { error: 'invalid token' } };
  const board = await deps.store.getBoard(id);
  if (!board) return { ok: false, status: 404, body: { error: 'unknown board' } };
  const status = linkStatus(claims, board, now);
  if (status !== 'ok') return { ok: false, status: 403, body: linkRefusal(status) };
  return { ok: true, board, claims };
}

/**
 * Capability check for /api/boards/:id/… routes: id (404 malformed), token (401 none, then
 * `checkBoardToken`: 403 invalid, 404 no such board, 403 revoked/expired), then role (403
 * `viewOnlyMessage` for a view token where edit is needed). Sets boardId, role, the board
 * record and the token's claims for the handler.
 *
 * @example app.post('/:id/versions', authorizeBoard(deps, 'edit', 'saving a version needs the edit link'), handler)
 */
export function authorizeBoard(deps: TokenCheckDeps, needs: BoardRole, viewOnlyMessage: string): MiddlewareHandler<BoardAccessEnv> {
  return async (c, next) => {
    const id = c.req.param('id');
    if (!id || !isValidId(id)) return c.json({ error: 'unknown board' }, 404);
    const token = requestToken(c);
    if (!token) return c.json({ error: 'token required' }, 401);
    const check = await checkBoardToken(deps, id, token);
    if (!check.ok) return c.json(check.body, check.status);
    const role = check.claims.role;
    if (needs === 'edit' && role !== 'edit') return c.json({ error: viewOnlyMessage }, 403);
    c.set('boardId', id);
    c.set('role', role);
    c.set('board', check.board);
    c.set('claims', check.claims);
    await next();
  };
}

/** Runs `fn` with the board's room held open; a board that cannot be loaded is 503, never served empty. */
export async function withBoardRoom(
  c: Context,
  deps: { rooms: Rooms; logger: Logger },
  id: string,
  fn: (room: Room) => Promise<Response>,
): Promise<Response> {
  try {
    return await deps.rooms.withRoom(id, fn);
  } catch (err) {
    if (err instanceof RoomUnavailableError) {
      deps.logger.warn('board unavailable for a REST request', { boardId: id, state: err.state });
      return c.json({ error: 'the board is unavailable right now; try again later' }, 503);
    }
    throw err;
  }
}

/** `Authorization: Bearer <token>` or `?token=<token>`. */
export function requestToken(c: Context): string | null {
  const auth = c.req.header('authorization');
  const bearer = auth ? /^Bearer\s+(\S+)$/i.exec(auth)?.[1] : undefined;
  return bearer ?? c.req.query('token') ?? null;
}
