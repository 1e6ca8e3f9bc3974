import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';
import { readSummary } from '../../shared/history/summary.ts';
import { checksum } from './checksum.ts';
import { StorageCorruptError, type VersionKind, type VersionRecord } from './types.ts';

/**
 * What the stores share about version rows: how a version's state is encoded and checked, and
 * how a stored row becomes a VersionRecord again.
 *
 * Encoding (the `encoding` column): 'deflate' (raw DEFLATE of the Yjs update) for every new row
 * — a version is a whole document, ~500 KB per 1,000 tasks, and compresses about 5:1 — and
 * 'raw' for rows written before compression (SQLite only). The checksum is over the stored
 * bytes, so damage is caught before inflating.
 */
export const VERSION_ENCODING = 'deflate';

const deflateRawAsync = promisify(deflateRaw);
const inflateRawAsync = promisify(inflateRaw);

/** The bytes to store for a version's state (on the libuv pool, off the event loop: a 10k-task state is megabytes). */
export async function encodeVersionState(state: Uint8Array): Promise<{ data: Buffer; checksum: number; encoding: string }> {
  const data = await deflateRawAsync(state);
  return { data, checksum: checksum(data), encoding: VERSION_ENCODING };
}

/** A stored version state back as a Yjs update; StorageCorruptError when it does not check out. */
export async function decodeVersionState(boardId: string, versionId: string, row: { data: Uint8Array; checksum: number; encoding: string }): Promise<Uint8Array> {
  if (checksum(row.data) !== row.checksum) throw new StorageCorruptError(boardId, `version ${versionId} checksum mismatch`);
  if (row.encoding === 'raw') return new Uint8Array(row.data);
  if (row.encoding !== VERSION_ENCODING) throw new StorageCorruptError(boardId, `version ${versionId} has an unknown encoding`);
  try {
    return new Uint8Array(await inflateRawAsync(row.data));
  } catch {
    throw new StorageCorruptError(boardId, `version ${versionId} does not inflate`);
  }
}

export interface VersionRow {
  id: string;
  name: string;
  kind: string;
  created_at: string;
  authors: string;
  summary: string;
  restored_from: string | null;
}

const VERSION_KINDS: readonly VersionKind[] = ['auto', 'named', 'restore'];

/** A stored row as a record; JSON columns are re-validated (an unreadable one reads as empty, never throws). */
export function versionFromRow(row: VersionRow): VersionRecord {
  const record: VersionRecord = {
    id: row.id,
    name: row.name,
    kind: (VERSION_KINDS as readonly string[]).includes(row.kind) ? (row.kind as VersionKind) : 'auto',
    createdAt: row.created_at,
    authors: parseAuthors(row.authors),
    summary: readSummary(parseJson(row.summary)),
  };
  if (row.restored_from) record.restoredFrom = row.restored_from;
  return record;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function parseAuthors(text: string): string[] {
  const value = parseJson(text);
  return Array.isArray(value) ? value.filter((a): a is string => typeof a === 'string') : [];
}
