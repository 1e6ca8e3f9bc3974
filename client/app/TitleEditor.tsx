import { useState } from 'react';
import { MAX_TITLE_LENGTH } from '../../shared/schema/entities.ts';

/** The board title; editors click it to rename inline (Enter saves, Escape cancels). */
export function TitleEditor({ title, readOnly, onRename }: { title: string; readOnly: boolean; onRename(title: string): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  if (readOnly) {
    return (
      <h1 className="board-title" title={title}>
        {title}
      </h1>
    );
  }
  if (draft === null) {
    return (
      <button type="button" className="board-title editable" title="Rename board" onClick={() => setDraft(title)}>
        {title}
      </button>
    );
  }
  const commit = () => {
    if (draft.trim() && draft.trim() !== title) onRename(draft);
    setDraft(null);
  };
  return (
    <input
      className="board-title-input"
      aria-label="Board title"
      autoFocus
      value={draft}
      maxLength={MAX_TITLE_LENGTH}
      onFocus={(e) => e.currentTarget.select()}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setDraft(null);
        e.stopPropagation();
      }}
    />
  );
}
