import pg from 'pg';
import { createAppendQueue } from './appendQueue.ts';
import { BOARD_COLUMNS, assembleState, boardFromRow, type BadRow, type BoardRow, type RawRow, type RawSnapshotRow } from './boardState.ts';
import { checksum } from './checksum.ts';
import { decodeVersionState, encodeVersionState, versionFromRow, type VersionRow } from './versionRows.ts';
import { UnknownBoardError, type BoardStore, type StoredBoardState } from './types.ts';

/**
 * The store several Planvas instances share: PostgreSQL through a pg Pool (DATABASE_URL).
 *
 * Seqs are gap-free and commit-ordered per board: `boards.head_seq` is the board's counter,
 * taken by the appending statement itself (`UPDATE boards SET head_seq = head_seq + n`), so
 * that row's lock serialises the appenders of one board across instances until they commit
 * (other boards are not blocked) and a reader that saw seq s never sees a smaller one appear.
 *
 * Every operation that must be atomic is one statement (data-modifying CTEs) where it can be:
 * one round trip, and a statement is its own transaction. Reads of snapshot + log are one
 * statement too, so a concurrent compaction cannot make rows disappear between the two.
 *
 * A hung or unreachable database never hangs a request forever: connecting gives up after
 * 3 s, a query after 10 s (client side, works even when the server is frozen), and the server
 * cancels statements after 10 s. An idle connection that breaks is dropped by the pool and a
 * new one is opened on the next query (reconnection is automatic). A call that timed out has an
 * unknown outcome: the statement may still commit once the server resumes. Retrying an append
 * is safe (a Yjs update applied twice changes nothing; the row just appears twice in the log).
 *
 * @example const store = await openPostgresStore('postgres://planvas@db/planvas'); await store.ping();
 */

const QUERY_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 3_000;
const POOL_SIZE = 10;
/** pg_advisory_xact_lock key for schema creation, so two instances starting at once don't race on CREATE TABLE. */
const SCHEMA_LOCK_KEY = 0x504c414e; // "PLAN"
const SECRET_SETTING = 'token_secret';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
  id text PRIMARY KEY,
  title text NOT NULL,
  created_at text NOT NULL,
  head_seq bigint NOT NULL DEFAULT 0,
  edit_generation integer NOT NULL DEFAULT 0,
  view_generation integer NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS snapshots (
  board_id text PRIMARY KEY REFERENCES boards(id),
  data bytea NOT NULL,
  checksum bigint NOT NULL,
  last_seq bigint NOT NULL,
  updated_at text NOT NULL,
  state_vector bytea,
  state_vector_checksum bigint
);
CREATE TABLE IF NOT EXISTS updates (
  board_id text NOT NULL REFERENCES boards(id),
  seq bigint NOT NULL,
  data bytea NOT NULL,
  checksum bigint NOT NULL,
  PRIMARY KEY (board_id, seq)
);
CREATE TABLE IF NOT EXISTS board_versions (
  id text PRIMARY KEY,
  board_id text NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  position bigserial NOT NULL,
  name text NOT NULL,
  kind text NOT NULL,
  created_at text NOT NULL,
  authors text NOT NULL,
  summary text NOT NULL,
  restored_from text,
  data bytea NOT NULL,
  checksum bigint NOT NULL,
  encoding text NOT NULL
);
CREATE INDEX IF NOT EXISTS board_versions_board ON board_versions (board_id, created_at);
CREATE TABLE IF NOT EXISTS quarantine (
  board_id text NOT NULL REFERENCES boards(id),
  kind text NOT NULL,
  seq bigint NOT NULL,
  data bytea NOT NULL,
  checksum bigint NOT NULL,
  detail text NOT NULL,
  detected_at text NOT NULL,
  PRIMARY KEY (board_id, kind, seq)
);
CREATE TABLE IF NOT EXISTS settings (
  key text PRIMARY KEY,
  value text NOT NULL
);
`;

/** Columns added after a table was first created (a database written by an older Planvas lacks them). */
const MIGRATIONS = `
ALTER TABLE snapshots ADD COLUMN IF NOT EXISTS state_vector bytea, ADD COLUMN IF NOT EXISTS state_vector_checksum bigint;
`;

/** Every table of the schema: when all exist, opening needs no DDL (a role without CREATE rights can still run). */
const TABLES = ['boards', 'snapshots', 'updates', 'board_versions', 'quarantine', 'settings'] as const;

export interface PostgresStoreOptions {
  /** Told about errors of idle connections (the pool recovers by itself); default: ignored. */
  onError?: (err: Error) => void;
  /** Default 10. */
  poolSize?: number;
  /** How long one statement may take before it is abandoned (client side) and cancelled (server side). Default 10 s. */
  queryTimeoutMs?: number;
  /** How long opening a connection may take. Default 3 s. */
  connectTimeoutMs?: number;
}

/** A Uint8Array as a Buffer without copying (pg sends Buffers as binary parameters). */
function buf(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** bigint columns arrive as strings (pg does not narrow int8 to number); every value here is < 2^53. */
function num(value: string | number | null): number {
  return value === null ? 0 : Number(value);
}

function isForeignKeyViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23503';
}

/** A URL without its password, for error messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<BoardStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? POOL_SIZE,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    query_timeout: opts.queryTimeoutMs ?? QUERY_TIMEOUT_MS,
    statement_timeout: opts.queryTimeoutMs ?? QUERY_TIMEOUT_MS,
    idle_in_transaction_session_timeout: (opts.queryTimeoutMs ?? QUERY_TIMEOUT_MS) * 3,
    keepAlive: true,
    application_name: 'planvas',
  });
  // Without a listener an idle client losing its connection (database restarted) would be an
  // unhandled 'error' event and crash the process. The pool has already dropped that client.
  pool.on('error', (err) => opts.onError?.(err));

  try {
    await createSchema(pool);
  } catch (err) {
    await pool.end().catch(() => {});
    throw new Error(`PostgreSQL at ${redact(url)}: could not prepare the schema: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }

  const query = <R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> => pool.query<R>(text, values);

  /** Runs `fn` in one transaction on one connection; a failed connection is discarded, not reused. */
  const transaction = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      // Destroy rather than reuse: the error may have been the connection itself.
      client.release(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
  };

  const quarantine = async (id: string, bad: readonly BadRow[]): Promise<void> => {
    if (bad.length === 0) return;
    const now = new Date().toISOString();
    // Once per row: loading the board again reports the row again but does not copy it again.
    await query(
      `INSERT INTO quarantine (board_id, kind, seq, data, checksum, detail, detected_at)
       SELECT $1, k, s, d, c, t, $7 FROM unnest($2::text[], $3::bigint[], $4::bytea[], $5::bigint[], $6::text[]) AS q(k, s, d, c, t)
       WHERE EXISTS (SELECT 1 FROM boards WHERE id = $1)
       ON CONFLICT DO NOTHING`,
      [id, bad.map((b) => b.kind), bad.map((b) => b.seq), bad.map((b) => buf(b.data)), bad.map((b) => b.checksum), bad.map((b) => b.detail), now],
    );
  };

  interface StateRow {
    kind: number;
    seq: string;
    data: Buffer | null;
    checksum: string | null;
    sv: Buffer | null;
    sv_checksum: string | null;
  }
  /**
   * One statement = one consistent view of registry, snapshot and log. `afterSeq` null: the
   * whole board. A number: rows after it, with the snapshot only when it covers rows beyond it.
   */
  const readState = async (id: string, afterSeq: number | null): Promise<StoredBoardState> => {
    const { rows } = await query<StateRow>(
      `WITH snap AS (SELECT last_seq, data, checksum, state_vector, state_vector_checksum FROM snapshots WHERE board_id = $1)
       SELECT -1 AS kind, 0::bigint AS seq, NULL::bytea AS data, NULL::bigint AS checksum, NULL::bytea AS sv, NULL::bigint AS sv_checksum FROM boards WHERE id = $1
       UNION ALL
       SELECT 0, last_seq, data, checksum, state_vector, state_vector_checksum FROM snap WHERE $3 OR last_seq > $2
       UNION ALL
       SELECT 1, seq, data, checksum, NULL, NULL FROM updates
         WHERE board_id = $1 AND seq > GREATEST($2::bigint, COALESCE((SELECT last_seq FROM snap), 0))
       ORDER BY 1, 2`,
      [id, afterSeq ?? 0, afterSeq === null],
    );
    if (rows.length === 0 || rows[0]!.kind !== -1) throw new UnknownBoardError(id);
    let snapshot: RawSnapshotRow | null = null;
    const updates: RawRow[] = [];
    for (const row of rows) {
      if (row.kind === -1 || row.data === null) continue;
      const raw = { seq: num(row.seq), data: row.data, checksum: num(row.checksum) };
      if (row.kind === 0) snapshot = { ...raw, stateVector: row.sv, stateVectorChecksum: row.sv_checksum === null ? null : num(row.sv_checksum) };
      else updates.push(raw);
    }
    const { state, bad } = assembleState(snapshot, updates, afterSeq ?? 0);
    try {
      // Before the rows are returned: the caller will compact over them, so the copy must exist first.
      await quarantine(id, bad);
    } catch (err) {
      if (isForeignKeyViolation(err)) throw new UnknownBoardError(id); // deleted meanwhile
      throw err;
    }
    return state;
  };

  const appendOne = async (id: string, update: Uint8Array): Promise<number> => {
    // A single row goes as a binary parameter (an array parameter is sent as hex text: 2x the bytes).
    const { rows } = await query<{ seq: string }>(
      `WITH head AS (UPDATE boards SET head_seq = head_seq + 1 WHERE id = $1 RETURNING head_seq)
       INSERT INTO updates (board_id, seq, data, checksum) SELECT $1, head_seq, $2, $3 FROM head RETURNING seq`,
      [id, buf(update), checksum(update)],
    );
    if (!rows[0]) throw new UnknownBoardError(id);
    return num(rows[0].seq);
  };

  const appendMany = async (id: string, updates: readonly Uint8Array[]): Promise<number[]> => {
    if (updates.length === 1) return [await appendOne(id, updates[0]!)];
    // The counter update and the inserts are one statement: the row lock on boards(id) is held
    // until commit, so seqs are gap-free and appear in order. No row: unknown board.
    const { rows } = await query<{ last: string }>(
      `WITH head AS (UPDATE boards SET head_seq = head_seq + $2 WHERE id = $1 RETURNING head_seq),
       ins AS (
         INSERT INTO updates (board_id, seq, data, checksum)
         SELECT $1, head.head_seq - $2 + u.ord, u.data, u.checksum
         FROM head, unnest($3::bytea[], $4::bigint[]) WITH ORDINALITY AS u(data, checksum, ord)
       )
       SELECT head_seq AS last FROM head`,
      [id, updates.length, updates.map(buf), updates.map((u) => checksum(u))],
    );
    if (rows.length === 0) throw new UnknownBoardError(id);
    const last = num(rows[0]!.last);
    return updates.map((_, i) => last - updates.length + 1 + i);
  };
  // One write per board at a time, in call order (see appendQueue.ts).
  const append = createAppendQueue(appendMany);

  let closed = false;
  return {
    sharedLog: true,
    async ping() {
      await query('SELECT 1');
    },
    async identity() {
      // The cluster's system identifier (random at initdb) and the database's OID: the same
      // for every instance on this database whatever host name they reach it by, different for
      // a restored copy (a new database) or another cluster.
      const { rows } = await query<{ oid: string }>('SELECT oid::text AS oid FROM pg_database WHERE datname = current_database()');
      const oid = rows[0]?.oid ?? '0';
      try {
        const system = await query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()');
        return `${system.rows[0]?.id ?? 'pg'}-${oid}`;
      } catch {
        // Some managed services refuse pg_control_system(): the database name narrows it instead.
        const name = await query<{ name: string }>('SELECT current_database() AS name');
        return `${name.rows[0]?.name ?? 'db'}-${oid}`;
      }
    },
    async sharedSecret(candidate) {
      // Two statements on purpose: the SELECT must see a row another instance committed while
      // our INSERT waited on it (a single statement would read from its own older snapshot).
      await query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [SECRET_SETTING, candidate]);
      const { rows } = await query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [SECRET_SETTING]);
      return rows[0]?.value ?? candidate;
    },
    async createBoard(record, firstUpdate) {
      await query(
        `WITH b AS (INSERT INTO boards (id, title, created_at, head_seq) VALUES ($1, $2, $3, 1) RETURNING id)
         INSERT INTO updates (board_id, seq, data, checksum) SELECT id, 1, $4, $5 FROM b`,
        [record.id, record.title, record.createdAt, buf(firstUpdate), checksum(firstUpdate)],
      );
    },
    async getBoard(id) {
      const { rows } = await query<BoardRow>(
        `SELECT ${BOARD_COLUMNS} FROM boards WHERE id = $1`,
        [id],
      );
      const row = rows[0];
      return row ? boardFromRow(row) : null;
    },
    async loadBoardState(id) {
      return readState(id, null);
    },
    async loadUpdatesSince(id, afterSeq) {
      return readState(id, afterSeq);
    },
    async headSeq(id) {
      const { rows } = await query<{ head_seq: string }>('SELECT head_seq FROM boards WHERE id = $1', [id]);
      return rows[0] ? num(rows[0].head_seq) : null;
    },
    async rotateLink(id, role) {
      const column = role === 'edit' ? 'edit_generation' : 'view_generation';
      const { rows } = await query<{ generation: number }>(`UPDATE boards SET ${column} = ${column} + 1 WHERE id = $1 RETURNING ${column} AS generation`, [id]);
      if (!rows[0]) throw new UnknownBoardError(id);
      return rows[0].generation;
    },
    async appendUpdate(id, update) {
      const [seq] = await append(id, [update]);
      return seq!;
    },
    async appendUpdates(id, updates) {
      if (updates.length === 0) return [];
      return append(id, updates);
    },
    async compact(id, snapshot, upToSeq, snapshotVector) {
      // One statement: the snapshot never moves backwards (an older compaction arriving late
      // changes nothing) and the covered rows go with it, or neither happens.
      const { rows } = await query<{ found: string }>(
        `WITH b AS (SELECT id FROM boards WHERE id = $1),
         s AS (
           INSERT INTO snapshots (board_id, data, checksum, last_seq, updated_at, state_vector, state_vector_checksum) SELECT id, $2, $3, $4, $5, $6, $7 FROM b
           ON CONFLICT (board_id) DO UPDATE SET data = excluded.data, checksum = excluded.checksum, last_seq = excluded.last_seq, updated_at = excluded.updated_at,
             state_vector = excluded.state_vector, state_vector_checksum = excluded.state_vector_checksum
           WHERE excluded.last_seq >= snapshots.last_seq
         ),
         d AS (DELETE FROM updates WHERE board_id = $1 AND seq <= $4 AND EXISTS (SELECT 1 FROM b))
         SELECT count(*) AS found FROM b`,
        [id, buf(snapshot), checksum(snapshot), upToSeq, new Date().toISOString(), snapshotVector ? buf(snapshotVector) : null, snapshotVector ? checksum(snapshotVector) : null],
      );
      if (num(rows[0]?.found ?? 0) === 0) throw new UnknownBoardError(id);
    },
    async setBoardTitle(id, title) {
      const { rowCount } = await query('UPDATE boards SET title = $2 WHERE id = $1', [id, title]);
      if (!rowCount) throw new UnknownBoardError(id);
    },
    async logLength(id) {
      const { rows } = await query<{ n: string }>(
        `SELECT count(*) AS n FROM updates
         WHERE board_id = $1 AND seq > COALESCE((SELECT last_seq FROM snapshots WHERE board_id = $1), 0)`,
        [id],
      );
      return num(rows[0]?.n ?? 0);
    },
    async deleteBoard(id) {
      return transaction(async (client) => {
        // Lock the registry row first: a concurrent append waits, then finds no board.
        const found = await client.query('SELECT 1 FROM boards WHERE id = $1 FOR UPDATE', [id]);
        if (!found.rowCount) return false;
        // Every table that references boards (found in the catalog, so a table added later
        // cannot be forgotten here; a missed one would fail the registry delete and roll back).
        const children = await client.query<{ child: string }>(
          `SELECT DISTINCT conrelid::regclass::text AS child FROM pg_constraint WHERE contype = 'f' AND confrelid = 'boards'::regclass`,
        );
        for (const { child } of children.rows) await client.query(`DELETE FROM ${child} WHERE board_id = $1`, [id]);
        await client.query('DELETE FROM boards WHERE id = $1', [id]);
        return true;
      });
    },
    async saveVersion(boardId, v) {
      const stored = await encodeVersionState(v.state);
      try {
        const { rowCount } = await query(
          `INSERT INTO board_versions (id, board_id, name, kind, created_at, authors, summary, restored_from, data, checksum, encoding)
           SELECT $1, id, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM boards WHERE id = $2`,
          [v.id, boardId, v.name, v.kind, v.createdAt, JSON.stringify(v.authors), JSON.stringify(v.summary), v.restoredFrom ?? null, stored.data, stored.checksum, stored.encoding],
        );
        if (!rowCount) throw new UnknownBoardError(boardId);
      } catch (err) {
        // The board was deleted between the SELECT and the insert's foreign-key check.
        if (isForeignKeyViolation(err)) throw new UnknownBoardError(boardId);
        throw err;
      }
    },
    async listVersions(boardId) {
      const { rows } = await query<VersionRow>(
        'SELECT id, name, kind, created_at, authors, summary, restored_from FROM board_versions WHERE board_id = $1 ORDER BY created_at DESC, position DESC',
        [boardId],
      );
      return rows.map(versionFromRow);
    },
    async getVersionState(boardId, versionId) {
      const { rows } = await query<{ data: Buffer; checksum: string; encoding: string }>(
        'SELECT data, checksum, encoding FROM board_versions WHERE board_id = $1 AND id = $2',
        [boardId, versionId],
      );
      const row = rows[0];
      return row ? decodeVersionState(boardId, versionId, { data: row.data, checksum: num(row.checksum), encoding: row.encoding }) : null;
    },
    async deleteVersions(boardId, versionIds) {
      if (versionIds.length === 0) return 0;
      const { rowCount } = await query('DELETE FROM board_versions WHERE board_id = $1 AND id = ANY($2::text[])', [boardId, [...versionIds]]);
      return rowCount ?? 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** Creates the tables if any is missing and adds missing columns; serialised across instances by an advisory lock held for the transaction. */
async function createSchema(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ tables: string; migrated: string }>(
    `SELECT (SELECT count(*) FROM unnest($1::text[]) AS t(name) WHERE to_regclass(name) IS NOT NULL) AS tables,
            (SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'snapshots' AND column_name = 'state_vector') AS migrated`,
    [[...TABLES]],
  );
  if (Number(rows[0]?.tables) === TABLES.length && Number(rows[0]?.migrated) === 1) return;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    await client.query(SCHEMA);
    await client.query(MIGRATIONS);
    await client.query('COMMIT');
    client.release();
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    client.release(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
}
