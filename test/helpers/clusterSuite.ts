import { afterAll, afterEach, beforeAll } from 'vitest';
import { startCluster, type Cluster, type ClusterOptions } from './cluster.ts';
import { createFreshDatabase, startPostgres, type TestPostgres } from './postgres.ts';
import { startRedis, type TestRedis } from './redis.ts';
import { startTcpProxy, type TcpProxy } from './tcpProxy.ts';

/**
 * What a multi-instance fault test file keeps around its clusters: one real PostgreSQL server
 * (and, with `redis: true`, one real Redis) for the whole file, a fresh database per cluster,
 * TCP proxies, and the cleanup. When a test fails, every instance's log of the clusters it
 * started is printed; an instance that exited without being signalled (a crash) fails the
 * test. afterAll stops clusters, proxies, Redis and PostgreSQL, in that order.
 *
 * @example
 *   const suite = clusterSuite({ redis: true });
 *   it('...', async () => {
 *     const cluster = await suite.cluster({ env: { PLANVAS_LOG_POLL_INTERVAL: '300ms' } });
 *   });
 */
export function clusterSuite(opts: { redis?: boolean } = {}) {
  let postgres: TestPostgres | null = null;
  let redis: TestRedis | null = null;
  const clusters: Cluster[] = [];
  const proxies: TcpProxy[] = [];
  /** Clusters started by the running test (their logs are printed if it fails). */
  let startedInTest: Cluster[] = [];

  beforeAll(async () => {
    const [pg, rd] = await Promise.all([startPostgres(), opts.redis ? startRedis() : Promise.resolve(null)]);
    postgres = pg;
    redis = rd;
  }, 90_000);

  afterEach(async (ctx) => {
    const clustersOfTest = startedInTest;
    startedInTest = [];
    const crashes = clustersOfTest.flatMap((c) => c.crashes());
    if (ctx.task.result?.state === 'fail' || crashes.length > 0) {
      for (const c of clustersOfTest) console.log(c.report());
      if (postgres) console.log(`--- postgres log\n${postgres.log()}`);
    }
    // A cluster lives for one test: idle instances would still poll the log and take CPU from the next.
    for (const c of clustersOfTest) await c.close().catch(() => {});
    // Surviving the fault includes not crashing: an instance that died on its own fails the test.
    if (crashes.length > 0) throw new Error(`Planvas instances crashed: ${JSON.stringify(crashes)}`);
  }, 60_000);

  afterAll(async () => {
    // Normally closed by afterEach already (close is idempotent).
    for (const c of clusters) await c.close().catch(() => {});
    for (const p of proxies) await p.close().catch(() => {});
    await redis?.stop().catch(() => {});
    await postgres?.stop().catch(() => {});
  }, 60_000);

  const suite = {
    get postgres(): TestPostgres {
      if (!postgres) throw new Error('PostgreSQL is not started yet (use the suite inside tests)');
      return postgres;
    },
    get redis(): TestRedis {
      if (!redis) throw new Error('this suite has no Redis (clusterSuite({ redis: true }))');
      return redis;
    },
    /** A fresh empty database on the suite's PostgreSQL. */
    database: (): Promise<string> => createFreshDatabase(suite.postgres.url, 'cluster'),
    /** A TCP proxy to the suite's PostgreSQL (closed after the file). */
    async postgresProxy(): Promise<TcpProxy> {
      const p = await startTcpProxy([suite.postgres.port]);
      proxies.push(p);
      return p;
    },
    /** A TCP proxy to these ports, first that accepts (a load balancer; closed after the file). */
    async proxy(targets: number[]): Promise<TcpProxy> {
      const p = await startTcpProxy(targets);
      proxies.push(p);
      return p;
    },
    /** A cluster on a fresh database (and the suite's Redis unless `redisUrl` is given). */
    async cluster(options: Partial<ClusterOptions> = {}): Promise<Cluster> {
      const databaseUrl = options.databaseUrl ?? (await suite.database());
      const c = await startCluster({ redisUrl: redis?.url ?? null, ...options, databaseUrl });
      clusters.push(c);
      startedInTest.push(c);
      return c;
    },
  };
  return suite;
}

/** DATABASE_URL of `databaseUrl` but through `proxy` (same database, user; the proxy's port). */
export function throughProxy(databaseUrl: string, proxy: TcpProxy): string {
  const u = new URL(databaseUrl);
  u.port = String(proxy.port);
  return u.toString();
}
