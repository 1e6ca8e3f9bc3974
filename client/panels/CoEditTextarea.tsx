import { useLayoutEffect, useRef } from 'react';

/**
 * A textarea bound to co-edited text: when someone else's edit changes the value while this
 * user is typing, the caret stays where it was in the text (shifted by what was inserted or
 * deleted before it) instead of jumping to the end, as a controlled textarea would do.
 */
export function CoEditTextarea(props: Omit<React.TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'> & { value: string; onValue(value: string): void }) {
  const { value, onValue, ...rest } = props;
  const ref = useRef<HTMLTextAreaElement>(null);
  const last = useRef({ value, start: 0, end: 0 });

  useLayoutEffect(() => {
    const el = ref.current;
    const before = last.current;
    if (el && document.activeElement === el && before.value !== value) {
      el.setSelectionRange(shiftCaret(before.value, value, before.start), shiftCaret(before.value, value, before.end));
    }
    last.current = { value, start: el?.selectionStart ?? 0, end: el?.selectionEnd ?? 0 };
  }, [value]);

  const remember = () => {
    const el = ref.current;
    if (el) last.current = { value: el.value, start: el.selectionStart, end: el.selectionEnd };
  };

  return (
    <textarea
      {...rest}
      ref={ref}
      value={value}
      onSelect={remember}
      onKeyUp={remember}
      onChange={(e) => {
        last.current = { value: e.target.value, start: e.target.selectionStart, end: e.target.selectionEnd };
        onValue(e.target.value);
      }}
    />
  );
}

/** Where a caret at `caret` in `before` belongs in `after`: unchanged before the first difference, shifted after it. */
export function shiftCaret(before: string, after: string, caret: number): number {
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before[prefix] === after[prefix]) prefix++;
  if (caret <= prefix) return caret;
  return Math.max(prefix, Math.min(after.length, caret + after.length - before.length));
}
