import * as Y from 'yjs';
import { boardMaps } from '../../shared/doc/structure.ts';

/** A stored version state that does not load into a whole document (server/history). */
export class VersionStateError extends Error {
  constructor(reason: string) {
    super(`the version's state does not load: ${reason}`);
    this.name = 'VersionStateError';
  }
}

/**
 * A stored version state as a fresh Y.Doc, or VersionStateError. A version is a whole board
 * (Y.encodeStateAsUpdate of the live document), so it carries the board's settings (`meta`,
 * written by the board's first update). Yjs does not throw on an update whose structs refer to
 * content it lacks: it parks them as "pending" and shows a document without them, so a damaged
 * or foreign state can load as an EMPTY board, and restoring that would wipe the plan. Pending
 * parts alone are not damage (a live document holding an out-of-order update from a peer has
 * them too, and so has every version taken of it), but pending parts and no settings at all
 * mean the state is not a version of a board. The caller destroys the doc.
 */
export function loadVersionState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
  } catch (err) {
    doc.destroy();
    throw new VersionStateError(err instanceof Error ? err.message : String(err));
  }
  const pending = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
  if (pending && boardMaps(doc).meta.size === 0) {
    doc.destroy();
    throw new VersionStateError('it refers to content it does not carry, and holds no board');
  }
  return doc;
}
