import * as Y from 'yjs';
import { isIsoDate } from '../schema/validators.ts';
import { isValidZ, nKeysAbove } from '../schema/zorder.ts';
import { legacyDuration } from './read.ts';
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
  {
    to: 2,
    description:
      'Version 2 (planner): assignee -> assignees, start/end -> start + duration in working days, every task ranked in the plan outline, meta.projectStart set.',
    up: (doc) => {
      const { tasks, meta } = boardMaps(doc);
      const unranked: Array<{ id: string; x: number; y: number; entity: Y.Map<unknown> }> = [];
      const ranks: string[] = [];
      let earliestStart = '';
      tasks.forEach((value, id) => {
        if (!(value instanceof Y.Map)) return;
        const entity = value as Y.Map<unknown>;
        const assignee = entity.get('assignee');
        if (entity.get('assignees') === undefined && typeof assignee === 'string') {
          entity.set('assignees', assignee.trim() === '' ? [] : [assignee]);
        }
        if (assignee !== undefined) entity.delete('assignee');
        const start = entity.get('start');
        const end = entity.get('end');
        if (entity.get('duration') === undefined && isIsoDate(end)) {
          if (isIsoDate(start)) entity.set('duration', legacyDuration(start, end));
          else {
            entity.set('start', end);
            entity.set('duration', 1);
          }
        }
        if (end !== undefined) entity.delete('end');
        const begins = entity.get('start');
        if (isIsoDate(begins) && (earliestStart === '' || begins < earliestStart)) earliestStart = begins;
        const rank = entity.get('rank');
        if (isValidZ(rank)) ranks.push(rank);
        else unranked.push({ id, x: numberOr(entity.get('x')), y: numberOr(entity.get('y')), entity });
      });
      // The plan outline starts in reading order of the canvas: top to bottom, left to right.
      unranked.sort((a, b) => a.y - b.y || a.x - b.x || (a.id < b.id ? -1 : 1));
      const keys = nKeysAbove(ranks, unranked.length);
      unranked.forEach((t, i) => t.entity.set('rank', keys[i]));
      if (!isIsoDate(meta.get('projectStart'))) {
        const createdAt = meta.get('createdAt');
        const created = typeof createdAt === 'string' && isIsoDate(createdAt.slice(0, 10)) ? createdAt.slice(0, 10) : '';
        const start = earliestStart !== '' && (created === '' || earliestStart < created) ? earliestStart : created;
        if (start !== '') meta.set('projectStart', start);
      }
    },
  },
];

function numberOr(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

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
