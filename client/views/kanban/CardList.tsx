import { useRef, useState, type DragEvent } from 'react';
import type { Schedule } from '../../../shared/planning/types.ts';
import type { Task } from '../../../shared/schema/entities.ts';
import { formatDateRange, isLate } from './cardInfo.ts';
import type { BoardColumn } from './columns.ts';
import { KanbanCard, type CardActions } from './KanbanCard.tsx';

/** Cards drawn per column (per lane) before "Show N more": keeps 5,000-task boards responsive. */
export const CARD_PAGE = 100;

/** The card being dragged (one per view; HTML5 drag data cannot be read during dragover). */
export interface DragState {
  id: string | null;
  lane: string | null;
}

export interface ListActions extends CardActions {
  /** The dragged card was dropped into status column `status` at `index` of `cards` (the cards this list shows). */
  drop(status: string, cards: readonly Task[], index: number): void;
  /** "+ Add card" in a column (and lane: the new card gets that assignee). */
  add(status: string, lane: string | null): void;
}

interface Props {
  column: BoardColumn;
  lane: string | null;
  cards: readonly Task[];
  schedule: Schedule;
  today: string;
  selection: readonly string[];
  editing: string | null;
  readOnly: boolean;
  /** Open comment threads per task id. */
  commentCounts: ReadonlyMap<string, number>;
  drag: DragState;
  actions: ListActions;
}

/**
 * The cards of one column (or one lane of it) and the drop target for them. While a card is
 * dragged over it, a line shows where it will land; cards of another lane do not drop here.
 */
export function CardList({ column, lane, cards, schedule, today, selection, editing, readOnly, commentCounts, drag, actions }: Props) {
  const [shown, setShown] = useState(CARD_PAGE);
  const [indicator, setIndicator] = useState<{ index: number; top: number } | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const visible = cards.length > shown ? cards.slice(0, shown) : cards;
  const hidden = cards.length - visible.length;

  const accepts = () => !readOnly && drag.id !== null && drag.lane === lane;
  const dropIndex = (e: DragEvent): number => {
    const items = cardElements(listRef.current);
    const at = items.findIndex((el) => {
      const r = el.getBoundingClientRect();
      return e.clientY < r.top + r.height / 2;
    });
    return at === -1 ? items.length : at;
  };

  return (
    <div
      className={indicator !== null ? 'kanban-cards drop-target' : 'kanban-cards'}
      ref={listRef}
      data-lane={lane ?? undefined}
      onDragOver={(e) => {
        if (!accepts()) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        const index = dropIndex(e);
        if (index !== indicator?.index) setIndicator({ index, top: indicatorTop(listRef.current, index) });
      }}
      onDragLeave={(e) => {
        if (!listRef.current?.contains(e.relatedTarget as Node | null)) setIndicator(null);
      }}
      onDrop={(e) => {
        setIndicator(null);
        if (!accepts()) return;
        e.preventDefault();
        actions.drop(column.key, cards, dropIndex(e));
      }}
    >
      {indicator !== null && <div className="kanban-drop-indicator" style={{ top: indicator.top }} />}
      {visible.map((task) => {
        const s = schedule.tasks.get(task.id);
        return (
          <KanbanCard
            key={task.id}
            task={task}
            lane={lane}
            dates={s ? formatDateRange(s.start, s.finish) : ''}
            critical={s?.critical ?? false}
            late={isLate(s?.finish ?? '', today, task.progress, task.status)}
            selected={selection.includes(task.id)}
            editing={editing === task.id}
            readOnly={readOnly}
            comments={commentCounts.get(task.id) ?? 0}
            actions={actions}
          />
        );
      })}
      {hidden > 0 && (
        <button type="button" className="link-button kanban-show-more" onClick={() => setShown((n) => n + CARD_PAGE)} title={`${hidden} cards not shown`}>
          Show {Math.min(hidden, CARD_PAGE)} more
        </button>
      )}
      {!readOnly && (
        <button type="button" className="kanban-add-card" onClick={() => actions.add(column.key, lane)}>
          + Add card
        </button>
      )}
    </div>
  );
}

function cardElements(list: HTMLElement | null): HTMLElement[] {
  return list ? [...list.querySelectorAll<HTMLElement>(':scope > [data-card-id]')] : [];
}

/** The indicator line's offset in the list: halfway into the gap above card `index` (or below the last). */
function indicatorTop(list: HTMLElement | null, index: number): number {
  const items = cardElements(list);
  const gap = 4;
  const at = items[index];
  if (at) return at.offsetTop - gap;
  const last = items[items.length - 1];
  return last ? last.offsetTop + last.offsetHeight + gap : gap;
}
