import { useRef, useState } from 'react';

/**
 * A text or number field that edits in place: Enter or leaving it commits the value, Escape
 * cancels (null). It reports once, however it ends.
 */
export function InlineInput(props: {
  initial: string;
  onDone(value: string | null): void;
  label: string;
  className?: string;
  type?: 'text' | 'number';
  placeholder?: string;
  maxLength?: number;
}) {
  const [value, setValue] = useState(props.initial);
  const done = useRef(false);
  const finish = (result: string | null) => {
    if (done.current) return;
    done.current = true;
    props.onDone(result);
  };
  return (
    <input
      className={`input ${props.className ?? ''}`}
      aria-label={props.label}
      type={props.type ?? 'text'}
      min={props.type === 'number' ? 0 : undefined}
      placeholder={props.placeholder}
      maxLength={props.maxLength}
      autoFocus
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onClick={(e) => e.stopPropagation()}
      onDoubleClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter') finish(value);
        else if (e.key === 'Escape') finish(null);
      }}
      onBlur={() => finish(value)}
    />
  );
}
