import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as Y from 'yjs';
import { replaceBoardContent, type ReplaceCounts } from '../../shared/doc/replace.ts';
import { isValidId } from '../../shared/ids.ts';
import { MAX_VERSION_NAME_LENGTH, versionDisplayName, type VersionInfo } from '../../shared/history/versions.ts';
import type { Logger } from '../log.ts';
import { StorageCorruptError, type BoardStore, type VersionRecord } from '../storage/types.ts';
import { RoomUnavailableError, SERVER_ORIGIN } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';
import { authorizeBoard, withBoardRoom, type BoardAccessEnv } from './access.ts';
import { loadVersionState } from '../history/loadState.ts';

export interface VersionRoutesDeps {
  store: BoardStore;
  rooms: Rooms;
  secret: string;
  logger: Logger;
}

/** A POST body is a name and at most a version id: anything this big is not one. */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * Version history of a board (contract: docs/api.md "Versions"):
 *
 * @example
 *   GET  /api/boards/<id>/versions?token=<view or edit>                 -> 200 [{id, name, kind, createdAt, authors, summary}]
 *   POST /api/boards/<id>/versions?token=<edit>  {"name":"Review"}       -> 201 {id, name, kind: "named", createdAt, authors, summary}
 *   GET  /api/boards/<id>/versions/<vid>/state?token=<view or edit>     -> 200 application/octet-stream (a Yjs update)
 *   POST /api/boards/<id>/versions/<vid>/restore?token=<edit>           -> 200 {restored: {id, name}, backup: {id}}
 *
 * Versions are taken by the board's room (server/history/checkpoints.ts) so the state is a
 * consistent view of the live document; a restore is a server edit (stored before relayed)
 * after a backup version of the current state, so it never deletes history.
 */
export function versionRoutes(deps: VersionRoutesDeps): Hono<BoardAccessEnv> {
  const app = new Hono<BoardAccessEnv>();
  const view = authorizeBoard(deps, 'view', 'this link is view-only');
  const edit = (what: string) => authorizeBoard(deps, 'edit', `this link is view-only; ${what} needs the edit link`);

  app.get('/:id/versions', view, async (c) => {
    const id = c.get('boardId');
    if (!(await deps.store.getBoard(id))) return c.json({ error: 'unknown board' }, 404);
    const versions = await deps.store.listVersions(id);
    return c.json(versions.map(toInfo), 200, { 'Cache-Control': 'no-store' });
  });

  app.post(
    '/:id/versions',
    edit('saving a version'),
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: 'request body too large' }, 413) }),
    async (c) => {
      const id = c.get('boardId');
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/json\b/i.test(type)) return c.json({ error: 'send JSON: Content-Type: application/json, body {"name": "…"}' }, 415);
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return c.json({ error: 'the body is not valid JSON' }, 400);
      }
      const parsed = parseSaveRequest(body);
      if ('error' in parsed) return c.json({ error: parsed.error }, 400);
      if (!(await deps.store.getBoard(id))) return c.json({ error: 'unknown board' }, 404);
      if (parsed.restoredFrom !== undefined && !(await deps.store.listVersions(id)).some((v) => v.id === parsed.restoredFrom)) {
        return c.json({ error: 'restoredFrom: no such version of this board' }, 400);
      }
      return withBoardRoom(c, deps, id, async (room) => {
        const saved = await room.saveVersion(
          parsed.restoredFrom === undefined ? { kind: 'named', name: parsed.name } : { kind: 'restore', name: parsed.name, restoredFrom: parsed.restoredFrom },
        );
        deps.logger.info('version saved', { boardId: id, versionId: saved.id, kind: saved.kind });
        return c.json(toInfo(saved), 201);
      });
    },
  );

  app.get('/:id/versions/:versionId/state', view, async (c) => {
    const id = c.get('boardId');
    const versionId = c.req.param('versionId');
    if (!isValidId(versionId)) return c.json({ error: 'unknown version' }, 404);
    if (!(await deps.store.getBoard(id))) return c.json({ error: 'unknown board' }, 404);
    const state = await readState(deps, id, versionId);
    if (state === 'corrupt') return c.json({ error: 'this version’s stored data is damaged' }, 500);
    if (!state) return c.json({ error: 'unknown version' }, 404);
    return c.body(state as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/octet-stream',
      // A version never changes once written.
      'Cache-Control': 'private, max-age=31536000, immutable',
    });
  });

  app.post('/:id/versions/:versionId/restore', edit('restoring a version'), async (c) => {
    const id = c.get('boardId');
    const versionId = c.req.param('versionId');
    if (!isValidId(versionId)) return c.json({ error: 'unknown version' }, 404);
    if (!(await deps.store.getBoard(id))) return c.json({ error: 'unknown board' }, 404);
    const version = (await deps.store.listVersions(id)).find((v) => v.id === versionId);
    if (!version) return c.json({ error: 'unknown version' }, 404);
    const state = await readState(deps, id, versionId);
    if (state === 'corrupt') return c.json({ error: 'this version’s stored data is damaged; nothing was restored' }, 500);
    if (!state) return c.json({ error: 'unknown version' }, 404);
    let source: Y.Doc;
    try {
      source = loadVersionState(state);
    } catch (err) {
      deps.logger.error('version state does not load', { boardId: id, versionId, err });
      return c.json({ error: 'this version’s stored data does not load; nothing was restored' }, 500);
    }
    const name = versionDisplayName(version);
    try {
      return await withBoardRoom(c, deps, id, async (room) => {
        // The state as it is now goes into history first, so the restore never loses anything;
        // one room task for both, so no edit lands between the backup and the replace.
        let outcome: { backup: VersionRecord; result: ReplaceCounts };
        try {
          outcome = await room.applyServerEditAfterBackup({ kind: 'restore', name: backupName(name), restoredFrom: versionId }, (doc) =>
            replaceBoardContent(doc, source, SERVER_ORIGIN),
          );
        } catch (err) {
          if (err instanceof RoomUnavailableError) throw err;
          // The backup is stored before anything is applied, and the replace is stored before it
          // is applied: a failure of either leaves the board as it was.
          deps.logger.error('restoring a version failed', { boardId: id, versionId, err });
          return c.json({ error: 'the backup or the restore could not be stored; nothing was restored' }, 500);
        }
        const { backup, result: counts } = outcome;
        deps.logger.info('version restored', { boardId: id, versionId, backupId: backup.id, ...counts });
        return c.json({ restored: { id: version.id, name }, backup: { id: backup.id } });
      });
    } finally {
      source.destroy();
    }
  });

  return app;
}

/** Name of the backup taken before restoring a version called `name`. */
export function backupName(name: string): string {
  const prefix = 'Before restoring “';
  const room = MAX_VERSION_NAME_LENGTH - prefix.length - 1;
  return `${prefix}${name.length > room ? `${name.slice(0, room - 1)}…` : name}”`;
}

function toInfo(v: VersionRecord): VersionInfo {
  const info: VersionInfo = { id: v.id, name: v.name, kind: v.kind, createdAt: v.createdAt, authors: v.authors, summary: v.summary };
  if (v.restoredFrom) info.restoredFrom = v.restoredFrom;
  return info;
}

async function readState(deps: VersionRoutesDeps, boardId: string, versionId: string): Promise<Uint8Array | null | 'corrupt'> {
  try {
    return await deps.store.getVersionState(boardId, versionId);
  } catch (err) {
    if (!(err instanceof StorageCorruptError)) throw err;
    deps.logger.error('version state corrupt', { boardId, versionId, err });
    return 'corrupt';
  }
}

/** `{name, restoredFrom?}`: name a string, 1..120 characters once trimmed. */
function parseSaveRequest(body: unknown): { name: string; restoredFrom?: string } | { error: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { error: 'send a JSON object {"name": "…"}' };
  const { name, restoredFrom } = body as Record<string, unknown>;
  if (typeof name !== 'string') return { error: 'name: a string is required' };
  const trimmed = name.trim();
  if (trimmed.length === 0) return { error: 'name: must not be empty' };
  if (trimmed.length > MAX_VERSION_NAME_LENGTH) return { error: `name: at most ${MAX_VERSION_NAME_LENGTH} characters` };
  if (restoredFrom === undefined) return { name: trimmed };
  if (!isValidId(restoredFrom)) return { error: 'restoredFrom: not a version id' };
  return { name: trimmed, restoredFrom };
}
