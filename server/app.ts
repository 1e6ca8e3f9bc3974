import { Hono } from 'hono';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import { isStorageFailure, type BoardStore } from './storage/types.ts';
import { RoomUnavailableError } from './sync/room.ts';
import type { Rooms } from './sync/rooms.ts';
import { boardRoutes } from './http/boards.ts';
import { planRoutes } from './http/plan.ts';
import { commentRoutes } from './http/comments.ts';
import { settingsRoutes } from './http/settings.ts';
import { staticRoutes } from './http/static.ts';
import { versionRoutes } from './http/versions.ts';
import { healthRoutes } from './http/health.ts';
import type { Fanout } from './cluster/fanout.ts';
import { linkRoutes } from './http/links.ts';

export interface AppDeps {
  store: BoardStore;
  rooms: Rooms;
  metrics: Metrics;
  logger: Logger;
  secret: string;
  publicUrl: string | null;
  clientDir: string;
  startedAt: number;
  /** Cross-instance fan-out; /readyz pings it when enabled. Absent: single instance. */
  fanout?: Fanout;
  /** True once SIGTERM draining started: /readyz answers 503 at once. */
  draining?: () => boolean;
}

/**
 * The HTTP app: Web-standard Request in, Response out (no Node types), so it can be tested
 * with `app.request(...)` and mounted on any adapter. The WebSocket upgrade is not here: it
 * is a Node `upgrade` listener (server/http/upgrade.ts).
 *
 * @example const res = await createApp(deps).request('/healthz') // 200 {"ok":true,...}
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();

  app.route('/', healthRoutes({ ...deps, roomCount: () => deps.rooms.size }));
  app.route('/api/boards', boardRoutes(deps));
  app.route('/api/boards', planRoutes(deps));
  app.route('/api/boards', commentRoutes(deps));
  app.route('/api/boards', settingsRoutes(deps));
  app.route('/api/boards', versionRoutes(deps));
  app.route('/api/boards', linkRoutes(deps));
  app.all('/api/*', (c) => c.json({ error: 'not found' }, 404));
  app.all('/ws/*', (c) => c.json({ error: 'WebSocket upgrade required' }, 426));
  app.route('/', staticRoutes(deps.clientDir));
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    // The database did not answer: a passing outage, not a bug (the edit path holds edits meanwhile).
    if (isStorageFailure(err) || err instanceof RoomUnavailableError) {
      deps.logger.warn('request failed: storage unavailable', { path: c.req.path, err });
      return c.json({ error: 'storage is unavailable right now; try again shortly' }, 503, { 'Retry-After': '2' });
    }
    deps.logger.error('request failed', { path: c.req.path, err });
    deps.metrics.inc('planvas_errors_total', 1, { kind: 'internal' });
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
