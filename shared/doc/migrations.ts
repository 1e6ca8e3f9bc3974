import type * as Y from 'yjs';
import { SCHEMA_VERSION } from '../schema/version.ts';
import { boardMaps } from './structure.ts';

/**
 * Numbered migrations of the document schema. Each upgrades a board from `to - 1` to `to`
 * inside one transaction; they run when a client opens a board written by an older schema.
 * Migrations must be idempotent (two peers may run the same one concurrently) and must keep
 * unknown fields.
 */
export interface Migration {
  to: number;
  description: string;
  up(doc: Y.Doc): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    to: 1,
    description: 'Version 1: tasks, deps, notes and meta maps; record the schema version.',
    up: () => {
      // Version 0 is "no meta.schemaVersion" (a board made by a third-party client that
      // only wrote entities). Its layout is already version 1; only the number is new.
    },
  },
];

/** The schema version a document says it has (0 when it says nothing usable). */
export function documentVersion(doc: Y.Doc): number {
  const version = boardMaps(doc).meta.get('schemaVersion');
  return typeof version === 'number' && Number.isInteger(version) && version >= 0 ? version : 0;
}

/**
 * Brings `doc` up to SCHEMA_VERSION. Returns the versions it migrated to. A document from a
 * newer schema is left untouched (`newer: true`): the app reads what it understands and
 * writes nothing that would downgrade it.
 */
export function migrateDocument(doc: Y.Doc, origin?: unknown): { applied: number[]; newer: boolean } {
  const from = documentVersion(doc);
  if (from > SCHEMA_VERSION) return { applied: [], newer: true };
  const pending = MIGRATIONS.filter((m) => m.to > from && m.to <= SCHEMA_VERSION).sort((a, b) => a.to - b.to);
  if (pending.length === 0) return { applied: [], newer: false };
  doc.transact(() => {
    for (const migration of pending) migration.up(doc);
    boardMaps(doc).meta.set('schemaVersion', SCHEMA_VERSION);
  }, origin);
  return { applied: pending.map((m) => m.to), newer: false };
}
