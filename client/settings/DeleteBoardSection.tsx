import { useState } from 'react';
import { navigate } from '../app/router.ts';
import { forgetBoardLocally } from '../sync/localBoardCache.ts';
import { requestBoardDelete } from './deleteBoardRequest.ts';
import { showNotice } from './notice.ts';

/**
 * The danger zone: deleting the board for everyone. As on GitHub, the user types the board's
 * title to confirm; the server needs the edit token and a confirmation header as well.
 * Afterwards this browser forgets the board (recent list, offline copy) and goes home.
 */
export function DeleteBoardSection({ boardId, title, editToken }: { boardId: string; title: string; editToken: string | undefined }) {
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const matches = typed.trim() === title.trim() && title.trim() !== '';

  if (!editToken) {
    return <p className="muted small-text">Only someone with the edit link can delete this board.</p>;
  }

  const remove = async () => {
    setBusy(true);
    setError(null);
    const result = await requestBoardDelete(boardId, editToken);
    if (!result.ok) {
      setBusy(false);
      setError(result.message);
      return;
    }
    navigate('/');
    void forgetBoardLocally(boardId);
    showNotice(`Board deleted: "${title}"`);
  };

  return (
    <div className="danger-zone">
      <div className="danger-row">
        <div>
          <strong>Delete this board</strong>
          <p className="muted small-text">Deletes the plan, its comments and its version history for everyone. Everyone on the board is disconnected. This cannot be undone.</p>
        </div>
        {!confirming && (
          <button type="button" className="button danger" onClick={() => setConfirming(true)}>
            Delete board…
          </button>
        )}
      </div>
      {confirming && (
        <form
          className="delete-confirm"
          onSubmit={(e) => {
            e.preventDefault();
            if (matches && !busy) void remove();
          }}
        >
          <label className="field">
            <span className="field-label">
              Type <strong className="confirm-title">{title}</strong> to confirm
            </span>
            <input className="input" aria-label="Board title to confirm" autoFocus autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
          </label>
          {error && (
            <p className="field-hint error" role="alert">
              {error}
            </p>
          )}
          <div className="modal-actions">
            <button
              type="button"
              className="button"
              onClick={() => {
                setConfirming(false);
                setTyped('');
                setError(null);
              }}
            >
              Cancel
            </button>
            <button type="submit" className="button danger-solid" disabled={!matches || busy}>
              {busy ? 'Deleting…' : 'Delete this board'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
