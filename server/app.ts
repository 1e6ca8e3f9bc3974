import { Hono } from 'hono';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { BoardStore } from './storage/types.ts';
import type { Rooms } from './sync/rooms.ts';
import { boardRoutes } from './http/boards.ts';
import { planRoutes } from './http/plan.ts';
import { commentRoutes } from './http/comments.ts';
import { settingsRoutes } from './http/settings.ts';
import { staticRoutes } from './http/static.ts';
import { versionRoutes } from './http/versions.ts';

export interface AppDeps {
  store: BoardStore;
  rooms: Rooms;
  metrics: Metrics;
  logger: Logger;
  secret: string;
  publicUrl: string | null;
  clientDir: string;
  startedAt: number;
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

  app.get('/healthz', (c) => c.json({ ok: true, uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000), rooms: deps.rooms.size }));
  app.get('/metrics', (c) => c.text(deps.metrics.render(), 200, { 'Content-Type': 'text/plain; version=0.0.4' }));
  app.route('/api/boards', boardRoutes(deps));
  app.route('/api/boards', planRoutes(deps));
  app.route('/api/boards', commentRoutes(deps));
  app.route('/api/boards', settingsRoutes(deps));
  app.route('/api/boards', versionRoutes(deps));
  app.all('/api/*', (c) => c.json({ error: 'not found' }, 404));
  app.all('/ws/*', (c) => c.json({ error: 'WebSocket upgrade required' }, 426));
  app.route('/', staticRoutes(deps.clientDir));
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    deps.logger.error('request failed', { path: c.req.path, err });
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
