import { useEffect, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { BoardModel } from './boardModel.ts';

const shared = new WeakMap<Y.Doc, { model: BoardModel; users: number }>();

/**
 * The one live read model of `doc`, shared by every view of the board (canvas, timeline,
 * board, dashboard) so a change is read once. It follows the document while any view uses it.
 */
export function boardModelFor(doc: Y.Doc): BoardModel {
  let entry = shared.get(doc);
  if (!entry) shared.set(doc, (entry = { model: new BoardModel(doc), users: 0 }));
  return entry.model;
}

/** Marks one more user of the shared model; the returned function releases it. */
export function retainBoardModel(doc: Y.Doc): () => void {
  const entry = shared.get(doc) ?? (boardModelFor(doc), shared.get(doc)!);
  if (entry.users++ === 0) entry.model.start();
  return () => {
    if (--entry.users === 0) entry.model.stop();
  };
}

/** The live read model of `doc`, following the document while mounted; re-renders on change. */
export function useBoardModel(doc: Y.Doc): BoardModel {
  const model = boardModelFor(doc);
  useEffect(() => retainBoardModel(doc), [doc]);
  useSyncExternalStore(model.subscribe, model.getVersion);
  return model;
}
