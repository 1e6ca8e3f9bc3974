/**
 * Picks one of the board's saved baselines, or none (the first option): the timeline
 * toolbar's "Baseline shown" and the PDF export's baseline are the same control.
 */
export function BaselineSelect(props: {
  baselines: ReadonlyArray<{ id: string; name: string }>;
  /** The chosen baseline's id; null for none. */
  value: string | null;
  onChange(id: string | null): void;
  /** The accessible name (the visible label sits next to it). */
  label: string;
  className?: string;
}) {
  return (
    <select className={props.className} value={props.value ?? ''} onChange={(e) => props.onChange(e.currentTarget.value || null)} aria-label={props.label}>
      <option value="">None</option>
      {props.baselines.map((b) => (
        <option key={b.id} value={b.id}>
          {b.name}
        </option>
      ))}
    </select>
  );
}
