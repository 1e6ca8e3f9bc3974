import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { isValidId } from '../../shared/ids.ts';
import { readMeta } from '../../shared/doc/read.ts';
import {
  boardPeopleNames,
  createThread,
  readComments,
  readThread,
  commentsMap,
  reopenThread,
  reply,
  resolveThread,
  type CommentFailure,
  type CommentResult,
} from '../../shared/doc/comments.ts';
import { MAX_AUTHOR_NAME_LENGTH, MAX_COMMENT_TEXT_LENGTH } from '../../shared/comments/types.ts';
import { MAX_COORDINATE } from '../../shared/schema/entities.ts';
import { readPresence } from '../../shared/protocol/presence.ts';
import type { Logger } from '../log.ts';
import type { BoardStore } from '../storage/types.ts';
import { SERVER_ORIGIN } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';
import { authorizeBoard, withBoardRoom, type BoardAccessEnv } from './access.ts';

export interface CommentRoutesDeps {
  store: BoardStore;
  rooms: Rooms;
  secret: string;
  logger: Logger;
}

type Env = BoardAccessEnv;

export const VIEWERS_MAY_NOT_COMMENT = 'viewers may not comment on this board';
export const VIEWERS_MAY_NOT_RESOLVE = 'this link is view-only; resolving or reopening a thread needs the edit link';

/** A comment is at most MAX_COMMENT_TEXT_LENGTH characters; the body limit leaves room for JSON escaping and the author. */
const MAX_BODY_BYTES = 32 * 1024;

const Author = z.object({
  name: z.string().trim().min(1, 'author.name is required').max(MAX_AUTHOR_NAME_LENGTH),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'author.color must be #rrggbb'),
});
const Text = z.string().max(MAX_COMMENT_TEXT_LENGTH, `text is at most ${MAX_COMMENT_TEXT_LENGTH} characters`).refine((t) => t.trim() !== '', 'text is required');
const coordinate = z.number().finite().min(-MAX_COORDINATE).max(MAX_COORDINATE);
const Anchor = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('task'), taskId: z.string().refine(isValidId, 'taskId is not a task id') }),
  z.object({ kind: z.literal('point'), x: coordinate, y: coordinate }),
]);
const CreateBody = z.object({ anchor: Anchor, text: Text, author: Author });
const ReplyBody = z.object({ text: Text, author: Author });
// Resolving may name who resolved it; an empty body is fine.
const ResolveBody = z.object({ author: Author.optional() }).optional();

const STATUS: Record<CommentFailure, 400 | 404 | 409> = { invalid: 400, 'not-found': 404, limit: 409 };

/**
 * /api/boards/:id/comments: threads on tasks and canvas points. Editors usually comment
 * through the document itself; these routes exist so that a viewer — whose WebSocket updates
 * the server drops — can comment when the board allows it (meta.viewersMayComment, off by
 * default). The permission is checked inside the room's edit, against the same document
 * state the write applies to. Resolve and reopen are for editors only, whatever the setting.
 * Contract: docs/api.md ("Comments").
 *
 * @example
 *   GET  /api/boards/<id>/comments                                  -> 200 {viewersMayComment, threads}
 *   POST /api/boards/<id>/comments {anchor, text, author}            -> 201 thread
 *   POST /api/boards/<id>/comments/<threadId>/replies {text, author} -> 201 thread
 *   POST /api/boards/<id>/comments/<threadId>/resolve | /reopen      -> 200 thread
 */
export function commentRoutes(deps: CommentRoutesDeps): Hono<Env> {
  const app = new Hono<Env>();
  // Both roles pass here: every write checks the viewer permission itself.
  const anyone = authorizeBoard(deps, 'view', '');
  // Deciding that a discussion is over is the editors' call: "Viewers may comment" lets a
  // viewer add and reply, never resolve or reopen, whatever the setting says.
  const editors = authorizeBoard(deps, 'edit', VIEWERS_MAY_NOT_RESOLVE);
  const limit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: `the request body is larger than ${MAX_BODY_BYTES / 1024} KB` }, 413) });

  app.get('/:id/comments', anyone, async (c) => {
    const id = c.get('boardId');
    if (!(await deps.store.getBoard(id))) return c.json({ error: 'unknown board' }, 404);
    return withBoardRoom(c, deps, id, (room) =>
      room.read((doc) => c.json({ viewersMayComment: readMeta(doc).viewersMayComment, threads: readComments(doc) })),
    );
  });

  app.post('/:id/comments', anyone, limit, async (c) => {
    const body = await jsonBody(c, CreateBody);
    if (!body.ok) return body.response;
    const { anchor, text, author } = body.value;
    return write(c, deps, 201, (doc, names) => {
      const result = createThread(doc, { anchor, text, author, knownNames: names }, SERVER_ORIGIN);
      return result.ok ? { ok: true, value: result.value.threadId } : result;
    }, author.name);
  });

  app.post('/:id/comments/:threadId/replies', anyone, limit, async (c) => {
    const body = await jsonBody(c, ReplyBody);
    if (!body.ok) return body.response;
    const threadId = c.req.param('threadId');
    return write(c, deps, 201, (doc, names) => {
      const result = reply(doc, threadId, { ...body.value, knownNames: names }, SERVER_ORIGIN);
      return result.ok ? { ok: true, value: threadId } : result;
    }, body.value.author.name);
  });

  app.post('/:id/comments/:threadId/resolve', editors, limit, async (c) => {
    const body = await jsonBody(c, ResolveBody, true);
    if (!body.ok) return body.response;
    const threadId = c.req.param('threadId');
    const by = body.value?.author?.name ?? '';
    return write(c, deps, 200, (doc) => {
      const result = resolveThread(doc, threadId, by, SERVER_ORIGIN);
      return result.ok ? { ok: true, value: threadId } : result;
    }, by || undefined);
  });

  app.post('/:id/comments/:threadId/reopen', editors, limit, async (c) => {
    const threadId = c.req.param('threadId');
    return write(c, deps, 200, (doc) => {
      const result = reopenThread(doc, threadId, SERVER_ORIGIN);
      return result.ok ? { ok: true, value: threadId } : result;
    });
  });

  return app;
}

/**
 * Runs one comment edit in the board's room and answers with the thread it touched. `edit`
 * gets the names people may @mention: task assignees, earlier commenters and everyone present.
 */
async function write(
  c: Context<Env>,
  deps: CommentRoutesDeps,
  status: 200 | 201,
  edit: (doc: Y.Doc, names: Set<string>) => CommentResult<string>,
  author?: string,
): Promise<Response> {
  const id = c.get('boardId');
  const role = c.get('role');
  if (!(await deps.store.getBoard(id))) return c.json({ error: 'unknown board' }, 404);
  return withBoardRoom(c, deps, id, async (room) => {
    const present = presentNames(room.awareness);
    const outcome = await room.applyServerEdit((doc): { forbidden: true } | { forbidden: false; result: CommentResult<string> } => {
      if (role !== 'edit' && !readMeta(doc).viewersMayComment) return { forbidden: true };
      const names = boardPeopleNames(doc);
      for (const name of present) names.add(name);
      return { forbidden: false, result: edit(doc, names) };
    }, author);
    if (outcome.forbidden) return c.json({ error: VIEWERS_MAY_NOT_COMMENT }, 403);
    if (!outcome.result.ok) return c.json({ error: outcome.result.error }, STATUS[outcome.result.reason]);
    const threadId = outcome.result.value;
    const thread = await room.read((doc) => readThread(doc, threadId, commentsMap(doc).get(threadId)));
    deps.logger.info('comment written', { boardId: id, threadId, role });
    return c.json(thread, status);
  });
}

/** Names of the people connected to the board (validated presence; peers are untrusted). */
function presentNames(awareness: Awareness): string[] {
  const names: string[] = [];
  for (const state of awareness.getStates().values()) {
    const presence = readPresence(state);
    if (presence) names.push(presence.user.name);
  }
  return names;
}

type BodyResult<T> = { ok: true; value: T } | { ok: false; response: Response };

/** The JSON body checked against `schema`: 415 when it is not JSON, 400 with the first problem. */
async function jsonBody<T>(c: Context<Env>, schema: z.ZodType<T>, optional = false): Promise<BodyResult<T>> {
  const type = c.req.header('content-type') ?? '';
  const raw = await c.req.text();
  if (optional && raw.trim() === '') return parse(schema, undefined, c);
  if (!/^application\/json\b/i.test(type)) return { ok: false, response: c.json({ error: 'send JSON (Content-Type: application/json)' }, 415) };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, response: c.json({ error: 'the body is not valid JSON' }, 400) };
  }
  return parse(schema, value, c);
}

function parse<T>(schema: z.ZodType<T>, value: unknown, c: Context<Env>): BodyResult<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, response: c.json({ error: `${where}${issue?.message ?? 'invalid body'}` }, 400) };
}
