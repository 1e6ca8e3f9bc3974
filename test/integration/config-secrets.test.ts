import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPostgres, createFreshDatabase, type TestPostgres } from '../helpers/postgres.ts';
import { createBoard, makeTempDir, removeTempDir, spawnServer, type ChildServer } from '../helpers/server.ts';

/**
 * DATABASE_URL and REDIS_URL carry passwords: the server must run with them and never print
 * them (the `listening` line shows them redacted; start-up failures do not repeat them).
 * Real PostgreSQL (trust authentication accepts any password), real child processes.
 */
const PASSWORD = 'hunter2-do-not-log';

describe('configuration secrets', () => {
  let pgServer: TestPostgres;
  const dirs: string[] = [];
  const children: ChildServer[] = [];
  beforeAll(async () => {
    pgServer = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const c of children) await c.stop();
    await pgServer?.stop();
    for (const d of dirs) removeTempDir(d);
  });
  const dataDir = () => {
    const d = makeTempDir();
    dirs.push(d);
    return d;
  };

  it('runs on a DATABASE_URL with a password and logs it only redacted', async () => {
    const url = new URL(await createFreshDatabase(pgServer.url, 'secrets'));
    url.password = PASSWORD;
    const server = await spawnServer({ dataDir: dataDir(), env: { DATABASE_URL: url.toString(), PLANVAS_LOG_LEVEL: 'debug' } });
    children.push(server);
    // It really works on that database.
    await createBoard(server.url, 'on postgres');
    const listening = server.logs.find((l) => l.msg === 'listening')!;
    const redacted = new URL(url.toString());
    redacted.password = '***';
    expect(listening.database).toBe(redacted.toString());
    expect(listening.redis).toBeNull();
    await server.stop();
    expect(JSON.stringify(server.logs) + server.stderr()).not.toContain(PASSWORD);
  }, 60_000);

  it('a database that cannot be reached fails the start-up without printing the password', async () => {
    const port = await freePort();
    const failed = spawnServer({ dataDir: dataDir(), env: { DATABASE_URL: `postgres://app:${PASSWORD}@127.0.0.1:${port}/planvas` }, startTimeoutMs: 30_000 });
    const err = (await failed.then(
      (s) => {
        children.push(s);
        return new Error('started without its database');
      },
      (e: unknown) => e as Error,
    ));
    expect(err.message).toMatch(/exited before listening/);
    expect(err.message).not.toContain(PASSWORD);
  }, 60_000);

  it('a bad REDIS_URL or DATABASE_URL is a configuration error (exit 2) that does not repeat the URL', async () => {
    const envs: Record<string, string>[] = [{ REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:6379` }, { DATABASE_URL: `mysql://app:${PASSWORD}@127.0.0.1/planvas` }];
    for (const env of envs) {
      const err = await spawnServer({ dataDir: dataDir(), env }).then(
        () => new Error('started'),
        (e: unknown) => e as Error,
      );
      expect(err.message).toMatch(/"code":2/);
      expect(err.message).toMatch(/REDIS_URL needs DATABASE_URL|--database-url must be/);
      expect(err.message).not.toContain(PASSWORD);
    }
  }, 60_000);
});
