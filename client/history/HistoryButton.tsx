import { useStore } from 'zustand';
import type { BoardSession } from '../board/session.ts';
import { historyUiFor } from './historyUi.ts';

/** Opens and closes the History side panel (board header). */
export function HistoryButton({ session }: { session: BoardSession }) {
  const ui = historyUiFor(session.doc);
  const open = useStore(ui, (s) => s.panelOpen);
  return (
    <button
      type="button"
      className={`button small history-button${open ? ' is-active' : ''}`}
      aria-pressed={open}
      data-testid="history-button"
      title="Version history"
      onClick={() => ui.getState().togglePanel()}
    >
      <ClockIcon />
      History
    </button>
  );
}

function ClockIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M3 12a9 9 0 1 0 3-6.7L3 8" />
      <path d="M3 3v5h5" />
      <path d="M12 7v5l3 2" />
    </svg>
  );
}
