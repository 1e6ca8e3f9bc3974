import { epochDay } from '../../shared/planning/calendar.ts';
import { deleteEntities, setTaskDescription, updateShape, type ShapePatch } from '../../shared/doc/ops.ts';
import { setParent, updateDependency } from '../../shared/doc/planOps.ts';
import { DEPENDENCY_TYPES, MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH, PRIORITIES, TASK_COLORS, type DependencyType, type Task } from '../../shared/schema/entities.ts';
import type { BoardSession } from '../board/session.ts';
import { descendantIds, type PlanModel } from '../plan/planModel.ts';
import { InspectorHeading, NumberField, TextField } from './fields.tsx';
import { CoEditTextarea } from './CoEditTextarea.tsx';
import { isComplete } from '../../shared/planning/completion.ts';
import { TaskComments } from '../comments/TaskComments.tsx';

const PRIORITY_LABELS: Record<string, string> = { '': 'None', low: 'Low', medium: 'Medium', high: 'High', urgent: 'Urgent' };

/** Every field of a task, grouped as a planner reads them: what, who, when, how far, how much. */
export function TaskFields({ session, plan, task, onClose }: { session: BoardSession; plan: PlanModel; task: Task; onClose?: () => void }) {
  const readOnly = session.readOnly;
  const write = (patch: ShapePatch) => updateShape(session.doc, task.id, patch, session.localOrigin);
  const schedule = plan.schedule();
  const scheduled = schedule.tasks.get(task.id);
  const summary = scheduled?.summary ?? false;
  const statusKnown = task.status === '' || plan.meta.statuses.some((s) => s.key === task.status);
  const predecessors = plan.board.liveDeps().filter((d) => d.to === task.id);
  const title = (id: string) => plan.board.tasks.get(id)?.title || 'Untitled task';
  const late = scheduled && !summary && scheduled.finish < plan.today() && !isComplete(task, scheduled.progress);

  return (
    <aside className="inspector" aria-label="Task details" data-readonly={readOnly || undefined}>
      <InspectorHeading title={summary ? 'Summary task' : task.milestone ? 'Milestone' : 'Task'} onClose={onClose} />
      <label className="field">
        <span className="field-label">Title</span>
        <CoEditTextarea
          className="input"
          rows={2}
          value={task.title}
          maxLength={MAX_TITLE_LENGTH}
          placeholder="Untitled task"
          disabled={readOnly}
          onValue={(text) => write({ title: text.replace(/\n/g, ' ') })}
        />
      </label>
      <label className="field">
        <span className="field-label">Description</span>
        <CoEditTextarea
          className="input"
          rows={3}
          value={task.description}
          maxLength={MAX_DESCRIPTION_LENGTH}
          placeholder={readOnly ? 'No description' : 'Add details…'}
          disabled={readOnly}
          onValue={(text) => setTaskDescription(session.doc, task.id, text, session.localOrigin)}
        />
      </label>
      <div className="field-row">
        <label className="field">
          <span className="field-label">Status</span>
          <select className="input" disabled={readOnly} value={task.status} onChange={(e) => write({ status: e.target.value })}>
            <option value="">Not set</option>
            {plan.meta.statuses.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
            {!statusKnown && <option value={task.status}>{task.status}</option>}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Priority</span>
          <select className="input" disabled={readOnly} value={task.priority} onChange={(e) => write({ priority: e.target.value })}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <TextField
        label="Assignees (comma-separated)"
        value={task.assignees.join(', ')}
        placeholder="Nobody"
        disabled={readOnly}
        onCommit={(v) => write({ assignees: v.split(',') })}
      />

      <h3 className="inspector-subheading">Schedule</h3>
      {scheduled && (
        <p className={`schedule-facts${scheduled.critical ? ' critical' : ''}`} data-testid="schedule-facts">
          {scheduled.start === scheduled.finish ? scheduled.start : `${scheduled.start} → ${scheduled.finish}`} · {scheduled.duration} d
          <br />
          Total float {scheduled.totalFloat} d · free float {scheduled.freeFloat} d{scheduled.critical ? ' · critical' : ''}
          {late ? ' · late' : ''}
          {scheduled.inCycle ? ' · in a dependency loop' : ''}
        </p>
      )}
      {scheduled && scheduled.violatedLinks.length > 0 && (
        <p className="field-hint error" role="alert">
          Starts before {scheduled.violatedLinks.map((id) => title(plan.board.deps.get(id)?.from ?? '')).join(', ')} allows (manually scheduled).
        </p>
      )}
      {summary ? (
        <p className="field-hint">Dates, progress and cost roll up from the subtasks.</p>
      ) : (
        <>
          <div className="field-row">
            <label className="field">
              <span className="field-label">Scheduling</span>
              <select className="input" disabled={readOnly} value={task.mode} onChange={(e) => write({ mode: e.target.value, ...(e.target.value === 'manual' && !task.start && scheduled ? { start: scheduled.start } : {}) })}>
                <option value="auto">Auto</option>
                <option value="manual">Manual</option>
              </select>
            </label>
            <label className="field">
              <span className="field-label">{task.mode === 'auto' ? 'Not before' : 'Start'}</span>
              <input className="input" type="date" disabled={readOnly} value={task.start} onChange={(e) => write({ start: e.target.value })} />
            </label>
          </div>
          <div className="field-row">
            <NumberField label="Duration" suffix="days" value={task.milestone ? 0 : task.duration} min={0} max={10000} step={1} disabled={readOnly || task.milestone} onCommit={(duration) => write({ duration })} />
            <label className="field">
              <span className="field-label">Finish</span>
              <input
                className="input"
                type="date"
                disabled={readOnly || task.milestone || !scheduled}
                value={scheduled?.finish ?? ''}
                min={scheduled?.start}
                onChange={(e) => {
                  if (!scheduled || !e.target.value) return;
                  write({ duration: Math.max(1, schedule.calendar.workingDaysBetween(scheduled.start, e.target.value)) });
                }}
              />
            </label>
          </div>
          <label className="checkbox-field">
            <input type="checkbox" disabled={readOnly} checked={task.milestone} onChange={(e) => write({ milestone: e.target.checked })} /> Milestone
          </label>
          <NumberField label="Progress" suffix="%" value={task.progress} min={0} max={100} step={5} disabled={readOnly} onCommit={(progress) => write({ progress })} />
          <div className="field-row">
            <NumberField label="Estimate" suffix="h" value={task.estimate} min={0} step={1} disabled={readOnly} onCommit={(estimate) => write({ estimate })} />
          </div>
          <div className="field-row">
            <NumberField label="Budget" value={task.budget} min={0} step={100} disabled={readOnly} onCommit={(budget) => write({ budget })} />
            <NumberField label="Actual cost" value={task.actualCost} min={0} step={100} disabled={readOnly} onCommit={(actualCost) => write({ actualCost })} />
          </div>
        </>
      )}
      <ParentField session={session} plan={plan} task={task} />

      <h3 className="inspector-subheading">Predecessors</h3>
      {predecessors.length === 0 && <p className="field-hint">None. Drag from a bar's dot in the timeline, or use the link tool (D) on the canvas.</p>}
      {predecessors.map((dep) => (
        <div key={dep.id} className="predecessor-row">
          <span className="predecessor-title" title={title(dep.from)}>
            {title(dep.from)}
          </span>
          <select className="input small" aria-label="Link type" disabled={readOnly} value={dep.type} onChange={(e) => updateDependency(session.doc, dep.id, { type: e.target.value as DependencyType }, session.localOrigin)}>
            {DEPENDENCY_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <input
            className="input small lag-input"
            type="number"
            aria-label="Lag in working days"
            step={1}
            disabled={readOnly}
            defaultValue={dep.lag}
            key={`${dep.id}:${dep.lag}`}
            onBlur={(e) => Number.isFinite(e.target.valueAsNumber) && updateDependency(session.doc, dep.id, { lag: e.target.valueAsNumber }, session.localOrigin)}
            onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
          />
          {!readOnly && (
            <button type="button" className="icon-button" aria-label={`Remove link from ${title(dep.from)}`} onClick={() => deleteEntities(session.doc, [dep.id], session.localOrigin)}>
              ×
            </button>
          )}
        </div>
      ))}

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
              disabled={readOnly}
              className={`swatch${task.color === color ? ' selected' : ''}`}
              style={{ background: color }}
              onClick={() => write({ color })}
            />
          ))}
        </div>
      </div>
      {scheduled && baselineNote(plan, task.id, epochDay)}
      <TaskComments session={session} taskId={task.id} />
    </aside>
  );
}

/** The summary task this one belongs to; its own subtasks are not offered. */
function ParentField({ session, plan, task }: { session: BoardSession; plan: PlanModel; task: Task }) {
  const rows = plan.outline();
  const own = rows.find((r) => r.task.id === task.id);
  const descendants = descendantIds(rows, task.id);
  const options = rows.filter((r) => r.task.id !== task.id && !descendants.has(r.task.id));
  return (
    <label className="field">
      <span className="field-label">Part of (summary task)</span>
      <select
        className="input"
        disabled={session.readOnly}
        value={own?.parentId ?? ''}
        onChange={(e) => setParent(session.doc, task.id, e.target.value, {}, session.localOrigin)}
      >
        <option value="">— Top level —</option>
        {options.slice(0, 2000).map((r) => (
          <option key={r.task.id} value={r.task.id}>
            {'  '.repeat(Math.min(r.depth, 8))}
            {r.task.title || 'Untitled task'}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The newest baseline's dates for this task, and the slip, when there is a baseline. */
function baselineNote(plan: PlanModel, id: string, toDay: (iso: string) => number) {
  const baseline = plan.baselines[plan.baselines.length - 1];
  const base = baseline?.tasks[id];
  const now = plan.schedule().tasks.get(id);
  if (!baseline || !base || !now) return null;
  const calendar = plan.schedule().calendar;
  const slip = calendar.indexOnOrAfter(toDay(now.finish)) - calendar.indexOnOrAfter(toDay(base.finish));
  return (
    <p className={`field-hint${slip > 0 ? ' error' : ''}`}>
      Baseline “{baseline.name}”: {base.start} → {base.finish} ({slip === 0 ? 'on time' : slip > 0 ? `${slip} d late` : `${-slip} d early`})
    </p>
  );
}
