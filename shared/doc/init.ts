import * as Y from 'yjs';
import { MAX_TITLE_LENGTH } from '../schema/entities.ts';
import { SCHEMA_VERSION } from '../schema/version.ts';
import { boardMaps } from './structure.ts';

/** Writes the meta of a new board. The server stores this as the board's first update. */
export function initBoardDocument(doc: Y.Doc, title: string, createdAt: string): void {
  doc.transact(() => {
    const meta = boardMaps(doc).meta;
    meta.set('title', title.slice(0, MAX_TITLE_LENGTH));
    meta.set('schemaVersion', SCHEMA_VERSION);
    meta.set('createdAt', createdAt);
    meta.set('projectStart', createdAt.slice(0, 10));
  });
}

/** The encoded first update of a new board. */
export function newBoardUpdate(title: string, createdAt: string): Uint8Array {
  const doc = new Y.Doc();
  initBoardDocument(doc, title, createdAt);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** Renames the board (meta.title), as one step. */
export function setBoardTitle(doc: Y.Doc, title: string, origin?: unknown): void {
  const next = title.trim().slice(0, MAX_TITLE_LENGTH);
  if (!next) return;
  doc.transact(() => {
    const meta = boardMaps(doc).meta;
    if (meta.get('title') !== next) meta.set('title', next);
  }, origin);
}
