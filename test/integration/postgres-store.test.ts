import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBoardUpdate } from '../../shared/doc/init.ts';
import { newId } from '../../shared/ids.ts';
import { openStore } from '../../server/storage/open.ts';
import { openPostgresStore } from '../../server/storage/postgres.ts';
import { runBoardStoreContract } from '../contract/board-store.contract.ts';
import { createFreshDatabase, startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { makeTempDir, removeTempDir } from '../helpers/server.ts';

/**
 * The BoardStore contract on a real PostgreSQL server (one per file, started here; a fresh
 * database per test), plus what only a networked store has: opening on an empty database from
 * two instances at once and choosing the store from DATABASE_URL.
 */
let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** Runs one statement on the test database directly (not through the store). */
async function sql<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Flips the last byte of a blob, as disk rot would (checksum left alone). */
const flipLastByte = (column: string) => `${column} = set_byte(${column}, length(${column}) - 1, get_byte(${column}, length(${column}) - 1) # 255)`;

runBoardStoreContract('postgres', async () => {
  const url = await createFreshDatabase(server.url, 'contract');
  return {
    store: await openPostgresStore(url),
    corruptLatestUpdate: async (boardId) => {
      await sql(url, `UPDATE updates SET ${flipLastByte('data')} WHERE board_id = $1 AND seq = (SELECT max(seq) FROM updates WHERE board_id = $1)`, [boardId]);
    },
    corruptSnapshot: async (boardId) => {
      await sql(url, `UPDATE snapshots SET ${flipLastByte('data')} WHERE board_id = $1`, [boardId]);
    },
    quarantined: async (boardId) =>
      (await sql<{ kind: string; seq: string }>(url, 'SELECT kind, seq FROM quarantine WHERE board_id = $1 ORDER BY kind, seq', [boardId])).map((r) => ({ kind: r.kind, seq: Number(r.seq) })),
    openAnother: () => openPostgresStore(url),
    stopDatabase: () => server.pause(),
    startDatabase: () => server.start(),
    cleanup: async () => {},
  };
});

describe('postgres store: opening', () => {
  it('several instances opening an empty database at once all get the schema, once', async () => {
    const url = await createFreshDatabase(server.url, 'race');
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url)));
    try {
      const id = newId();
      await stores[0]!.createBoard({ id, title: 'Shared', createdAt: new Date().toISOString() }, newBoardUpdate('Shared', ''));
      for (const store of stores) expect((await store.getBoard(id))?.title).toBe('Shared');
    } finally {
      for (const store of stores) await store.close();
    }
  });

  it('a database whose snapshots predate state vectors gets the columns on open, and its snapshot still loads', async () => {
    const url = await createFreshDatabase(server.url, 'migrate');
    const first = await openPostgresStore(url);
    const id = newId();
    const update = newBoardUpdate('Old', '');
    await first.createBoard({ id, title: 'Old', createdAt: new Date().toISOString() }, update);
    await first.compact(id, update, 1);
    await first.close();
    // As an older Planvas left it.
    await sql(url, 'ALTER TABLE snapshots DROP COLUMN state_vector, DROP COLUMN state_vector_checksum');
    const store = await openPostgresStore(url);
    try {
      const old = await store.loadBoardState(id);
      expect(old.snapshot).toEqual(update);
      expect(old.snapshotVector ?? null).toBeNull();
      const vector = new Uint8Array([1, 7, 3]);
      await store.compact(id, update, 1, vector);
      expect((await store.loadBoardState(id)).snapshotVector).toEqual(vector);
    } finally {
      await store.close();
    }
  });

  it('openStore: PostgreSQL for postgres:// and postgresql://, SQLite without a URL, a clear error for anything else', async () => {
    const url = await createFreshDatabase(server.url, 'open');
    const dir = makeTempDir('planvas-open-');
    try {
      for (const databaseUrl of [url, url.replace(/^postgres:/, 'postgresql:')]) {
        const store = await openStore({ databaseUrl, dataDir: dir });
        expect(store.sharedLog).toBe(true);
        await store.close();
      }
      const sqlite = await openStore({ databaseUrl: null, dataDir: dir });
      expect(sqlite.sharedLog).toBe(false);
      await sqlite.close();
      await expect(openStore({ databaseUrl: 'mysql://db/planvas', dataDir: dir })).rejects.toThrow(/postgres:\/\/.*"mysql:"/);
      await expect(openStore({ databaseUrl: 'planvas.db', dataDir: dir })).rejects.toThrow(/no scheme/);
    } finally {
      removeTempDir(dir);
    }
  });

  it('an unreachable database fails to open within a few seconds with the URL (no password) in the error', async () => {
    const started = Date.now();
    await expect(openPostgresStore('postgres://planvas:hunter2@127.0.0.1:1/planvas')).rejects.toThrow(/127\.0\.0\.1:1/);
    await expect(openPostgresStore('postgres://planvas:hunter2@127.0.0.1:1/planvas')).rejects.not.toThrow(/hunter2/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('postgres store: faults', () => {
  it('a hung database (frozen processes): calls reject within the query timeout, and work again once it answers', async () => {
    const url = await createFreshDatabase(server.url, 'frozen');
    const store = await openPostgresStore(url, { queryTimeoutMs: 1_000, connectTimeoutMs: 1_000 });
    try {
      const id = newId();
      await store.createBoard({ id, title: 'Hung', createdAt: new Date().toISOString() }, newBoardUpdate('Hung', ''));
      await server.freeze();
      const started = Date.now();
      try {
        await expect(store.ping()).rejects.toThrow();
        await expect(store.appendUpdate(id, Uint8Array.of(0, 0))).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(8_000);
      } finally {
        await server.thaw();
      }
      await waitUntil(() => store.ping());
      expect(await store.appendUpdate(id, Uint8Array.of(0, 0))).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('PostgreSQL killed (SIGKILL) and restarted: the store reconnects and nothing acknowledged is lost', async () => {
    const url = await createFreshDatabase(server.url, 'killed');
    const store = await openPostgresStore(url);
    try {
      const id = newId();
      await store.createBoard({ id, title: 'Crash', createdAt: new Date().toISOString() }, newBoardUpdate('Crash', ''));
      const seqs = await store.appendUpdates(id, Array.from({ length: 50 }, (_, i) => Uint8Array.of(i)));
      await server.kill();
      await expect(store.ping()).rejects.toThrow();
      await server.start();
      await waitUntil(() => store.ping());
      const state = await store.loadBoardState(id);
      expect(state.updates).toHaveLength(51);
      expect(state.lastSeq).toBe(seqs[49]);
      expect(await store.appendUpdate(id, Uint8Array.of(99))).toBe(52);
    } finally {
      await store.close();
    }
  });
});

/** Retries `attempt` until it resolves (20 s at most). */
async function waitUntil(attempt: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await attempt();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
