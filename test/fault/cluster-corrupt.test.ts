import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { waitFor, type TestClient } from '../helpers/clients.ts';
import { synced, type Cluster } from '../helpers/cluster.ts';
import { clusterSuite } from '../helpers/clusterSuite.ts';
import { boardApiUrl } from '../helpers/server.ts';

/** Runs one statement on the test database (damage done behind the server's back); resolves with the rows. */
async function sql(url: string, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query(text, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** Flips every bit of one byte in the middle of a bytea (the checksum column is left as it was). */
const FLIP_A_BYTE = `set_byte(data, length(data) / 2, get_byte(data, length(data) / 2) # 255)`;

function titles(client: TestClient): string[] {
  return [...readBoard(client.doc).tasks.values()].map((t) => t.title).sort();
}

/** The error log lines of instance i that name the board. */
function errorsNaming(cluster: Cluster, i: number, boardId: string) {
  return cluster.logs(i).filter((l) => l.level === 'error' && JSON.stringify(l).includes(boardId));
}

describe('a corrupted snapshot or log row in PostgreSQL is detected, reported, and the rest of the board recovers', () => {
  const suite = clusterSuite();

  it('a damaged log row: the other rows load, the damage is logged and counted, a client that still has the edit re-sends it', async () => {
    const database = await suite.database();
    const cluster = await suite.cluster({ databaseUrl: database, size: 1, env: { PLANVAS_COMPACT_AFTER: '1000' } });
    const board = await cluster.createBoard(0, 'Damaged log');
    const keeper = cluster.connect(0, board.id, board.editToken);
    await synced([keeper]);
    for (let i = 0; i < 6; i++) {
      createTask(keeper.doc, { title: `t${i}` });
      await waitFor(async () => (await cluster.metric(0, 'planvas_updates_stored_total')) >= i + 1, `t${i} stored`, 10_000);
    }
    // Keep the keeper's document (as a browser keeps it in IndexedDB), drop its connection, and
    // kill the instance so the log is not compacted.
    keeper.provider.destroy();
    await cluster.sigkill(0);
    const rows = await sql(database, 'SELECT seq FROM updates WHERE board_id = $1 ORDER BY seq', [board.id]);
    expect(rows.length).toBeGreaterThanOrEqual(7);
    const lastSeq = rows[rows.length - 1]!.seq;
    // The newest row holds t5 (one row per edit, appended in order).
    await sql(database, `UPDATE updates SET data = ${FLIP_A_BYTE} WHERE board_id = $1 AND seq = $2`, [board.id, lastSeq]);

    await cluster.start(0);
    const fresh = cluster.connect(0, board.id, board.viewToken);
    await synced([fresh]);
    expect(titles(fresh)).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect(await sql(database, 'SELECT kind, seq::int AS seq FROM quarantine WHERE board_id = $1', [board.id]), 'the damaged row is kept in quarantine').toEqual([{ kind: 'update', seq: Number(lastSeq) }]);
    await waitFor(() => errorsNaming(cluster, 0, board.id).length > 0, 'an error log line naming the board', 10_000);
    expect(await cluster.metric(0, 'planvas_corrupt_rows_total')).toBeGreaterThanOrEqual(1);
    console.log(`cluster-corrupt: damaged log row reported as ${JSON.stringify(errorsNaming(cluster, 0, board.id)[0])}`);

    // The keeper reconnects with its document: the lost edit is re-sent and stored.
    cluster.connect(0, board.id, board.editToken, { doc: keeper.doc });
    await waitFor(() => titles(fresh).includes('t5'), 'the lost edit comes back from a client that had it', 15_000);
    const check = cluster.connect(0, board.id, board.viewToken);
    await synced([check]);
    expect(titles(check)).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
  }, 90_000);

  it('a damaged snapshot: the newest version plus the later log rows restore the board', async () => {
    const database = await suite.database();
    const cluster = await suite.cluster({ databaseUrl: database, size: 1, env: { PLANVAS_COMPACT_AFTER: '1000' } });
    const board = await cluster.createBoard(0, 'Damaged snapshot');
    const writer = cluster.connect(0, board.id, board.editToken);
    await synced([writer]);
    for (let i = 0; i < 6; i++) createTask(writer.doc, { title: `s${i}` });
    await waitFor(async () => (await cluster.metric(0, 'planvas_updates_stored_total')) >= 6, 's0..s5 stored', 10_000);
    const saved = await fetch(boardApiUrl(cluster.node(0).url, board.id, 'versions', board.editToken), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Before damage' }),
    });
    expect(saved.status).toBe(201);
    // SIGTERM flushes: the whole log is compacted into the snapshot.
    writer.destroy();
    expect(await cluster.sigterm(0)).toEqual({ code: 0, signal: null });
    expect(await sql(database, 'SELECT seq FROM updates WHERE board_id = $1', [board.id])).toEqual([]);

    // Later edits, in the log after the snapshot; SIGKILL keeps them there.
    await cluster.start(0);
    const later = cluster.connect(0, board.id, board.editToken);
    await synced([later]);
    for (let i = 0; i < 2; i++) createTask(later.doc, { title: `late${i}` });
    await waitFor(async () => (await cluster.metric(0, 'planvas_updates_stored_total')) >= 2, 'late edits stored', 10_000);
    later.destroy();
    await cluster.sigkill(0);
    expect((await sql(database, 'SELECT seq FROM updates WHERE board_id = $1', [board.id])).length).toBe(2);
    await sql(database, `UPDATE snapshots SET data = ${FLIP_A_BYTE} WHERE board_id = $1`, [board.id]);

    await cluster.start(0);
    const fresh = cluster.connect(0, board.id, board.viewToken);
    await synced([fresh]);
    await waitFor(() => errorsNaming(cluster, 0, board.id).length > 0, 'an error log line naming the board', 10_000);
    expect(await cluster.metric(0, 'planvas_corrupt_rows_total')).toBeGreaterThanOrEqual(1);
    expect(titles(fresh)).toEqual(['late0', 'late1', 's0', 's1', 's2', 's3', 's4', 's5']);
    expect((await sql(database, 'SELECT kind FROM quarantine WHERE board_id = $1', [board.id])).map((r) => r.kind), 'the damaged snapshot is kept in quarantine').toEqual(['snapshot']);
    console.log(`cluster-corrupt: damaged snapshot reported as ${JSON.stringify(errorsNaming(cluster, 0, board.id).at(-1))}; board restored from the version + log`);
  }, 90_000);
});
