import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { mentionQueryAt } from '../../shared/comments/mentions.ts';
import { MAX_COMMENT_TEXT_LENGTH } from '../../shared/comments/types.ts';

const MAX_SUGGESTIONS = 6;

/**
 * A comment box with @mention autocomplete: typing "@" and part of a name lists the matching
 * people (Up/Down, Enter or Tab to pick). Enter sends, Shift+Enter is a new line, Escape
 * cancels. `onSubmit` resolves to an error message (kept, text kept) or null (cleared).
 */
export function Composer({
  names,
  placeholder,
  submitLabel,
  autoFocus,
  onSubmit,
  onCancel,
}: {
  /** Who can be @mentioned; asked when the suggestions open, not on every render. */
  names(): readonly string[];
  placeholder: string;
  submitLabel: string;
  autoFocus?: boolean;
  onSubmit(text: string): Promise<string | null>;
  onCancel?(): void;
}) {
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  // Where the caret goes after a picked mention replaced the text (set before the next keystroke).
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (pendingCaret.current === null) return;
    ref.current?.setSelectionRange(pendingCaret.current, pendingCaret.current);
    pendingCaret.current = null;
  });

  // Focus after the event that opened the box has finished: a click on the canvas would
  // otherwise move focus back to the page right after the box mounted.
  useEffect(() => {
    if (!autoFocus) return;
    const timer = setTimeout(() => ref.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, [autoFocus]);

  const query = mentionQueryAt(text, caret);
  const mentioning = query !== null && query.start !== dismissedAt;
  // The name list is built once per "@" typed (when the suggestions open), not per board change.
  const namesRef = useRef(names);
  namesRef.current = names;
  const mentionAt = mentioning ? query.start : null;
  const candidates = useMemo(() => (mentionAt === null ? [] : namesRef.current()), [mentionAt]);
  const suggestions = useMemo(() => {
    if (!query || !mentioning) return [];
    const q = query.query.toLowerCase();
    return candidates.filter((n) => n.toLowerCase().startsWith(q) || n.toLowerCase().includes(` ${q}`)).slice(0, MAX_SUGGESTIONS);
  }, [candidates, query, mentioning]);
  const open = suggestions.length > 0;

  const pick = (name: string) => {
    if (!query) return;
    const before = text.slice(0, query.start);
    const after = text.slice(caret);
    const inserted = `@${name} `;
    const next = before + inserted + after.replace(/^ /, '');
    setText(next);
    const at = before.length + inserted.length;
    setCaret(at);
    setActive(0);
    pendingCaret.current = at;
    ref.current?.focus();
  };

  const submit = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    const failure = await onSubmit(text);
    setBusy(false);
    setError(failure);
    if (!failure) {
      setText('');
      setCaret(0);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Keys typed here are text, never canvas shortcuts.
    e.stopPropagation();
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
      return;
    }
    if (open && (e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
      e.preventDefault();
      pick(suggestions[Math.min(active, suggestions.length - 1)]!);
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      if (open && query) setDismissedAt(query.start);
      else onCancel?.();
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    }
  };

  return (
    <div className="comment-composer">
      <textarea
        ref={ref}
        className="input comment-input"
        rows={2}
        value={text}
        maxLength={MAX_COMMENT_TEXT_LENGTH}
        placeholder={placeholder}
        aria-label={placeholder}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setCaret(e.target.selectionStart);
          setActive(0);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
      />
      {open && (
        <ul className="mention-list" role="listbox" id={listId} aria-label="People">
          {suggestions.map((name, i) => (
            <li
              key={name}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'is-active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(name);
              }}
            >
              @{name}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="field-hint error" role="alert">
          {error}
        </p>
      )}
      <div className="comment-composer-actions">
        {onCancel && (
          <button type="button" className="button small" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="button" className="button small primary" disabled={!text.trim() || busy} onClick={() => void submit()}>
          {submitLabel}
        </button>
      </div>
    </div>
  );
}
