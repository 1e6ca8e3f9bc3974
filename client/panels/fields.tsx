import { useEffect, useState } from 'react';

/**
 * Inputs that keep a local draft while the user types and write to the document when the
 * value is complete (Enter, blur, or each valid number), so a half-typed "1." or "Ada, " is
 * never normalised under the cursor. A remote change shows when the field is not being edited.
 */
export function NumberField(props: {
  label: string;
  value: number;
  min?: number;
  max?: number;
  step?: number;
  disabled?: boolean;
  suffix?: string;
  onCommit(value: number): void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = (text: string) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) return;
    const clamped = Math.min(props.max ?? Infinity, Math.max(props.min ?? -Infinity, n));
    if (clamped !== props.value) props.onCommit(clamped);
  };
  return (
    <label className="field">
      <span className="field-label">{props.label}</span>
      <span className="input-with-suffix">
        <input
          className="input"
          type="number"
          inputMode="decimal"
          min={props.min}
          max={props.max}
          step={props.step ?? 'any'}
          disabled={props.disabled}
          value={draft ?? String(props.value)}
          onFocus={() => setDraft(String(props.value))}
          onChange={(e) => {
            setDraft(e.target.value);
            commit(e.target.value);
          }}
          onBlur={() => setDraft(null)}
          onKeyDown={(e) => e.key === 'Enter' && (e.currentTarget as HTMLInputElement).blur()}
        />
        {props.suffix && <span className="suffix">{props.suffix}</span>}
      </span>
    </label>
  );
}

/** A one-line text input written on Enter or blur (Esc restores). */
export function TextField(props: { label: string; value: string; placeholder?: string; maxLength?: number; disabled?: boolean; onCommit(value: string): void }) {
  const [draft, setDraft] = useState(props.value);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!editing) setDraft(props.value);
  }, [props.value, editing]);
  return (
    <label className="field">
      <span className="field-label">{props.label}</span>
      <input
        className="input"
        value={draft}
        placeholder={props.placeholder}
        maxLength={props.maxLength}
        disabled={props.disabled}
        onFocus={() => setEditing(true)}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => {
          setEditing(false);
          if (draft !== props.value) props.onCommit(draft);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.currentTarget as HTMLInputElement).blur();
          if (e.key === 'Escape') {
            setDraft(props.value);
            setEditing(false);
          }
        }}
      />
    </label>
  );
}

/** The panel's title, with a close button when the panel can be closed. */
export function InspectorHeading({ title, onClose }: { title: string; onClose?: () => void }) {
  return (
    <div className="inspector-title-row">
      <h2 className="inspector-heading">{title}</h2>
      {onClose && (
        <button type="button" className="icon-button" aria-label="Close details" title="Close (Esc)" onClick={onClose}>
          ×
        </button>
      )}
    </div>
  );
}
