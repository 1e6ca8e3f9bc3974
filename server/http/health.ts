import { Hono } from 'hono';
import type { Fanout } from '../cluster/fanout.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { BoardStore } from '../storage/types.ts';

/**
 * What a load balancer and a monitoring system ask the server (docs/operations.md):
 *
 *   GET /healthz  200 {"ok":true,"uptimeSeconds":12,"rooms":3}  while the process serves (liveness)
 *   GET /readyz   200 {"ready":true,"storage":"ok","fanout":"ok"|"off"}
 *                 503 {"ready":false,"storage":"ok"|"unavailable","fanout":"ok"|"unavailable"|"off"}
 *                 503 {"ready":false,"draining":true}   from SIGTERM on (nothing pinged)
 *   GET /readyz?require=storage   the same body, but ready as long as storage answers: Redis
 *                 down costs latency only (instances follow the log), and since every instance
 *                 shares one Redis, a load balancer probing plain /readyz takes them all out at once
 *   GET /metrics  Prometheus text format 0.0.4
 *
 * /readyz pings the database and (when several instances share Redis) the fan-out, each
 * bounded by `readyTimeoutMs`; a load balancer takes a 503 instance out of rotation. While
 * the server drains (SIGTERM) it answers 503 at once, without pinging: new clients must go
 * elsewhere while the existing ones are closed with 1001 and every board is flushed.
 *
 * @example app.route('/', healthRoutes({ store, metrics, logger, startedAt, roomCount: () => rooms.size }))
 */
export interface HealthDeps {
  store: BoardStore;
  metrics: Metrics;
  logger: Logger;
  startedAt: number;
  /** Boards loaded in memory (shown by /healthz). */
  roomCount: () => number;
  /** The fan-out; absent or `enabled: false` on a single instance ("fanout":"off"). */
  fanout?: Fanout;
  /** True once the server has started draining (SIGTERM). */
  draining?: () => boolean;
  /** How long each readiness ping may take. Default 1000 ms. */
  readyTimeoutMs?: number;
}

export type CheckState = 'ok' | 'unavailable' | 'off';

export type Readiness = { ready: boolean; storage: CheckState; fanout: CheckState } | { ready: false; draining: true };

export function healthRoutes(deps: HealthDeps): Hono {
  const app = new Hono();
  const timeoutMs = deps.readyTimeoutMs ?? 1000;
  let lastReady: boolean | null = null;

  app.get('/healthz', (c) => c.json({ ok: true, uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000), rooms: deps.roomCount() }));

  app.get('/readyz', async (c) => {
    const fanoutOn = deps.fanout?.enabled === true;
    const require = c.req.query('require');
    if (require !== undefined && require !== 'storage') return c.json({ error: 'require must be "storage" (or absent: storage and fan-out)' }, 400);
    const fanoutRequired = require === undefined;
    let body: Readiness;
    if (deps.draining?.() === true) {
      body = { ready: false, draining: true };
    } else {
      const [storage, fanout] = await Promise.all([
        probe(() => deps.store.ping(), timeoutMs),
        fanoutOn ? probe(() => deps.fanout!.ping(), timeoutMs) : Promise.resolve<CheckState>('off'),
      ]);
      body = { ready: storage === 'ok' && (!fanoutRequired || fanout !== 'unavailable'), storage, fanout };
    }
    if (body.ready !== lastReady) {
      // Logged on change only: a load balancer polls this every few seconds.
      if (body.ready) deps.logger.info('ready', { ...body });
      else deps.logger.warn('not ready', { ...body });
      lastReady = body.ready;
    }
    if (fanoutOn && 'fanout' in body) deps.metrics.set('planvas_fanout_connected', body.fanout === 'ok' ? 1 : 0);
    return c.json(body, body.ready ? 200 : 503, { 'Cache-Control': 'no-store' });
  });

  app.get('/metrics', (c) => {
    const lag = deps.fanout?.enabled === true ? deps.fanout.lastLagMs : null;
    // The fan-out keeps its own state; read it at scrape time so the gauges are never stale.
    if (deps.fanout?.enabled === true) {
      deps.metrics.set('planvas_fanout_connected', deps.fanout.healthy ? 1 : 0);
      if (lag !== null) deps.metrics.set('planvas_fanout_lag_seconds', lag / 1000);
    }
    return c.text(deps.metrics.render(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' });
  });

  return app;
}

/** 'ok' when `ping` resolves within `timeoutMs`, else 'unavailable' (never throws). */
async function probe(ping: () => Promise<void>, timeoutMs: number): Promise<CheckState> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckState>((resolve) => {
    timer = setTimeout(() => resolve('unavailable'), timeoutMs);
  });
  // A ping that rejects after the timeout has won must not become an unhandled rejection.
  const answered = Promise.resolve()
    .then(ping)
    .then(
      (): CheckState => 'ok',
      (): CheckState => 'unavailable',
    );
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
