import { describe, expect, it } from 'vitest';
import { localFanout, type Fanout } from '../../server/cluster/fanout.ts';
import { healthRoutes, type HealthDeps } from '../../server/http/health.ts';
import { silentLogger } from '../../server/log.ts';
import { Metrics } from '../../server/metrics.ts';
import type { BoardStore } from '../../server/storage/types.ts';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.ts';

/**
 * The readiness decision of server/http/health.ts, with stand-ins for what it pings (the
 * integration test test/integration/operations.test.ts runs it against a real server).
 */
type Ping = () => Promise<void>;
const ok: Ping = async () => {};
const fails: Ping = async () => {
  throw new Error('ECONNREFUSED');
};
const hangs: Ping = () => new Promise(() => {});

function routes(opts: { storage?: Ping; fanout?: Ping | null; healthy?: boolean; lagMs?: number | null; draining?: boolean; metrics?: Metrics }) {
  const store = { ping: opts.storage ?? ok } as unknown as BoardStore; // only ping is read by the routes
  const fanout: Fanout | undefined =
    opts.fanout === undefined ? undefined
    : opts.fanout === null ? localFanout('i1')
    : { ...localFanout('i1'), enabled: true, healthy: opts.healthy ?? true, lastLagMs: opts.lagMs ?? null, ping: opts.fanout };
  const deps: HealthDeps = {
    store,
    metrics: opts.metrics ?? new Metrics(),
    logger: silentLogger,
    startedAt: Date.now() - 5000,
    roomCount: () => 3,
    fanout,
    draining: () => opts.draining ?? false,
    readyTimeoutMs: 200,
  };
  return healthRoutes(deps);
}

async function readyz(app: ReturnType<typeof routes>): Promise<{ status: number; body: unknown }> {
  const res = await app.request('/readyz');
  return { status: res.status, body: await res.json() };
}

describe('/readyz', () => {
  it('is ready when storage answers, with the fan-out off on a single instance', async () => {
    expect(await readyz(routes({}))).toEqual({ status: 200, body: { ready: true, storage: 'ok', fanout: 'off' } });
    expect(await readyz(routes({ fanout: null }))).toEqual({ status: 200, body: { ready: true, storage: 'ok', fanout: 'off' } });
  });

  it('is ready when storage and Redis both answer', async () => {
    expect(await readyz(routes({ fanout: ok }))).toEqual({ status: 200, body: { ready: true, storage: 'ok', fanout: 'ok' } });
  });

  it.each([
    ['storage fails', { storage: fails }, { storage: 'unavailable', fanout: 'ok' }],
    ['storage hangs past the timeout', { storage: hangs }, { storage: 'unavailable', fanout: 'ok' }],
    ['Redis fails', { fanout: fails }, { storage: 'ok', fanout: 'unavailable' }],
    ['Redis hangs', { fanout: hangs }, { storage: 'ok', fanout: 'unavailable' }],
    ['both fail', { storage: fails, fanout: hangs }, { storage: 'unavailable', fanout: 'unavailable' }],
  ])('is 503 naming what failed when %s', async (_name, opts, expected) => {
    const started = Date.now();
    const res = await readyz(routes({ fanout: ok, ...opts }));
    expect(res).toEqual({ status: 503, body: { ready: false, ...expected } });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('?require=storage stays ready while Redis is down (it still says so), but not while storage is', async () => {
    const res = await routes({ fanout: fails }).request('/readyz?require=storage');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true, storage: 'ok', fanout: 'unavailable' });
    expect((await routes({ storage: fails, fanout: ok }).request('/readyz?require=storage')).status).toBe(503);
    expect((await routes({}).request('/readyz?require=everything')).status).toBe(400);
  });

  it('is 503 at once while draining, without pinging anything', async () => {
    let pinged = false;
    const res = await readyz(routes({ draining: true, storage: async () => void (pinged = true), fanout: hangs }));
    expect(res).toEqual({ status: 503, body: { ready: false, draining: true } });
    expect(pinged).toBe(false);
  });
});

describe('/healthz and /metrics', () => {
  it('/healthz answers alive with uptime and rooms', async () => {
    const res = await routes({ storage: fails }).request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, uptimeSeconds: 5, rooms: 3 });
  });

  it('/metrics reads the fan-out state at scrape time', async () => {
    const res = await routes({ fanout: ok, healthy: false, lagMs: 25 }).request('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const f = parsePrometheus(await res.text());
    expect(sampleValue(f, 'planvas_fanout_connected')).toBe(0);
    expect(sampleValue(f, 'planvas_fanout_lag_seconds')).toBe(0.025);
  });

  it('/metrics shows no fan-out gauge on a single instance', async () => {
    const f = parsePrometheus(await (await routes({ fanout: null }).request('/metrics')).text());
    expect(sampleValue(f, 'planvas_fanout_connected')).toBeUndefined();
  });
});
