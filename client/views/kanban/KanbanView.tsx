import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { createTask, updateShape } from '../../../shared/doc/ops.ts';
import { moveCard, setStatuses, setWipLimit } from '../../../shared/doc/planOps.ts';
import { MAX_STATUSES } from '../../../shared/schema/entities.ts';
import type { BoardSession } from '../../board/session.ts';
import type { PlanModel } from '../../plan/planModel.ts';
import { CardList, type DragState, type ListActions } from './CardList.tsx';
import { AddStatus, ColumnHeader, type HeaderActions } from './ColumnHeader.tsx';
import { dropNeighbours, groupBoard, isNoOpDrop, keyboardMove, laneCards, uniqueStatusKey, type CardMove } from './columns.ts';
import { kanbanSession } from './kanbanSession.ts';
import { installKanbanTestHooks } from './testHooks.ts';
import { useSelection } from './useSelection.ts';
import { useComments } from '../../comments/commentsModel.ts';
import { openTaskComments } from '../../comments/threadLookup.ts';

type ViewActions = ListActions & HeaderActions & { addStatus(label: string): void };

/**
 * The Board view: one column per status, cards ordered by boardRank, drag and drop (or
 * Alt+Arrow keys) to move them, WIP limits, optional swimlanes by assignee. It reads the
 * plan on every render (the parent re-renders on each change) and writes through the
 * shared/doc ops, one transaction (one undo step) per user action.
 */
export function KanbanView({ session, plan }: { session: BoardSession; plan: PlanModel }) {
  const swimlanes = useStore(kanbanSession, (s) => s.swimlanes);
  const [selection, select] = useSelection(session.presence);
  const [editing, setEditing] = useState<string | null>(null);
  const [drag] = useState<DragState>(() => ({ id: null, lane: null }));
  const readOnly = session.readOnly;
  const commentCounts = useComments(session.doc).openCounts;
  const layout = groupBoard({ tasks: plan.board.tasks.values(), statuses: plan.meta.statuses, wipLimits: plan.meta.wipLimits, swimlanes });

  // Actions are created once (so memoized cards stay put) and read the latest render through this.
  const latest = useRef({ layout, plan, session });
  useLayoutEffect(() => {
    latest.current = { layout, plan, session };
  });
  const focusNext = useRef<{ id: string; lane: string | null } | null>(null);
  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    if (target) findCard(target.id, target.lane)?.focus();
  });

  const actions = useMemo((): ViewActions => {
    const write = (id: string, move: CardMove) => {
      const { session } = latest.current;
      if (session.readOnly) return;
      moveCard(session.doc, id, move.status, move.before, move.after, session.localOrigin);
    };
    const meta = () => latest.current.plan.meta;
    return {
      select: (id) => select([id]),
      keyMove: (id, lane, direction) => {
        const move = keyboardMove(latest.current.layout, lane, id, direction);
        if (!move) return;
        write(id, move);
        focusNext.current = { id, lane };
      },
      dragStart: (id, lane) => Object.assign(drag, { id, lane }),
      dragEnd: () => Object.assign(drag, { id: null, lane: null }),
      drop: (status, cards, index) => {
        const task = drag.id === null ? undefined : latest.current.plan.board.tasks.get(drag.id);
        if (!task || isNoOpDrop(cards, index, task, status)) return;
        write(task.id, { status, ...dropNeighbours(cards, index, task.id) });
        select([task.id]);
      },
      add: (status, lane) => {
        const { session } = latest.current;
        if (session.readOnly) return;
        const id = createTask(session.doc, { title: '', status, assignees: lane ? [lane] : [] }, session.localOrigin);
        select([id]);
        setEditing(id);
      },
      openComments: (id) => openTaskComments(latest.current.session.doc, id),
      editTitle: (id) => {
        select([id]);
        setEditing(id);
      },
      commitTitle: (id, title) => {
        setEditing(null);
        const { session, plan } = latest.current;
        if (title === null || session.readOnly || plan.board.tasks.get(id)?.title === title) return;
        updateShape(session.doc, id, { title: title.replace(/\n/g, ' ') }, session.localOrigin);
      },
      rename: (key, label) => {
        const { session } = latest.current;
        setStatuses(session.doc, meta().statuses.map((s) => (s.key === key ? { ...s, label } : s)), session.localOrigin);
      },
      setLimit: (key, limit) => {
        const { session } = latest.current;
        setWipLimit(session.doc, key, limit, meta().wipLimits, session.localOrigin);
      },
      addStatus: (label) => {
        const { session, layout } = latest.current;
        const taken = [...meta().statuses.map((s) => s.key), ...layout.columns.map((c) => c.key)];
        setStatuses(session.doc, [...meta().statuses, { key: uniqueStatusKey(label, taken), label }], session.localOrigin);
      },
    };
  }, [select, drag]);

  // window.planvas.kanban.moveCard: a drop at the end of the column, for end-to-end tests.
  useEffect(
    () =>
      installKanbanTestHooks({
        moveCard: (id, status) => {
          const { plan } = latest.current;
          const whole = groupBoard({ tasks: plan.board.tasks.values(), statuses: plan.meta.statuses, wipLimits: plan.meta.wipLimits, swimlanes: false });
          const cards = whole.columns.find((c) => c.key === status)?.cards ?? [];
          Object.assign(drag, { id, lane: null });
          actions.drop(status, cards, cards.length);
          Object.assign(drag, { id: null, lane: null });
        },
      }),
    [actions, drag],
  );

  const lanes: Array<string | null> = layout.lanes ?? [null];
  const rows = 1 + (layout.lanes ? 2 * lanes.length : 1);
  const cardCount = layout.columns.reduce((n, c) => n + c.cards.length, 0);
  return (
    <div className="kanban-view" data-readonly={readOnly || undefined}>
      <div className="kanban-toolbar">
        <label className="kanban-toggle">
          <input type="checkbox" checked={swimlanes} onChange={(e) => kanbanSession.getState().setSwimlanes(e.target.checked)} />
          Swimlanes: by assignee
        </label>
        <span className="muted small-text">{cardCount === 1 ? '1 card' : `${cardCount} cards`}</span>
        {readOnly && <span className="tag">View only</span>}
      </div>
      <div className="kanban-scroll" onClick={(e) => e.target === e.currentTarget && select([])}>
        <div
          className="kanban-board"
          style={{
            gridTemplateColumns: `repeat(${layout.columns.length + 1}, 272px)`,
            gridTemplateRows: layout.lanes ? `auto repeat(${lanes.length}, auto auto)` : 'auto 1fr',
          }}
        >
          {layout.lanes?.map((lane, i) => (
            <div key={lane} className="kanban-lane-band" style={{ gridRow: 2 + 2 * i }}>
              <span>{lane || 'Unassigned'}</span>
            </div>
          ))}
          {layout.columns.map((column, i) => (
            <section
              key={column.id}
              className={column.over ? 'kanban-column over-limit' : 'kanban-column'}
              data-testid={`kanban-column-${column.id}`}
              aria-label={column.label}
              style={{ gridRow: `1 / span ${rows}`, gridColumn: i + 1 }}
            >
              <ColumnHeader column={column} readOnly={readOnly} actions={actions} />
              {lanes.map((lane) => (
                <Fragment key={lane ?? '*'}>
                  {lane !== null && <div className="kanban-lane-spacer" />}
                  <CardList
                    column={column}
                    lane={lane}
                    cards={laneCards(column, lane)}
                    schedule={plan.schedule()}
                    today={plan.today()}
                    selection={selection}
                    editing={editing}
                    readOnly={readOnly}
                    commentCounts={commentCounts}
                    drag={drag}
                    actions={actions}
                  />
                </Fragment>
              ))}
            </section>
          ))}
          {!readOnly && plan.meta.statuses.length < MAX_STATUSES && (
            <div className="kanban-add-column" style={{ gridRow: `1 / span ${rows}`, gridColumn: layout.columns.length + 1 }}>
              <AddStatus onAdd={actions.addStatus} />
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

/** A card's element in a lane (a card with two assignees is in two lanes). */
function findCard(id: string, lane: string | null): HTMLElement | null {
  const card = `[data-card-id="${CSS.escape(id)}"]`;
  const scope = lane === null ? '' : `.kanban-cards[data-lane="${CSS.escape(lane)}"] > `;
  return document.querySelector<HTMLElement>(scope + card);
}
