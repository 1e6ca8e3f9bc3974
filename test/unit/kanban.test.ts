import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask } from '../../shared/doc/ops.ts';
import { moveCard } from '../../shared/doc/planOps.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import { DEFAULT_STATUSES } from '../../shared/schema/entities.ts';
import { formatDateRange, initials, isLate } from '../../client/views/kanban/cardInfo.ts';
import {
  dropNeighbours,
  groupBoard,
  isNoOpDrop,
  keyboardMove,
  laneCards,
  uniqueStatusKey,
  UNASSIGNED_LANE,
  type CardTask,
} from '../../client/views/kanban/columns.ts';

const card = (id: string, status: string, boardRank: string, more: Partial<CardTask> = {}): CardTask => ({
  id,
  status,
  boardRank,
  assignees: [],
  parent: '',
  ...more,
});

const ids = (cards: readonly CardTask[]) => cards.map((c) => c.id);
const layoutOf = (tasks: CardTask[], swimlanes = false, wipLimits: Record<string, number> = {}) =>
  groupBoard({ tasks, statuses: DEFAULT_STATUSES, wipLimits, swimlanes });

describe('Kanban columns', () => {
  it('puts "No status" first, then the board statuses in order, then unknown keys labelled with the key', () => {
    const layout = layoutOf([card('a', 'review', 'a0'), card('b', '', 'a0'), card('c', 'done', 'a0'), card('d', 'archived', 'a0')]);
    expect(layout.columns.map((c) => [c.id, c.label, c.kind])).toEqual([
      ['none', 'No status', 'none'],
      ['todo', 'To do', 'status'],
      ['in-progress', 'In progress', 'status'],
      ['blocked', 'Blocked', 'status'],
      ['done', 'Done', 'status'],
      ['archived', 'archived', 'unknown'],
      ['review', 'review', 'unknown'],
    ]);
    expect(layout.lanes).toBeNull();
  });

  it('orders cards by boardRank, unranked ones last, ties by id', () => {
    const layout = layoutOf([card('x', 'todo', ''), card('b', 'todo', 'a1'), card('a', 'todo', 'a1'), card('c', 'todo', 'a0'), card('w', 'todo', '')]);
    expect(ids(layout.columns[1]!.cards)).toEqual(['c', 'a', 'b', 'w', 'x']);
  });

  it('leaves summary tasks out: they roll up from their subtasks', () => {
    const layout = layoutOf([card('parent', 'todo', 'a0'), card('child', 'todo', 'a1', { parent: 'parent' }), card('orphan', 'todo', 'a2', { parent: 'gone' })]);
    expect(ids(layout.columns[1]!.cards)).toEqual(['child', 'orphan']);
  });

  it('flags a column over its WIP limit; "No status" never has one', () => {
    const tasks = [card('a', 'todo', 'a0'), card('b', 'todo', 'a1'), card('c', 'todo', 'a2'), card('d', '', 'a0')];
    const layout = layoutOf(tasks, false, { todo: 2, 'in-progress': 3, '': 1 });
    const [none, todo, doing] = layout.columns;
    expect([todo!.limit, todo!.over]).toEqual([2, true]);
    expect([doing!.limit, doing!.over]).toEqual([3, false]);
    expect([none!.limit, none!.over]).toEqual([null, false]);
    expect(layoutOf(tasks, false, { todo: 3 }).columns[1]!.over).toBe(false);
  });

  it('makes one lane per assignee (sorted) plus Unassigned; a shared card is in both lanes, counted once', () => {
    const layout = layoutOf(
      [card('a', 'todo', 'a0', { assignees: ['Zoe', 'Ann'] }), card('b', 'todo', 'a1'), card('c', 'done', 'a0', { assignees: ['Ann'] })],
      true,
      { todo: 1 },
    );
    expect(layout.lanes).toEqual(['Ann', 'Zoe', UNASSIGNED_LANE]);
    const todo = layout.columns[1]!;
    expect(ids(laneCards(todo, 'Ann'))).toEqual(['a']);
    expect(ids(laneCards(todo, 'Zoe'))).toEqual(['a']);
    expect(ids(laneCards(todo, UNASSIGNED_LANE))).toEqual(['b']);
    expect(laneCards(todo, 'Nobody')).toEqual([]);
    expect([todo.cards.length, todo.over]).toEqual([2, true]);
  });
});

describe('Kanban drop placement', () => {
  const cards = [card('a', 'todo', 'a0'), card('b', 'todo', 'a1'), card('c', 'todo', 'a2')];

  it.each([
    { index: 0, before: null, after: 'a0' },
    { index: 1, before: 'a0', after: 'a1' },
    { index: 3, before: 'a2', after: null },
  ])('drop of another card at $index goes between $before and $after', ({ index, before, after }) => {
    expect(dropNeighbours(cards, index, 'other')).toEqual({ before, after });
  });

  it('skips the moving card itself when it is a neighbour', () => {
    expect(dropNeighbours(cards, 0, 'a')).toEqual({ before: null, after: 'a1' });
    expect(dropNeighbours(cards, 3, 'c')).toEqual({ before: 'a1', after: null });
    expect(dropNeighbours(cards, 2, 'b')).toEqual({ before: 'a0', after: 'a2' });
  });

  it('lands after the last ranked card when dropped among unranked ones', () => {
    const mixed = [card('a', 'todo', 'a0'), card('x', 'todo', ''), card('y', 'todo', '')];
    expect(dropNeighbours(mixed, 2, 'n')).toEqual({ before: 'a0', after: null });
    expect(dropNeighbours(mixed, 1, 'n')).toEqual({ before: 'a0', after: null });
    expect(dropNeighbours([], 0, 'n')).toEqual({ before: null, after: null });
  });

  it('knows a drop onto the card\'s own place changes nothing', () => {
    expect(isNoOpDrop(cards, 1, cards[1]!, 'todo')).toBe(true);
    expect(isNoOpDrop(cards, 2, cards[1]!, 'todo')).toBe(true);
    expect(isNoOpDrop(cards, 3, cards[1]!, 'todo')).toBe(false);
    expect(isNoOpDrop(cards, 1, cards[1]!, 'done')).toBe(false);
  });

  it('writes a rank that puts the card exactly where it was dropped, in one undo step', () => {
    const doc = new Y.Doc();
    const origin = {};
    const undo = new Y.UndoManager(boardMaps(doc).tasks, { trackedOrigins: new Set([origin]) });
    const [a, b, c] = ['A', 'B', 'C'].map((title) => createTask(doc, { title, status: 'todo' }));
    const moving = createTask(doc, { title: 'M', status: 'done' });
    const todo = () => layoutOf([...readBoard(doc).tasks.values()]).columns[1]!.cards;
    const { before, after } = dropNeighbours(todo(), 2, moving);
    moveCard(doc, moving, 'todo', before, after, origin);
    expect(ids(todo())).toEqual([a, b, moving, c]);
    undo.undo();
    expect(ids(todo())).toEqual([a, b, c]);
    expect(readBoard(doc).tasks.get(moving)?.status).toBe('done');
  });
});

describe('Kanban keyboard moves', () => {
  const layout = layoutOf([card('a', 'todo', 'a0'), card('b', 'todo', 'a1'), card('c', 'todo', 'a2'), card('d', 'in-progress', 'a5'), card('n', '', 'a0')]);

  it('Alt+Up/Down moves one place within the column', () => {
    expect(keyboardMove(layout, null, 'b', 'up')).toEqual({ status: 'todo', before: null, after: 'a0' });
    expect(keyboardMove(layout, null, 'b', 'down')).toEqual({ status: 'todo', before: 'a2', after: null });
    expect(keyboardMove(layout, null, 'a', 'down')).toEqual({ status: 'todo', before: 'a1', after: 'a2' });
    expect(keyboardMove(layout, null, 'a', 'up')).toBeNull();
    expect(keyboardMove(layout, null, 'c', 'down')).toBeNull();
  });

  it('Alt+Left/Right moves to the end of the neighbouring column', () => {
    expect(keyboardMove(layout, null, 'b', 'right')).toEqual({ status: 'in-progress', before: 'a5', after: null });
    expect(keyboardMove(layout, null, 'b', 'left')).toEqual({ status: '', before: 'a0', after: null });
    expect(keyboardMove(layout, null, 'n', 'left')).toBeNull();
    expect(keyboardMove(layout, null, 'missing', 'left')).toBeNull();
  });

  it('stays within the lane when swimlanes are on', () => {
    const lanes = layoutOf([card('a', 'todo', 'a0', { assignees: ['Ann'] }), card('b', 'todo', 'a1'), card('c', 'todo', 'a2', { assignees: ['Ann'] })], true);
    expect(keyboardMove(lanes, 'Ann', 'c', 'up')).toEqual({ status: 'todo', before: null, after: 'a0' });
    expect(keyboardMove(lanes, UNASSIGNED_LANE, 'b', 'up')).toBeNull();
  });
});

describe('Kanban status keys and card details', () => {
  it.each([
    { label: 'In review', taken: [], key: 'in-review' },
    { label: '  QA / Test!  ', taken: [], key: 'qa-test' },
    { label: 'Done', taken: ['done', 'done-2'], key: 'done-3' },
    { label: 'Café', taken: [], key: 'cafe' },
    { label: '進行中', taken: [], key: '進行中' },
    { label: '!!!', taken: ['status'], key: 'status-2' },
    { label: 'None', taken: [], key: 'none-2' },
  ])('"$label" becomes "$key"', ({ label, taken, key }) => {
    expect(uniqueStatusKey(label, taken)).toBe(key);
  });

  it.each([
    { start: '2026-01-05', finish: '2026-01-09', text: 'Jan 5 – Jan 9' },
    { start: '2026-03-02', finish: '2026-03-02', text: 'Mar 2' },
    { start: '2025-12-29', finish: '2026-01-02', text: 'Dec 29, 2025 – Jan 2, 2026' },
    { start: '', finish: '2026-01-02', text: '' },
  ])('formats $start..$finish as "$text"', ({ start, finish, text }) => {
    expect(formatDateRange(start, finish)).toBe(text);
  });

  it('calls a card late only when it should have finished before today and is not complete', () => {
    expect(isLate('2026-01-09', '2026-01-10', 50)).toBe(true);
    expect(isLate('2026-01-09', '2026-01-10', 100)).toBe(false);
    expect(isLate('2026-01-10', '2026-01-10', 0)).toBe(false);
    expect(isLate('', '2026-01-10', 0)).toBe(false);
  });

  it('shows at most two initials per assignee', () => {
    expect(['Ada Lovelace', 'grace', 'Jean Paul Sartre', '  ', 'Émile Zola'].map(initials)).toEqual(['AL', 'G', 'JS', '?', 'ÉZ']);
  });
});
