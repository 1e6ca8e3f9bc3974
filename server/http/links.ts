import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { boardPagePath } from '../../shared/protocol/api.ts';
import { MAX_LINK_EXPIRY_SECONDS, type MintLinkResponse, type ResetLinkResponse } from '../../shared/protocol/links.ts';
import { currentGeneration, signToken } from '../auth/tokens.ts';
import type { Logger } from '../log.ts';
import { UnknownBoardError, type BoardStore } from '../storage/types.ts';
import type { Rooms } from '../sync/rooms.ts';
import { authorizeBoard, type BoardAccessEnv } from './access.ts';

export interface LinkRoutesDeps {
  store: BoardStore;
  rooms: Rooms;
  secret: string;
  publicUrl: string | null;
  logger: Logger;
}

const Role = z.enum(['edit', 'view']);
const MintBody = z
  .object({
    role: Role,
    expiresInSeconds: z.number().int().positive().max(MAX_LINK_EXPIRY_SECONDS).optional(),
  })
  .strict();
const ResetBody = z.object({ role: Role }).strict();

const VIEW_ONLY = 'this link is view-only; managing links needs the edit link';

/**
 * /api/boards/:id/links: mint an extra link (optionally expiring) and reset a link. Both need
 * an edit token whose link has not been reset or expired (authorizeBoard). Contract:
 * shared/protocol/links.ts and docs/api.md "Links".
 *
 * A link minted with an expiring token expires no later than that token, and resetting needs a
 * token that does not expire: an expiring link handed out for a while cannot turn itself into
 * a permanent one.
 *
 * @example
 *   POST /api/boards/<id>/links {"role":"view","expiresInSeconds":86400} -> 201 {role, token, url, expiresAt}
 *   POST /api/boards/<id>/links/reset {"role":"edit"} -> 200 {role, token, url, generation}
 */
export function linkRoutes(deps: LinkRoutesDeps): Hono<BoardAccessEnv> {
  const app = new Hono<BoardAccessEnv>();
  const limit = bodyLimit({ maxSize: 4 * 1024, onError: (c) => c.json({ error: 'body too large' }, 413) });
  const editors = authorizeBoard(deps, 'edit', VIEW_ONLY);

  app.post('/:id/links', limit, editors, async (c) => {
    const parsed = await readBody(c, MintBody);
    if (!parsed.ok) return c.json({ error: parsed.error }, 400);
    const { role, expiresInSeconds } = parsed.value;
    const id = c.get('boardId');
    const presented = c.get('claims').expiresAt;
    let expiresAt = expiresInSeconds === undefined ? null : Date.now() + expiresInSeconds * 1000;
    if (presented !== null) expiresAt = expiresAt === null ? presented : Math.min(expiresAt, presented);
    const token = signToken(deps.secret, id, role, { generation: currentGeneration(c.get('board'), role), expiresAt });
    // The token holds whole seconds (rounded up): report the instant it really stops working.
    const effective = expiresAt === null ? null : new Date(Math.ceil(expiresAt / 1000) * 1000).toISOString();
    deps.logger.info('link minted', { boardId: id, role, expiresAt: effective });
    const body: MintLinkResponse = { role, token, url: linkUrl(c, id, token), expiresAt: effective };
    return c.json(body, 201);
  });

  app.post('/:id/links/reset', limit, editors, async (c) => {
    const parsed = await readBody(c, ResetBody);
    if (!parsed.ok) return c.json({ error: parsed.error }, 400);
    const { role } = parsed.value;
    const id = c.get('boardId');
    if (c.get('claims').expiresAt !== null) return c.json({ error: 'resetting a link needs an edit link that does not expire' }, 403);
    let generation: number;
    try {
      generation = await deps.store.rotateLink(id, role);
    } catch (err) {
      if (err instanceof UnknownBoardError) return c.json({ error: 'unknown board' }, 404);
      throw err;
    }
    deps.logger.info('link reset', { boardId: id, role, generation });
    // The new generation is stored: from here on older tokens are refused everywhere. Closing
    // the connections already open with them (here and on other instances) is best effort on
    // top; a failure there must not hide the new link from the person who asked for it.
    try {
      deps.rooms.revokeLinks(id, role, generation);
    } catch (err) {
      deps.logger.error('closing connections of a reset link failed', { boardId: id, role, err });
    }
    const token = signToken(deps.secret, id, role, { generation });
    const body: ResetLinkResponse = { role, token, url: linkUrl(c, id, token), generation };
    return c.json(body, 200);
  });

  function linkUrl(c: Context, id: string, token: string): string {
    return (deps.publicUrl ?? new URL(c.req.url).origin) + boardPagePath(id, token);
  }

  return app;
}

/** The JSON body parsed by `schema`, or a message saying what is wrong with it. */
async function readBody<T>(c: Context, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    return { ok: false, error: 'body is not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, error: `invalid body: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}` };
  }
  return { ok: true, value: parsed.data };
}
