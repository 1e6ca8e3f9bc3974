import { useEffect, useRef } from 'react';

/**
 * "Restore “Kickoff”?" — asked before a restore, because on a shared board it replaces the plan
 * for everyone at once. Says what happens (backup first, undo possible) so the answer is
 * informed. Cancel has focus, so a stray Enter does not restore; Escape and the backdrop cancel.
 */
export function RestoreConfirm({ name, onConfirm, onCancel }: { name: string; onConfirm(): void; onCancel(): void }) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div
      className="modal-backdrop"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
      onPointerDown={(e) => {
        if (e.target === e.currentTarget) onCancel();
      }}
    >
      <div className="modal history-restore-dialog" role="alertdialog" aria-modal="true" aria-labelledby="history-restore-title" aria-describedby="history-restore-text" data-testid="history-restore-dialog">
        <h2 id="history-restore-title">Restore “{name}”?</h2>
        <p id="history-restore-text" className="muted">
          The board’s plan is replaced for everyone; a backup version is saved first, and you can undo.
        </p>
        <div className="modal-actions">
          <button ref={cancelRef} type="button" className="button" data-testid="history-restore-cancel" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="button primary" data-testid="history-restore-confirm" onClick={onConfirm}>
            Restore
          </button>
        </div>
      </div>
    </div>
  );
}
