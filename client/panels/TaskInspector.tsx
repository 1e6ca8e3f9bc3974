import { useState } from 'react';
import { updateShape, type ShapePatch } from '../../shared/doc/ops.ts';
import { DEFAULT_STATUSES, MAX_SHORT_TEXT_LENGTH, MAX_TITLE_LENGTH, TASK_COLORS, type Task } from '../../shared/schema/entities.ts';
import type { BoardSession } from '../board/session.ts';
import { dateRangeProblem } from './dateRange.ts';
import { useTask } from './useTask.ts';
import type { PlanModel } from '../plan/planModel.ts';

/**
 * Right-hand panel for the one selected task: title, assignee, status, dates, colour. Every
 * change is one `updateShape` with the local origin (so it is undoable); remote edits show
 * live. Hidden for view-only links.
 */
export function TaskInspector({ session, selection }: { session: BoardSession; plan: PlanModel; selection: readonly string[] }) {
  const id = selection.length === 1 ? (selection[0] ?? null) : null;
  const task = useTask(session.doc, id);
  if (session.readOnly || !task) return null;
  return <TaskFields key={task.id} session={session} task={task} />;
}

function TaskFields({ session, task }: { session: BoardSession; task: Task }) {
  const write = (patch: ShapePatch) => updateShape(session.doc, task.id, patch, session.localOrigin);
  // An invalid date pair stays a local draft (with a hint) until it is fixed.
  const [draft, setDraft] = useState<{ start: string; end: string } | null>(null);
  const start = draft?.start ?? task.start;
  const end = draft?.end ?? '';
  const problem = dateRangeProblem(start, end);

  const setDate = (field: 'start' | 'end', value: string) => {
    const next = { start, end, [field]: value };
    if (dateRangeProblem(next.start, next.end)) {
      setDraft(next);
      return;
    }
    setDraft(null);
    write({ start: next.start });
  };

  const statusKnown = task.status === '' || DEFAULT_STATUSES.some((s) => s.key === task.status);

  return (
    <aside className="inspector" aria-label="Task details">
      <h2 className="inspector-heading">Task</h2>
      <label className="field">
        <span className="field-label">Title</span>
        <textarea
          className="input"
          rows={2}
          value={task.title}
          maxLength={MAX_TITLE_LENGTH}
          placeholder="Untitled task"
          onChange={(e) => write({ title: e.target.value.replace(/\n/g, ' ') })}
        />
      </label>
      <label className="field">
        <span className="field-label">Assignee</span>
        <input
          className="input"
          value={task.assignees.join(', ')}
          maxLength={MAX_SHORT_TEXT_LENGTH}
          placeholder="Nobody"
          onChange={(e) => write({ assignees: e.target.value.split(',') })}
        />
      </label>
      <label className="field">
        <span className="field-label">Status</span>
        <select className="input" value={task.status} onChange={(e) => write({ status: e.target.value })}>
          <option value="">Not set</option>
          {DEFAULT_STATUSES.map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
          {!statusKnown && <option value={task.status}>{task.status}</option>}
        </select>
      </label>
      <div className="field-row">
        <label className="field">
          <span className="field-label">Start</span>
          <input className="input" type="date" value={start} max={end || undefined} onChange={(e) => setDate('start', e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">End</span>
          <input
            className="input"
            type="date"
            value={end}
            min={start || undefined}
            aria-invalid={problem ? true : undefined}
            onChange={(e) => setDate('end', e.target.value)}
          />
        </label>
      </div>
      {problem && (
        <p className="field-hint error" role="alert">
          {problem}
        </p>
      )}
      <div className="field">
        <span className="field-label">Colour</span>
        <div className="swatches" role="radiogroup" aria-label="Colour">
          {TASK_COLORS.map((color) => (
            <button
              key={color}
              type="button"
              role="radio"
              aria-checked={task.color === color}
              aria-label={color}
              className={`swatch${task.color === color ? ' selected' : ''}`}
              style={{ background: color }}
              onClick={() => write({ color })}
            />
          ))}
        </div>
      </div>
    </aside>
  );
}
