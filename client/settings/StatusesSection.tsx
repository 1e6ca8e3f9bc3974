import { useState } from 'react';
import { setWipLimit } from '../../shared/doc/planOps.ts';
import type { BoardMeta } from '../../shared/schema/entities.ts';
import type { BoardSession } from '../board/session.ts';
import { addStatus, moveStatus, removeStatus, renameStatus } from './statusEdits.ts';

/**
 * The board's statuses (the Kanban columns, in order) with their WIP limits: rename, reorder,
 * add, remove. Removing a status moves its tasks to the first remaining status; the button
 * says how many.
 */
export function StatusesSection({ session, meta, taskCounts }: { session: BoardSession; meta: BoardMeta; taskCounts: ReadonlyMap<string, number> }) {
  const readOnly = session.readOnly;
  const { doc, localOrigin } = session;
  // Each change is its own undo step (a form commit, not part of a typing or dragging gesture).
  const step = <T,>(write: () => T): T => {
    session.undoManager.stopCapturing();
    return write();
  };
  const [newLabel, setNewLabel] = useState('');
  const { statuses, wipLimits } = meta;

  return (
    <div className="settings-statuses">
      <p className="muted small-text">The columns of the Board view, left to right. A WIP limit marks a column that holds more cards than it should.</p>
      <ol className="status-list">
        {statuses.map((status, i) => {
          const count = taskCounts.get(status.key) ?? 0;
          const fallback = statuses.find((s) => s.key !== status.key);
          return (
            <li key={status.key} className="status-row" data-testid={`settings-status-${status.key}`}>
              <LabelInput
                label={status.label}
                readOnly={readOnly}
                ariaLabel={`Name of status ${status.label}`}
                onCommit={(label) => step(() => renameStatus(doc, status.key, label, localOrigin))}
              />
              <label className="wip-field" title="Work-in-progress limit; empty = no limit">
                <span className="small-text muted">WIP</span>
                <WipInput
                  value={wipLimits[status.key] ?? null}
                  readOnly={readOnly}
                  ariaLabel={`WIP limit of ${status.label}`}
                  onCommit={(limit) => step(() => setWipLimit(doc, status.key, limit, wipLimits, localOrigin))}
                />
              </label>
              <span className="status-count small-text muted" aria-label={`${count} tasks`}>
                {count} {count === 1 ? 'task' : 'tasks'}
              </span>
              {!readOnly && (
                <span className="status-actions">
                  <button type="button" className="icon-button" aria-label={`Move ${status.label} left`} disabled={i === 0} onClick={() => step(() => moveStatus(doc, status.key, -1, localOrigin))}>
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Move ${status.label} right`}
                    disabled={i === statuses.length - 1}
                    onClick={() => step(() => moveStatus(doc, status.key, 1, localOrigin))}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="icon-button danger-icon"
                    aria-label={`Remove status ${status.label}`}
                    disabled={statuses.length <= 1}
                    title={
                      statuses.length <= 1
                        ? 'A board needs at least one status'
                        : count > 0
                          ? `Remove; its ${count} ${count === 1 ? 'task moves' : 'tasks move'} to "${fallback?.label ?? ''}"`
                          : 'Remove'
                    }
                    onClick={() => step(() => removeStatus(doc, status.key, localOrigin))}
                  >
                    ×
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ol>
      {!readOnly && (
        <>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (step(() => addStatus(doc, newLabel, localOrigin))) setNewLabel('');
            }}
          >
            <input className="input small" placeholder="New status" aria-label="New status" maxLength={200} value={newLabel} onChange={(e) => setNewLabel(e.target.value)} />
            <button type="submit" className="button small" disabled={!newLabel.trim()}>
              Add status
            </button>
          </form>
          <p className="muted small-text">Removing a status moves its tasks to the first status in the list.</p>
        </>
      )}
    </div>
  );
}

/** A text field that writes on Enter or blur (one undo step per rename), and follows remote renames while not focused. */
export function LabelInput({ label, readOnly, ariaLabel, onCommit, maxLength = 200 }: { label: string; readOnly: boolean; ariaLabel: string; onCommit(label: string): void; maxLength?: number }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft !== null && draft.trim() && draft.trim() !== label) onCommit(draft);
    setDraft(null);
  };
  return (
    <input
      className="input small"
      aria-label={ariaLabel}
      disabled={readOnly}
      maxLength={maxLength}
      value={draft ?? label}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        } else if (e.key === 'Escape' && draft !== null) {
          // Escape cancels the edit first; a second Escape closes the dialog.
          e.stopPropagation();
          setDraft(null);
        }
      }}
    />
  );
}

function WipInput({ value, readOnly, ariaLabel, onCommit }: { value: number | null; readOnly: boolean; ariaLabel: string; onCommit(limit: number | null): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    const n = draft.trim() === '' ? null : Number(draft);
    if (n === null || (Number.isInteger(n) && n > 0)) {
      if (n !== value) onCommit(n);
    }
    setDraft(null);
  };
  return (
    <input
      className="input small wip-input"
      type="number"
      min={1}
      step={1}
      placeholder="—"
      aria-label={ariaLabel}
      disabled={readOnly}
      value={draft ?? (value === null ? '' : String(value))}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        }
      }}
    />
  );
}
