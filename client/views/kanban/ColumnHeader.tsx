import { useState } from 'react';
import { MAX_SHORT_TEXT_LENGTH } from '../../../shared/schema/entities.ts';
import type { BoardColumn } from './columns.ts';
import { InlineInput } from './InlineInput.tsx';

export interface HeaderActions {
  rename(key: string, label: string): void;
  /** null = no limit. */
  setLimit(key: string, limit: number | null): void;
}

/**
 * "Label  count / limit": double-click the label to rename a board status, "⋯" to set the
 * WIP limit (empty or 0 = none). Over the limit it says so in words, not only in colour.
 */
export function ColumnHeader({ column, readOnly, actions }: { column: BoardColumn; readOnly: boolean; actions: HeaderActions }) {
  const [editing, setEditing] = useState<'label' | 'limit' | null>(null);
  const canRename = !readOnly && column.kind === 'status';
  const canLimit = !readOnly && column.kind !== 'none';
  const count = column.cards.length;
  return (
    <header className="kanban-column-header">
      <div className="kanban-column-title-row">
        {editing === 'label' ? (
          <InlineInput
            initial={column.label}
            label="Status name"
            className="kanban-header-input"
            maxLength={MAX_SHORT_TEXT_LENGTH}
            onDone={(label) => {
              setEditing(null);
              if (label !== null && label.trim() !== '' && label.trim() !== column.label) actions.rename(column.key, label.trim());
            }}
          />
        ) : (
          <h3
            className={column.kind === 'status' ? 'kanban-column-title' : 'kanban-column-title muted'}
            title={canRename ? 'Double-click to rename' : undefined}
            onDoubleClick={() => canRename && setEditing('label')}
          >
            {column.label}
          </h3>
        )}
        <span className="kanban-count" aria-label={column.limit === null ? `${count} cards` : `${count} of ${column.limit} cards`}>
          {column.limit === null ? count : `${count} / ${column.limit}`}
        </span>
        {canLimit && editing !== 'limit' && (
          <button
            type="button"
            className="icon-button kanban-menu-button"
            aria-label={`WIP limit of ${column.label}`}
            title="Set WIP limit"
            onClick={() => setEditing('limit')}
          >
            ⋯
          </button>
        )}
      </div>
      {editing === 'limit' && (
        <label className="kanban-wip-editor">
          <span className="small-text muted">WIP limit</span>
          <InlineInput
            initial={column.limit === null ? '' : String(column.limit)}
            label="WIP limit"
            type="number"
            placeholder="None"
            className="kanban-header-input"
            onDone={(value) => {
              setEditing(null);
              if (value !== null) actions.setLimit(column.key, parseLimit(value));
            }}
          />
        </label>
      )}
      {column.over && (
        <span className="wip-warning" role="status">
          Over WIP limit
        </span>
      )}
    </header>
  );
}

/** '' or 0 or junk = no limit; fractions round down. */
function parseLimit(value: string): number | null {
  const n = Math.floor(Number(value));
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** "+ Add status" at the end of the board: asks for a label in place. */
export function AddStatus({ onAdd }: { onAdd(label: string): void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button small kanban-add-status" onClick={() => setAsking(true)}>
        + Add status
      </button>
    );
  }
  return (
    <InlineInput
      initial=""
      label="New status name"
      placeholder="Status name"
      className="kanban-add-status-input"
      maxLength={MAX_SHORT_TEXT_LENGTH}
      onDone={(label) => {
        setAsking(false);
        if (label !== null && label.trim() !== '') onAdd(label.trim());
      }}
    />
  );
}
