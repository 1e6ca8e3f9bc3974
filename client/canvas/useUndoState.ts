import { useSyncExternalStore } from 'react';
import type * as Y from 'yjs';

/** Re-renders when the undo manager's stacks change (for enabling Undo/Redo buttons). */
export function useUndoState(undoManager: Y.UndoManager): string {
  return useSyncExternalStore(
    (onChange) => {
      undoManager.on('stack-item-added', onChange);
      undoManager.on('stack-item-popped', onChange);
      undoManager.on('stack-cleared', onChange);
      return () => {
        undoManager.off('stack-item-added', onChange);
        undoManager.off('stack-item-popped', onChange);
        undoManager.off('stack-cleared', onChange);
      };
    },
    () => `${undoManager.undoStack.length}:${undoManager.redoStack.length}`,
  );
}
