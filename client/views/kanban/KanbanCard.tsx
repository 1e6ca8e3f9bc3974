import { memo, useState, type KeyboardEvent } from 'react';
import { DEFAULT_TASK_COLOR, MAX_TITLE_LENGTH, type Task } from '../../../shared/schema/entities.ts';
import { CommentCount } from '../../comments/CommentCount.tsx';
import { initials } from './cardInfo.ts';
import { InlineInput } from './InlineInput.tsx';
import type { KeyboardDirection } from './columns.ts';

/** What a card can ask the view to do; one stable object, so memoized cards skip re-rendering. */
export interface CardActions {
  select(id: string): void;
  keyMove(id: string, lane: string | null, direction: KeyboardDirection): void;
  dragStart(id: string, lane: string | null): void;
  dragEnd(): void;
  editTitle(id: string): void;
  /** null = cancelled. */
  commitTitle(id: string, title: string | null): void;
  /** Opens the task's comment threads. */
  openComments(id: string): void;
}

export interface CardProps {
  /** Compared by identity: the board model keeps a task's object while it is unchanged. */
  task: Task;
  lane: string | null;
  /** Already formatted scheduled dates ("Jan 5 – Jan 9"); primitives keep the memo effective. */
  dates: string;
  critical: boolean;
  late: boolean;
  selected: boolean;
  editing: boolean;
  readOnly: boolean;
  /** Open comment threads on the task (0 = no badge). */
  comments: number;
  actions: CardActions;
}

const ARROWS: Record<string, KeyboardDirection> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };
const MAX_AVATARS = 3;

/** One Kanban card: title, badges, progress, dates and assignees. */
export const KanbanCard = memo(function KanbanCard({ task, lane, dates, critical, late, selected, editing, readOnly, comments, actions }: CardProps) {
  const [dragging, setDragging] = useState(false);
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.target !== e.currentTarget) return;
    const direction = ARROWS[e.key];
    if (e.altKey && direction && !readOnly) {
      e.preventDefault();
      actions.keyMove(task.id, lane, direction);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (e.key === 'Enter' && selected && !readOnly) actions.editTitle(task.id);
      else actions.select(task.id);
    }
  };
  const shown = task.assignees.slice(0, MAX_AVATARS);
  const className = ['kanban-card', selected && 'selected', dragging && 'dragging'].filter(Boolean).join(' ');
  return (
    <article
      className={className}
      data-testid={`kanban-card-${task.id}`}
      data-card-id={task.id}
      tabIndex={0}
      aria-label={task.title || 'Untitled task'}
      aria-current={selected ? 'true' : undefined}
      draggable={!readOnly && !editing}
      style={task.color !== DEFAULT_TASK_COLOR ? { borderLeftColor: task.color } : undefined}
      onClick={() => actions.select(task.id)}
      onDoubleClick={() => !readOnly && actions.editTitle(task.id)}
      onKeyDown={onKeyDown}
      onDragStart={(e) => {
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', task.id);
        actions.dragStart(task.id, lane);
        setDragging(true);
      }}
      onDragEnd={() => {
        setDragging(false);
        actions.dragEnd();
      }}
    >
      {editing ? (
        <InlineInput
          initial={task.title}
          label="Card title"
          placeholder="Untitled task"
          className="kanban-title-input"
          maxLength={MAX_TITLE_LENGTH}
          onDone={(title) => actions.commitTitle(task.id, title)}
        />
      ) : (
        <div className={task.title ? 'kanban-card-title' : 'kanban-card-title muted'}>{task.title || 'Untitled task'}</div>
      )}
      {(task.priority || task.milestone || critical || late) && (
        <div className="kanban-card-badges">
          {task.priority && <span className={`tag kanban-priority priority-${task.priority}`}>{task.priority}</span>}
          {task.milestone && <span className="tag">◆ Milestone</span>}
          {critical && <span className="tag kanban-critical">Critical</span>}
          {late && <span className="tag kanban-late">Late</span>}
        </div>
      )}
      {task.progress > 0 && (
        <div className="kanban-progress" role="progressbar" aria-label="Progress" aria-valuenow={task.progress} aria-valuemin={0} aria-valuemax={100}>
          <div style={{ width: `${task.progress}%` }} />
        </div>
      )}
      {(dates || shown.length > 0 || comments > 0) && (
        <div className="kanban-card-footer">
          <span className="kanban-dates">{dates}</span>
          <CommentCount count={comments} onOpen={() => actions.openComments(task.id)} />
          <span className="kanban-assignees" aria-label={`Assigned to ${task.assignees.join(', ')}`}>
            {shown.map((name) => (
              <span key={name} className="kanban-avatar" title={name}>
                {initials(name)}
              </span>
            ))}
            {task.assignees.length > MAX_AVATARS && <span className="kanban-avatar more">+{task.assignees.length - MAX_AVATARS}</span>}
            {task.assignees.length === 1 && <span className="kanban-assignee-name">{task.assignees[0]}</span>}
          </span>
        </div>
      )}
    </article>
  );
});
