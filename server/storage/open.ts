import { openPostgresStore, type PostgresStoreOptions } from './postgres.ts';
import { openSqliteStore } from './sqlite.ts';
import type { BoardStore } from './types.ts';

export interface OpenStoreOptions {
  /** DATABASE_URL: postgres:// or postgresql:// selects PostgreSQL; null (or empty) the SQLite file in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** PostgreSQL only: told about errors of idle connections (the pool recovers by itself). */
  onError?: PostgresStoreOptions['onError'];
}

/**
 * The store the configuration asks for: PostgreSQL when DATABASE_URL is set (needed for several
 * instances), else the embedded SQLite file in the data dir. Any other scheme is refused with a
 * clear error rather than silently falling back to SQLite (which several instances can't share).
 */
export async function openStore(opts: OpenStoreOptions): Promise<BoardStore> {
  const url = opts.databaseUrl?.trim() ?? '';
  if (url === '') return openSqliteStore(opts.dataDir);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return openPostgresStore(url, opts.onError ? { onError: opts.onError } : {});
  throw new Error(
    `DATABASE_URL must start with postgres:// or postgresql:// (got ${scheme ? `"${scheme}:"` : 'no scheme'}); leave it unset to use SQLite in the data dir`,
  );
}
