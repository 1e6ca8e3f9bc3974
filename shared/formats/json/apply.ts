import * as Y from 'yjs';
import { commentsMap, COMMENTS_MAP } from '../../doc/comments.ts';
import { replaceBoardContent } from '../../doc/replace.ts';
import { boardMaps } from '../../doc/structure.ts';
import type { BoardFileCounts } from './parse.ts';

/**
 * Makes a board's content the file's: tasks, links, notes, baselines, settings and comment
 * threads, with the file's ids, in ONE transaction with `origin` (one update for every peer,
 * one undo step for the importing user). `source` is the validated document from
 * `parseBoardJson`. The board's creation date comes along too (the project start falls back
 * to it), so the imported board schedules exactly like the exported one.
 *
 * @example
 *   const parsed = parseBoardJson(text);
 *   if (parsed.ok) importBoardJson(doc, parsed.source, session.localOrigin);
 */
export function importBoardJson(target: Y.Doc, source: Y.Doc, origin?: unknown): BoardFileCounts {
  let counts: BoardFileCounts = { tasks: 0, dependencies: 0, notes: 0, baselines: 0, comments: 0 };
  target.transact(() => {
    const replaced = replaceBoardContent(target, source, origin);
    const from = boardMaps(source).meta;
    const to = boardMaps(target).meta;
    const createdAt = from.get('createdAt');
    if (typeof createdAt === 'string' && to.get('createdAt') !== createdAt) to.set('createdAt', createdAt);
    const version = from.get('schemaVersion');
    const current = to.get('schemaVersion');
    // Never downgrade: a board a newer client migrated stays at its version.
    if (typeof version === 'number' && !(typeof current === 'number' && current >= version)) to.set('schemaVersion', version);
    // A restore leaves the board's permission alone; a board file carries its own.
    const viewersMayComment = from.get('viewersMayComment');
    if (typeof viewersMayComment === 'boolean' && to.get('viewersMayComment') !== viewersMayComment) to.set('viewersMayComment', viewersMayComment);
    const comments = replaceComments(target, source);
    counts = { ...replaced, baselines: boardMaps(target).baselines.size, comments };
  }, origin);
  return counts;
}

/** The target's comment threads become the source's (fresh copies: Yjs types cannot move between documents). */
function replaceComments(target: Y.Doc, source: Y.Doc): number {
  const hasSource = source.share.has(COMMENTS_MAP);
  if (!hasSource && !target.share.has(COMMENTS_MAP)) return 0;
  const to = commentsMap(target);
  const from = hasSource ? commentsMap(source) : new Y.Map<unknown>();
  for (const id of Array.from(to.keys())) if (!from.has(id)) to.delete(id);
  from.forEach((thread, id) => to.set(id, copy(thread)));
  return to.size;
}

function copy(value: unknown): unknown {
  if (value instanceof Y.Map) {
    const map = new Y.Map<unknown>();
    value.forEach((item, key) => map.set(key, copy(item)));
    return map;
  }
  if (value instanceof Y.Array) {
    const array = new Y.Array<unknown>();
    array.push(value.toArray().map(copy));
    return array;
  }
  if (value instanceof Y.Text) return new Y.Text(value.toString());
  return structuredClone(value);
}
