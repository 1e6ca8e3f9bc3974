import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { applySettingsPatch, readBoardSettings } from '../../shared/doc/boardSettings.ts';
import { CONFIRM_DELETE_HEADER } from '../../shared/protocol/api.ts';
import { parseSettingsPatch, type SettingsProblem } from '../../shared/protocol/settings.ts';
import type { Logger } from '../log.ts';
import type { BoardStore } from '../storage/types.ts';
import { SERVER_ORIGIN } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';
import { authorizeBoard, withBoardRoom, type BoardAccessEnv } from './access.ts';

export interface SettingsRoutesDeps {
  store: BoardStore;
  rooms: Rooms;
  secret: string;
  logger: Logger;
}

/** A settings body is a few statuses and holidays; anything near this is not a settings change. */
const MAX_SETTINGS_BYTES = 256 * 1024;

/** Thrown inside the room's edit so that a patch checked against the current settings writes nothing when it is refused. */
class InvalidSettings extends Error {
  constructor(readonly problems: SettingsProblem[]) {
    super('invalid settings');
  }
}

/**
 * /api/boards/:id/settings and DELETE /api/boards/:id. Settings live in the document's meta
 * (shared/doc/boardSettings.ts); a PATCH is validated against the board's current settings
 * inside the room queue and applied in one transaction, stored before it is relayed.
 * Contract: docs/api.md ("Board settings", "Deleting a board").
 *
 * @example
 *   GET    /api/boards/<id>/settings?token=<view or edit>        -> 200 {title, projectStart, workingDays, …}
 *   PATCH  /api/boards/<id>/settings {"title":"Q3"} (edit token) -> 200 the new settings
 *   DELETE /api/boards/<id>  (edit token, X-Confirm-Delete: <id>) -> 204
 */
export function settingsRoutes(deps: SettingsRoutesDeps): Hono<BoardAccessEnv> {
  const app = new Hono<BoardAccessEnv>();

  app.get('/:id/settings', authorizeBoard(deps, 'view', ''), async (c) => {
    const id = c.get('boardId');
    if (!(await deps.store.getBoard(id))) return c.json({ error: 'unknown board' }, 404);
    return withBoardRoom(c, deps, id, async (room) => c.json(await room.read(readBoardSettings)));
  });

  app.patch(
    '/:id/settings',
    authorizeBoard(deps, 'edit', 'this link is view-only; changing settings needs the edit link'),
    bodyLimit({ maxSize: MAX_SETTINGS_BYTES, onError: (c) => c.json({ error: `the body is larger than ${MAX_SETTINGS_BYTES / 1024} KB` }, 413) }),
    async (c) => {
      const id = c.get('boardId');
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') return c.json({ error: 'send the settings as JSON (Content-Type: application/json)' }, 415);
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        return c.json({ error: 'the body is not valid JSON' }, 400);
      }
      if (!(await deps.store.getBoard(id))) return c.json({ error: 'unknown board' }, 404);
      return withBoardRoom(c, deps, id, async (room) => {
        try {
          const settings = await room.applyServerEdit((doc) => {
            const parsed = parseSettingsPatch(body, readBoardSettings(doc));
            if (!parsed.ok) throw new InvalidSettings(parsed.problems);
            applySettingsPatch(doc, parsed.patch, SERVER_ORIGIN);
            return readBoardSettings(doc);
          });
          deps.logger.info('board settings changed', { boardId: id, fields: Object.keys(body as object) });
          return c.json(settings);
        } catch (err) {
          if (!(err instanceof InvalidSettings)) throw err;
          const n = err.problems.length;
          return c.json({ error: `the settings have ${n} problem${n === 1 ? '' : 's'}; nothing was changed`, problems: err.problems }, 400);
        }
      });
    },
  );

  app.delete('/:id', authorizeBoard(deps, 'edit', 'this link is view-only; deleting the board needs the edit link'), async (c) => {
    const id = c.get('boardId');
    if (c.req.header(CONFIRM_DELETE_HEADER) !== id) {
      return c.json({ error: `confirm the delete: send the header ${CONFIRM_DELETE_HEADER}: <board id>` }, 400);
    }
    if (!(await deps.store.getBoard(id))) return c.json({ error: 'unknown board' }, 404);
    if (!(await deps.rooms.deleteBoard(id))) return c.json({ error: 'unknown board' }, 404);
    deps.logger.info('board deleted', { boardId: id });
    return c.body(null, 204);
  });

  return app;
}
