import { createPortal } from 'react-dom';
import { useStore } from 'zustand';
import type { BoardSession } from '../../board/session.ts';
import { dropTargetFor } from './useFileDrop.ts';

/** What the overlay says; exported for the end-to-end test. */
export const DROP_HINT = 'Drop a CSV, JSON or MS Project XML file to import';

/**
 * Covers the element a file is being dragged over (see useFileDrop) with a dashed frame and
 * what dropping does, so the drop target is obvious. It takes no pointer events: the drag
 * keeps reaching the element underneath. View-only sessions never get a drop target.
 */
export function DropOverlay({ session }: { session: BoardSession }) {
  const target = useStore(dropTargetFor(session), (s) => s.target);
  if (!target) return null;
  return createPortal(
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-card">
        <strong>{DROP_HINT}</strong>
        <span>CSV and MS Project XML add tasks; a Planvas JSON file replaces the board. You see what will change first.</span>
      </div>
    </div>,
    target,
  );
}
