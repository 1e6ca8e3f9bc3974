import type { Context, MiddlewareHandler } from 'hono';
import { isValidId } from '../../shared/ids.ts';
import type { BoardRole } from '../../shared/protocol/api.ts';
import { verifyToken } from '../auth/tokens.ts';
import type { Logger } from '../log.ts';
import { RoomUnavailableError, type Room } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';
import { requestToken } from './boards.ts';

/** Context variables set by `authorizeBoard` for the handlers after it. */
export type BoardAccessEnv = { Variables: { boardId: string; role: BoardRole } };

/**
 * Capability check for /api/boards/:id/… routes: id (404 malformed), token (401 none, 403 not
 * for this board), then role (403 `viewOnlyMessage` for a view token where edit is needed).
 * The token is checked before the board is looked up, so a wrong token gets 403 whether or
 * not the board exists.
 *
 * @example app.post('/:id/versions', authorizeBoard(secret, 'edit', 'saving a version needs the edit link'), handler)
 */
export function authorizeBoard(secret: string, needs: BoardRole, viewOnlyMessage: string): MiddlewareHandler<BoardAccessEnv> {
  return async (c, next) => {
    const id = c.req.param('id');
    if (!id || !isValidId(id)) return c.json({ error: 'unknown board' }, 404);
    const token = requestToken(c);
    if (!token) return c.json({ error: 'token required' }, 401);
    const role = verifyToken(secret, id, token);
    if (!role) return c.json({ error: 'invalid token' }, 403);
    if (needs === 'edit' && role !== 'edit') return c.json({ error: viewOnlyMessage }, 403);
    c.set('boardId', id);
    c.set('role', role);
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
