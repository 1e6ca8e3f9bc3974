import { useEffect } from 'react';
import type { BoardSession } from '../board/session.ts';

/**
 * Ctrl/Cmd+Z and Ctrl/Cmd+Shift+Z (or Ctrl+Y) in the views that have no keyboard layer of
 * their own (timeline, board, dashboard); the canvas binds them through its action registry.
 * Only this user's edits are undone. Typing in a field keeps the field's own undo.
 */
export function useUndoShortcuts(session: BoardSession, enabled: boolean): void {
  useEffect(() => {
    if (!enabled || session.readOnly) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) {
        e.preventDefault();
        session.undoManager.undo();
      } else if ((key === 'z' && e.shiftKey) || key === 'y') {
        e.preventDefault();
        session.undoManager.redo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session, enabled]);
}
