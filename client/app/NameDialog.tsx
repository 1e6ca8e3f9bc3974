import { useEffect, useRef, useState, type FormEvent } from 'react';
import { MAX_NAME_LENGTH, normalizeName } from './identity.ts';

/** Asks for the name shown to others (on first board open, or when renaming yourself). */
export function NameDialog({ initial, color, onSave, onCancel }: { initial: string; color: string; onSave(name: string): void; onCancel?: () => void }) {
  const [name, setName] = useState(initial);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);
  function submit(event: FormEvent) {
    event.preventDefault();
    const clean = normalizeName(name);
    if (clean) onSave(clean);
  }
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && onCancel?.()}>
      <form className="modal" role="dialog" aria-modal="true" aria-labelledby="name-dialog-title" onSubmit={submit}>
        <h2 id="name-dialog-title">{initial ? 'Change your name' : 'What should others call you?'}</h2>
        <p className="muted">Your name and colour are shown next to your cursor and in the list of people on the board.</p>
        <div className="name-row">
          <span className="avatar" style={{ background: color }} aria-hidden="true">
            {(normalizeName(name)[0] ?? '?').toUpperCase()}
          </span>
          <input
            ref={inputRef}
            className="input"
            aria-label="Your name"
            placeholder="Your name"
            value={name}
            maxLength={MAX_NAME_LENGTH}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="modal-actions">
          {onCancel && (
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="button primary" disabled={!normalizeName(name)}>
            {initial ? 'Save' : 'Join board'}
          </button>
        </div>
      </form>
    </div>
  );
}
