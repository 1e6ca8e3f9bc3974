import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { isValidId, newId } from '../../shared/ids.ts';
import { newBoardUpdate } from '../../shared/doc/init.ts';
import { readMeta } from '../../shared/doc/read.ts';
import { DEFAULT_BOARD_TITLE, MAX_TITLE_LENGTH } from '../../shared/schema/entities.ts';
import { boardPagePath, type BoardInfoResponse, type CreateBoardResponse } from '../../shared/protocol/api.ts';
import { currentGeneration, signToken } from '../auth/tokens.ts';
import type { Logger } from '../log.ts';
import type { BoardStore } from '../storage/types.ts';
import type { Rooms } from '../sync/rooms.ts';
import { checkBoardToken, requestToken } from './access.ts';

export interface BoardRoutesDeps {
  store: BoardStore;
  rooms: Rooms;
  secret: string;
  publicUrl: string | null;
  logger: Logger;
}

const CreateBoardBody = z.object({ title: z.string().max(MAX_TITLE_LENGTH).optional() });

/**
 * /api/boards: create a board, read a board's info. Contract: shared/protocol/api.ts and docs/api.md.
 *
 * @example
 *   POST /api/boards {"title":"Kickoff"} -> 201 {id, title, editToken, viewToken, editUrl, viewUrl}
 *   GET /api/boards/<id>  (Authorization: Bearer <token>) -> 200 {id, title, createdAt, role}
 */
export function boardRoutes(deps: BoardRoutesDeps): Hono {
  const app = new Hono();

  app.post('/', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.json({ error: 'body too large' }, 413) }), async (c) => {
    const text = await c.req.text();
    let json: unknown = {};
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        return c.json({ error: 'body is not valid JSON' }, 400);
      }
    }
    const parsed = CreateBoardBody.safeParse(json);
    if (!parsed.success) return c.json({ error: `invalid body: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}` }, 400);
    const title = parsed.data.title?.trim() || DEFAULT_BOARD_TITLE;
    const id = newId();
    const createdAt = new Date().toISOString();
    await deps.store.createBoard({ id, title, createdAt }, newBoardUpdate(title, createdAt));
    const editToken = signToken(deps.secret, id, 'edit');
    const viewToken = signToken(deps.secret, id, 'view');
    const base = deps.publicUrl ?? new URL(c.req.url).origin;
    deps.logger.info('board created', { boardId: id });
    const body: CreateBoardResponse = {
      id,
      title,
      editToken,
      viewToken,
      editUrl: base + boardPagePath(id, editToken),
      viewUrl: base + boardPagePath(id, viewToken),
    };
    return c.json(body, 201);
  });

  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    if (!isValidId(id)) return c.json({ error: 'unknown board' }, 404);
    const token = requestToken(c);
    if (!token) return c.json({ error: 'token required' }, 401);
    // Token before lookup: a wrong token gets 403 whether or not the board exists; a reset or
    // expired link gets 403 with a reason the client shows.
    const check = await checkBoardToken(deps, id, token);
    if (!check.ok) return c.json(check.body, check.status);
    const { board } = check;
    const role = check.claims.role;
    // The title lives in the document (people rename boards); the registry has the one it was created with.
    const room = deps.rooms.peek(id);
    const title = room ? readMeta(room.doc).title || board.title : board.title;
    const body: BoardInfoResponse = { id, title, createdAt: board.createdAt, role };
    if (role === 'edit') body.viewToken = signToken(deps.secret, id, 'view', { generation: currentGeneration(board, 'view') });
    return c.json(body);
  });

  return app;
}
