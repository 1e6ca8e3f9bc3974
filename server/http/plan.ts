import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { isValidId } from '../../shared/ids.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { MAX_PLAN_BYTES, applyPlanRows, exportPlanCsv, parsePlanCsv } from '../../shared/formats/csv/index.ts';
import { scheduleReport } from '../../shared/planning/report.ts';
import type { BoardRole } from '../../shared/protocol/api.ts';
import { verifyToken } from '../auth/tokens.ts';
import type { Logger } from '../log.ts';
import type { BoardStore } from '../storage/types.ts';
import { RoomUnavailableError, SERVER_ORIGIN, type Room } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';
import { requestToken } from './boards.ts';

export interface PlanRoutesDeps {
  store: BoardStore;
  rooms: Rooms;
  secret: string;
  logger: Logger;
}

type Env = { Variables: { boardId: string; role: BoardRole } };

/**
 * Export formats by `?format=`. Each turns the board's document into a file; adding JSON or
 * MSPDI is one more entry here.
 */
const EXPORTERS: Record<string, { contentType: string; extension: string; write: (doc: Parameters<typeof readBoard>[0], today: string) => string }> = {
  csv: {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    // The byte-order mark makes Excel read the file as UTF-8 (names with accents); parsePlanCsv skips it.
    write: (doc, today) => '\uFEFF' + exportPlanCsv({ ...readBoard(doc), today }),
  },
};

const IMPORT_FORMATS = ['csv'] as const;

/** Content types a browser or curl may send a CSV file as; anything clearly not a CSV is refused. */
const REFUSED_IMPORT_TYPES = /^(multipart\/|application\/(json|x-www-form-urlencoded))/i;

/**
 * /api/boards/:id/schedule, /export and /import: the REST views of a board's plan. Reads run
 * inside the board's room queue (Room.read), the import goes through Room.applyServerEdit
 * (stored before anyone sees it, relayed to every connected peer). Contract: docs/api.md.
 *
 * @example
 *   GET  /api/boards/<id>/schedule?token=<view or edit>     -> 200 {projectStart, projectFinish, tasks, cycles}
 *   GET  /api/boards/<id>/export?format=csv&token=<…>       -> 200 text/csv (attachment)
 *   POST /api/boards/<id>/import?format=csv&token=<edit>    -> 200 {"imported": {"tasks": 12, "dependencies": 9}}
 */
export function planRoutes(deps: PlanRoutesDeps): Hono<Env> {
  const app = new Hono<Env>();

  app.get('/:id/schedule', authorize(deps, 'view'), async (c) => {
    const id = c.get('boardId');
    if (!(await deps.store.getBoard(id))) return c.json({ error: 'unknown board' }, 404);
    const today = new Date().toISOString().slice(0, 10);
    return withBoard(c, deps, id, (room) => room.read((doc) => c.json(scheduleReport({ ...readBoard(doc), today }))));
  });

  app.get('/:id/export', authorize(deps, 'view'), async (c) => {
    const id = c.get('boardId');
    const format = c.req.query('format') ?? '';
    const exporter = Object.hasOwn(EXPORTERS, format) ? EXPORTERS[format] : undefined;
    if (!exporter) return c.json({ error: `unsupported format ${JSON.stringify(format)}; supported: ${Object.keys(EXPORTERS).join(', ')}` }, 400);
    const board = await deps.store.getBoard(id);
    if (!board) return c.json({ error: 'unknown board' }, 404);
    const today = new Date().toISOString().slice(0, 10);
    return withBoard(c, deps, id, async (room) => {
      const { body, title } = await room.read((doc) => ({ body: exporter.write(doc, today), title: readBoard(doc).meta.title || board.title }));
      return c.body(body, 200, {
        'Content-Type': exporter.contentType,
        'Content-Disposition': contentDisposition(title, exporter.extension),
        'Cache-Control': 'no-store',
      });
    });
  });

  app.post(
    '/:id/import',
    authorize(deps, 'edit'),
    bodyLimit({ maxSize: MAX_PLAN_BYTES, onError: (c) => c.json({ error: `the file is larger than ${MAX_PLAN_BYTES / 1024 / 1024} MB` }, 413) }),
    async (c) => {
      const id = c.get('boardId');
      const format = c.req.query('format') ?? '';
      if (!(IMPORT_FORMATS as readonly string[]).includes(format)) {
        return c.json({ error: `unsupported format ${JSON.stringify(format)}; supported: ${IMPORT_FORMATS.join(', ')}` }, 400);
      }
      const type = c.req.header('content-type') ?? '';
      if (REFUSED_IMPORT_TYPES.test(type)) return c.json({ error: `send the file itself as the body (Content-Type: text/csv), not ${type.split(';')[0]}` }, 415);
      if (!(await deps.store.getBoard(id))) return c.json({ error: 'unknown board' }, 404);
      const parsed = parsePlanCsv(await c.req.text());
      if (!parsed.ok) {
        const fileLevel = parsed.errors.length === 1 && parsed.errors[0]!.row <= 1;
        const error = fileLevel ? parsed.errors[0]!.message : `the file has ${parsed.errors.length} bad row${parsed.errors.length === 1 ? '' : 's'}; nothing was imported`;
        return c.json({ error, rows: parsed.errors }, 400);
      }
      return withBoard(c, deps, id, async (room) => {
        const imported = await room.applyServerEdit((doc) => applyPlanRows(doc, parsed.rows, SERVER_ORIGIN));
        deps.logger.info('plan imported', { boardId: id, ...imported });
        return c.json({ imported });
      });
    },
  );

  return app;
}

/** Id (404 malformed), token (401 none, 403 not for this board), then role (403 for a view token where edit is needed). */
function authorize(deps: PlanRoutesDeps, needs: BoardRole): MiddlewareHandler<Env> {
  return async (c, next) => {
    const id = c.req.param('id');
    if (!id || !isValidId(id)) return c.json({ error: 'unknown board' }, 404);
    const token = requestToken(c);
    if (!token) return c.json({ error: 'token required' }, 401);
    // Token before lookup: a wrong token gets 403 whether or not the board exists.
    const role = verifyToken(deps.secret, id, token);
    if (!role) return c.json({ error: 'invalid token' }, 403);
    if (needs === 'edit' && role !== 'edit') return c.json({ error: 'this link is view-only; importing needs the edit link' }, 403);
    c.set('boardId', id);
    c.set('role', role);
    await next();
  };
}

/** Runs `fn` with the board's room held open; a board that cannot be loaded is 503, never served empty. */
async function withBoard(c: Context<Env>, deps: PlanRoutesDeps, id: string, fn: (room: Room) => Promise<Response>): Promise<Response> {
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

/** `attachment; filename="Q3 plan.csv"; filename*=UTF-8''Q3%20plan.csv`, with the title made safe for file names. */
export function contentDisposition(title: string, extension: string): string {
  const safe = title
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["\\/:*?<>|;%]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .slice(0, 100) || 'board';
  const utf8 = title.replace(/[\p{Cc}"\\/:*?<>|]/gu, '_').trim().slice(0, 100) || 'board';
  return `attachment; filename="${safe}.${extension}"; filename*=UTF-8''${encodeURIComponent(`${utf8}.${extension}`)}`;
}
