import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { readBoard } from '../../shared/doc/read.ts';
import { exportCalendar } from '../../shared/formats/ical/index.ts';
import { scheduleReport } from '../../shared/planning/report.ts';
import type { Logger } from '../log.ts';
import type { BoardStore } from '../storage/types.ts';
import { SERVER_ORIGIN } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';
import { authorizeBoard, withBoardRoom, type BoardAccessEnv } from './access.ts';
import { EXPORTERS, IMPORTERS, acceptsContentType, maxImportBytes } from './planFormats.ts';

export interface PlanRoutesDeps {
  store: BoardStore;
  rooms: Rooms;
  secret: string;
  logger: Logger;
  /** The server's public origin for links inside files (the calendar's event URLs); null = the request's. */
  publicUrl: string | null;
}

/**
 * /api/boards/:id/schedule, /export, /import and /calendar.ics: the REST views of a board's
 * plan. Reads run inside the board's room queue (Room.read), imports go through
 * Room.applyServerEdit (stored before anyone sees them, relayed to every connected peer). The
 * formats are the tables in planFormats.ts. Contract: docs/api.md.
 *
 * @example
 *   GET  /api/boards/<id>/schedule?token=<view or edit>           -> 200 {projectStart, projectFinish, tasks, cycles}
 *   GET  /api/boards/<id>/export?format=csv|json|mspdi&token=<…>  -> 200 the file (attachment)
 *   POST /api/boards/<id>/import?format=csv|json|mspdi&token=<edit> -> 200 {"imported": {...counts}, "warnings": [...]}
 *   GET  /api/boards/<id>/calendar.ics?token=<view or edit>       -> 200 text/calendar
 */
export function planRoutes(deps: PlanRoutesDeps): Hono<BoardAccessEnv> {
  const app = new Hono<BoardAccessEnv>();
  const view = authorizeBoard(deps, 'view', '');

  app.get('/:id/schedule', view, async (c) => {
    const id = c.get('boardId');
    if (!(await deps.store.getBoard(id))) return c.json({ error: 'unknown board' }, 404);
    const today = new Date().toISOString().slice(0, 10);
    return withBoardRoom(c, deps, id, (room) => room.read((doc) => c.json(scheduleReport({ ...readBoard(doc), today }))));
  });

  app.get('/:id/export', view, async (c) => {
    const id = c.get('boardId');
    const format = c.req.query('format') ?? '';
    const exporter = Object.hasOwn(EXPORTERS, format) ? EXPORTERS[format] : undefined;
    if (!exporter) return c.json({ error: `unsupported format ${JSON.stringify(format)}; supported: ${Object.keys(EXPORTERS).join(', ')}` }, 400);
    const board = await deps.store.getBoard(id);
    if (!board) return c.json({ error: 'unknown board' }, 404);
    const now = new Date().toISOString();
    return withBoardRoom(c, deps, id, async (room) => {
      const { body, title } = await room.read((doc) => ({ body: exporter.write(doc, now.slice(0, 10), now), title: readBoard(doc).meta.title || board.title }));
      return c.body(body, 200, {
        'Content-Type': exporter.contentType,
        'Content-Disposition': contentDisposition(title, exporter.extension),
        'Cache-Control': 'no-store',
      });
    });
  });

  // Calendar apps subscribe with a URL and cannot send headers: the token comes in the query.
  app.get('/:id/calendar.ics', view, async (c) => {
    const id = c.get('boardId');
    const board = await deps.store.getBoard(id);
    if (!board) return c.json({ error: 'unknown board' }, 404);
    const now = new Date().toISOString();
    // The events link to the board without a token: a calendar entry must not leak a capability.
    const boardUrl = `${deps.publicUrl ?? new URL(c.req.url).origin}/b/${id}`;
    return withBoardRoom(c, deps, id, async (room) => {
      const { body, title } = await room.read((doc) => {
        const snapshot = readBoard(doc);
        return { body: exportCalendar({ boardId: id, board: snapshot, today: now.slice(0, 10), now, boardUrl }), title: snapshot.meta.title || board.title };
      });
      return c.body(body, 200, {
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Disposition': contentDisposition(title, 'ics').replace(/^attachment/, 'inline'),
        'Cache-Control': 'no-store',
      });
    });
  });

  app.post(
    '/:id/import',
    authorizeBoard(deps, 'edit', 'this link is view-only; importing needs the edit link'),
    bodyLimit({ maxSize: maxImportBytes(), onError: (c) => c.json({ error: `the file is larger than ${megabytes(maxImportBytes())}` }, 413) }),
    async (c) => {
      const id = c.get('boardId');
      const format = c.req.query('format') ?? '';
      const importer = Object.hasOwn(IMPORTERS, format) ? IMPORTERS[format] : undefined;
      if (!importer) return c.json({ error: `unsupported format ${JSON.stringify(format)}; supported: ${Object.keys(IMPORTERS).join(', ')}` }, 400);
      const type = c.req.header('content-type');
      if (!acceptsContentType(importer, type)) {
        const accepted = [...importer.contentTypes, 'text/plain', 'application/octet-stream'].join(', ');
        return c.json({ error: `send the ${format} file itself as the body (Content-Type: ${accepted}), not ${type?.split(';')[0]}` }, 415);
      }
      if (!(await deps.store.getBoard(id))) return c.json({ error: 'unknown board' }, 404);
      const text = await c.req.text();
      // The body limit is the largest format's; each format has its own.
      if (new TextEncoder().encode(text).length > importer.maxBytes) return c.json({ error: `a ${format} file is at most ${megabytes(importer.maxBytes)}` }, 413);
      const parsed = importer.parse(text);
      if (!parsed.ok) return c.json({ error: parsed.error, problems: parsed.problems, ...parsed.extra }, 400);
      try {
        return await withBoardRoom(c, deps, id, async (room) => {
          const imported = await room.applyServerEdit((doc) => importer.apply(doc, parsed.value, SERVER_ORIGIN));
          deps.logger.info('plan imported', { boardId: id, format, ...imported });
          return c.json({ imported, warnings: parsed.warnings });
        });
      } finally {
        importer.dispose?.(parsed.value);
      }
    },
  );

  return app;
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
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
