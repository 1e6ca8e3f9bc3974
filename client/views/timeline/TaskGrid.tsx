import { memo, useEffect, useRef, useState } from 'react';
import { useComments } from '../../comments/commentsModel.ts';
import { CommentCount } from '../../comments/CommentCount.tsx';
import { openTaskComments } from '../../comments/threadLookup.ts';
import { updateShape, type ShapePatch } from '../../../shared/doc/ops.ts';
import type { ScheduledTask } from '../../../shared/planning/types.ts';
import type { BoardSession } from '../../board/session.ts';
import type { OutlineRow, PlanModel } from '../../plan/planModel.ts';
import { HEADER_HEIGHT, ROW_HEIGHT } from './ganttGeometry.ts';
import { addTaskBelow, deleteTask, indentTask, moveAmongSiblings, outdentTask } from './outlineActions.ts';
import { formatShortDate } from './format.ts';
import { freeCanvasSpot } from '../../plan/canvasSpot.ts';
import { isComplete } from '../../../shared/planning/completion.ts';
import type { PlanVariance } from '../../../shared/planning/baseline.ts';

export type GridField = 'title' | 'start' | 'finish' | 'duration' | 'assignees' | 'progress';

interface Props {
  session: BoardSession;
  plan: PlanModel;
  /** Visible rows (collapsed subtasks left out). */
  rows: readonly OutlineRow[];
  /** Every row, for outline edits that need hidden siblings. */
  allRows: readonly OutlineRow[];
  collapsed: ReadonlySet<string>;
  onToggle(id: string): void;
  selectedId: string | null;
  onSelect(ids: string[]): void;
  scrollTop: number;
  height: number;
  onScrollBy(dy: number): void;
  onRevealRow(row: number): void;
  /** Variance against the baseline shown, or null: adds a column of finish slips. */
  variance: PlanVariance | null;
}

/**
 * The task grid beside the Gantt bars: virtualized (only the rows in view exist in the DOM),
 * editable in place, and driven from the keyboard like MS Project's sheet: Up/Down move,
 * Enter or F2 edits the title, Tab / Shift+Tab indent and outdent, Alt+Up/Down reorder,
 * Left/Right collapse and expand, Insert adds a task below, Delete removes it.
 */
export function TaskGrid(props: Props) {
  const { session, plan, rows, selectedId, scrollTop, height } = props;
  const [editing, setEditing] = useState<{ id: string; field: GridField } | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const schedule = plan.schedule();
  const today = plan.today();
  const editable = !session.readOnly;
  const commentCounts = useComments(session.doc).openCounts;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - 2);
  const last = Math.min(rows.length - 1, Math.ceil((scrollTop + height) / ROW_HEIGHT) + 2);
  const selectedRow = selectedId ? rows.findIndex((r) => r.task.id === selectedId) : -1;

  const select = (row: number) => {
    const target = rows[Math.max(0, Math.min(rows.length - 1, row))];
    if (!target) return;
    props.onSelect([target.task.id]);
    props.onRevealRow(rows.indexOf(target));
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (editing) return;
    const row = selectedRow;
    const id = row >= 0 ? rows[row]!.task.id : null;
    const handled = () => {
      e.preventDefault();
      e.stopPropagation();
    };
    if (e.key === 'ArrowDown' && !e.altKey) return handled(), select(row + 1);
    if (e.key === 'ArrowUp' && !e.altKey) return handled(), select(row < 0 ? 0 : row - 1);
    if (e.key === 'Home') return handled(), select(0);
    if (e.key === 'End') return handled(), select(rows.length - 1);
    if (!id) return;
    const current = rows[row]!;
    if (e.key === 'ArrowLeft') {
      handled();
      if (current.hasChildren && !props.collapsed.has(id)) props.onToggle(id);
      else if (current.parentId) select(rows.findIndex((r) => r.task.id === current.parentId));
      return;
    }
    if (e.key === 'ArrowRight') {
      handled();
      if (current.hasChildren && props.collapsed.has(id)) props.onToggle(id);
      return;
    }
    if (!editable) return;
    // Each grid command is its own undo step, however quickly the next one follows.
    session.undoManager.stopCapturing();
    if (e.key === 'Enter' || e.key === 'F2') return handled(), setEditing({ id, field: 'title' });
    if (e.key === 'Tab') return handled(), e.shiftKey ? outdentTask(session, props.allRows, id) : indentTask(session, props.allRows, id);
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) return handled(), moveAmongSiblings(session, props.allRows, id, e.key === 'ArrowUp' ? -1 : 1);
    if (e.key === 'Insert' || (e.key === 'Enter' && (e.ctrlKey || e.metaKey))) {
      handled();
      session.undoManager.stopCapturing();
      const created = addTaskBelow(session, props.allRows, id, freeCanvasSpot(plan.board.index, { x: current.task.x, y: current.task.y }));
      props.onSelect([created]);
      setEditing({ id: created, field: 'title' });
      return;
    }
    if (e.key === 'Delete' || e.key === 'Backspace') {
      handled();
      deleteTask(session, id);
      const next = rows[row + 1] ?? rows[row - 1];
      props.onSelect(next ? [next.task.id] : []);
    }
  };

  // Keep keyboard focus on the grid after an inline edit ends (not on first show).
  const wasEditing = useRef(false);
  useEffect(() => {
    if (!editing && wasEditing.current) gridRef.current?.focus({ preventScroll: true });
    wasEditing.current = editing !== null;
  }, [editing]);

  const visible = rows.slice(first, last + 1);
  return (
    <div
      className="task-grid"
      role="grid"
      aria-label="Tasks"
      aria-rowcount={rows.length}
      tabIndex={0}
      ref={gridRef}
      onKeyDown={onKeyDown}
      onWheel={(e) => props.onScrollBy(e.deltaY)}
      data-testid="task-grid"
    >
      <div className="task-grid-header" role="row" style={{ height: HEADER_HEIGHT }}>
        <span role="columnheader" className="col-id">#</span>
        <span role="columnheader" className="col-title">Task</span>
        <span role="columnheader" className="col-date">Start</span>
        <span role="columnheader" className="col-date">Finish</span>
        <span role="columnheader" className="col-num">Days</span>
        <span role="columnheader" className="col-who">Assignee</span>
        <span role="columnheader" className="col-status">Status</span>
        {props.variance && (
          <span role="columnheader" className="col-num" title="Finish against the baseline, in working days">
            Δ
          </span>
        )}
        <span role="columnheader" className="col-num">%</span>
      </div>
      <div className="task-grid-body" style={{ height: Math.max(0, height) }}>
        {visible.map((row, i) => {
          const index = first + i;
          const scheduled = schedule.tasks.get(row.task.id);
          return (
            <GridRow
              key={row.task.id}
              row={row}
              index={index}
              top={index * ROW_HEIGHT - scrollTop}
              scheduled={scheduled}
              late={!!scheduled && !scheduled.summary && scheduled.finish < today && !isComplete(row.task, scheduled.progress)}
              selected={row.task.id === selectedId}
              collapsed={props.collapsed.has(row.task.id)}
              editing={editing?.id === row.task.id ? editing.field : null}
              editable={editable}
              onSelect={() => props.onSelect([row.task.id])}
              onToggle={() => props.onToggle(row.task.id)}
              onEdit={(field) => editable && setEditing({ id: row.task.id, field })}
              onCommit={(patch) => {
                if (patch) {
                  session.undoManager.stopCapturing();
                  updateShape(session.doc, row.task.id, patch, session.localOrigin);
                }
                setEditing(null);
              }}
              statusLabel={plan.statusLabel(row.task.status)}
              comments={commentCounts.get(row.task.id) ?? 0}
              onComments={() => openTaskComments(session.doc, row.task.id)}
              slip={props.variance ? (props.variance.tasks.get(row.task.id)?.finishDays ?? null) : undefined}
              finishToDuration={(finish) => (scheduled ? Math.max(1, schedule.calendar.workingDaysBetween(scheduled.start, finish)) : 1)}
            />
          );
        })}
        {editable && (
          <button
            type="button"
            className="task-grid-add"
            style={{ top: rows.length * ROW_HEIGHT - scrollTop }}
            onClick={() => {
              const lastRow = props.allRows[props.allRows.length - 1];
              session.undoManager.stopCapturing();
              const created = addTaskBelow(session, props.allRows, null, freeCanvasSpot(plan.board.index, lastRow ? { x: lastRow.task.x, y: lastRow.task.y } : null));
              props.onSelect([created]);
              setEditing({ id: created, field: 'title' });
            }}
          >
            + Add task
          </button>
        )}
      </div>
    </div>
  );
}

interface RowProps {
  row: OutlineRow;
  index: number;
  top: number;
  scheduled: ScheduledTask | undefined;
  late: boolean;
  selected: boolean;
  collapsed: boolean;
  editing: GridField | null;
  editable: boolean;
  onSelect(): void;
  onToggle(): void;
  onEdit(field: GridField): void;
  onCommit(patch: ShapePatch | null): void;
  finishToDuration(finish: string): number;
  statusLabel: string;
  /** Open comment threads on the task (a badge after the title). */
  comments: number;
  onComments(): void;
  /** Finish slip against the baseline in working days (null: not in it); undefined: no baseline shown. */
  slip?: number | null;
}

const GridRow = memo(function GridRow(p: RowProps) {
  const { task } = p.row;
  const s = p.scheduled;
  const summary = p.row.hasChildren;
  const cell = (field: GridField, className: string, text: string, title?: string) =>
    p.editing === field ? (
      <CellEditor field={field} className={className} task={p.row} scheduled={s} onCommit={p.onCommit} finishToDuration={p.finishToDuration} />
    ) : (
      <span
        role="gridcell"
        className={className}
        title={title}
        onDoubleClick={() => !summary || field === 'title' ? p.onEdit(field) : undefined}
      >
        {text}
      </span>
    );
  return (
    <div
      role="row"
      aria-rowindex={p.index + 1}
      aria-selected={p.selected}
      className={`task-grid-row${p.selected ? ' selected' : ''}${summary ? ' summary' : ''}${s?.critical ? ' critical' : ''}`}
      style={{ top: p.top }}
      onPointerDown={p.onSelect}
      data-task-id={task.id}
    >
      <span role="gridcell" className="col-id">{p.index + 1}</span>
      <span role="gridcell" className="col-title" style={{ paddingLeft: 4 + p.row.depth * 16 }}>
        {summary ? (
          <button type="button" className="outline-toggle" aria-label={p.collapsed ? 'Expand' : 'Collapse'} aria-expanded={!p.collapsed} onClick={p.onToggle}>
            {p.collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="outline-toggle-spacer" />
        )}
        {p.editing === 'title' ? (
          <CellEditor field="title" className="title-editor" task={p.row} scheduled={s} onCommit={p.onCommit} finishToDuration={p.finishToDuration} />
        ) : (
          <span className={`title-text${task.title ? '' : ' muted'}`} onDoubleClick={() => p.onEdit('title')}>
            {s?.milestone ? '◆ ' : ''}
            {task.title || 'Untitled task'}
          </span>
        )}
        <CommentCount count={p.comments} onOpen={p.onComments} />
      </span>
      {cell('start', 'col-date', s ? formatShortDate(s.start) : '', task.mode === 'manual' ? 'Manually scheduled' : task.start ? `Start no earlier than ${task.start}` : 'As soon as possible')}
      {cell('finish', `col-date${p.late ? ' late' : ''}`, s ? formatShortDate(s.finish) : '', p.late ? 'Late: the finish date has passed' : undefined)}
      {cell('duration', 'col-num', s ? `${s.duration}d` : '')}
      {cell('assignees', 'col-who', task.assignees.join(', '))}
      <span role="gridcell" className={`col-status status-${task.status || 'none'}`} data-testid="grid-status">
        {p.statusLabel}
      </span>
      {p.slip !== undefined && (
        <span role="gridcell" className={`col-num slip${p.slip !== null && p.slip > 0 ? ' late' : p.slip !== null && p.slip < 0 ? ' early' : ''}`} title="Finish against the baseline (working days)">
          {p.slip === null ? 'new' : p.slip === 0 ? '0' : `${p.slip > 0 ? '+' : '−'}${Math.abs(p.slip)}d`}
        </span>
      )}
      {cell('progress', 'col-num', s ? `${Math.round(s.progress)}%` : '')}
    </div>
  );
});

function CellEditor(props: {
  field: GridField;
  className: string;
  task: OutlineRow;
  scheduled: ScheduledTask | undefined;
  onCommit(patch: ShapePatch | null): void;
  finishToDuration(finish: string): number;
}) {
  const { field, task, scheduled } = props;
  const initial =
    field === 'title'
      ? task.task.title
      : field === 'start'
        ? (scheduled?.start ?? '')
        : field === 'finish'
          ? (scheduled?.finish ?? '')
          : field === 'duration'
            ? String(task.task.duration)
            : field === 'assignees'
              ? task.task.assignees.join(', ')
              : String(task.task.progress);
  const [value, setValue] = useState(initial);
  const done = useRef(false);
  const commit = (keep: boolean) => {
    if (done.current) return;
    done.current = true;
    if (!keep || value === initial) return props.onCommit(null);
    props.onCommit(patchFor(field, value, props.finishToDuration));
  };
  return (
    <input
      className={`input grid-input ${props.className}`}
      autoFocus
      type={field === 'start' || field === 'finish' ? 'date' : field === 'duration' || field === 'progress' ? 'number' : 'text'}
      min={field === 'duration' || field === 'progress' ? 0 : undefined}
      max={field === 'progress' ? 100 : undefined}
      value={value}
      aria-label={field}
      onChange={(e) => setValue(e.target.value)}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter') commit(true);
        if (e.key === 'Escape') commit(false);
      }}
      onBlur={() => commit(true)}
      onPointerDown={(e) => e.stopPropagation()}
    />
  );
}

function patchFor(field: GridField, value: string, finishToDuration: (finish: string) => number): ShapePatch | null {
  switch (field) {
    case 'title':
      return { title: value.replace(/\n/g, ' ') };
    case 'start':
      return { start: value };
    case 'finish':
      return value ? { duration: finishToDuration(value) } : null;
    case 'duration': {
      const n = Number(value);
      return Number.isFinite(n) && n >= 0 ? { duration: n } : null;
    }
    case 'assignees':
      return { assignees: value.split(',') };
    case 'progress': {
      const n = Number(value);
      return Number.isFinite(n) ? { progress: Math.max(0, Math.min(100, n)) } : null;
    }
  }
}
