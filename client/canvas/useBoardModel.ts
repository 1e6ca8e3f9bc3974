import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { BoardModel } from './boardModel.ts';

/** The live read model of `doc`, following the document while mounted; re-renders on change. */
export function useBoardModel(doc: Y.Doc): BoardModel {
  const model = useMemo(() => new BoardModel(doc), [doc]);
  useEffect(() => {
    model.start();
    return () => model.stop();
  }, [model]);
  useSyncExternalStore(model.subscribe, model.getVersion);
  return model;
}
