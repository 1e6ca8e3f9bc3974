import type { StatusDef, Task } from '../../../shared/schema/entities.ts';
import { compareRank } from '../../../shared/schema/zorder.ts';

/**
 * The Kanban board as plain data: which cards go in which column (and swimlane), in what
 * order, and where a card lands when it is dropped or moved with the keyboard. No DOM, no
 * Yjs: the view renders a `BoardLayout` and hands a `CardMove` to `moveCard`.
 */

/** The lane key of cards without an assignee (real names are never empty: the read layer drops blank ones). */
export const UNASSIGNED_LANE = '';
/** Test id and React key of the "No status" column (status key ''); `uniqueStatusKey` never returns it. */
export const NO_STATUS_ID = 'none';

/** The fields of a task the grouping reads. */
export type CardTask = Pick<Task, 'id' | 'status' | 'boardRank' | 'assignees' | 'parent'>;

export interface BoardColumn<T extends CardTask = Task> {
  /** The status key stored on its tasks ('' for "No status"). */
  key: string;
  /** `key`, or NO_STATUS_ID for the "No status" column: for test ids and React keys. */
  id: string;
  label: string;
  /** 'status': one of meta.statuses; 'none': the "No status" column; 'unknown': a key found only on tasks. */
  kind: 'status' | 'none' | 'unknown';
  /** Every card of the column, in board order (across lanes: WIP counts are per column). */
  cards: T[];
  /** WIP limit, or null when there is none (never for the "No status" column). */
  limit: number | null;
  over: boolean;
  /** Cards per lane key, in board order; only when swimlanes are on. A card with two assignees is in both lanes. */
  lanes: Map<string, T[]> | null;
}

export interface BoardLayout<T extends CardTask = Task> {
  columns: BoardColumn<T>[];
  /** Lane keys: assignee names sorted, then UNASSIGNED_LANE; null when swimlanes are off. */
  lanes: string[] | null;
}

export interface LayoutInput<T extends CardTask> {
  tasks: Iterable<T>;
  statuses: readonly StatusDef[];
  wipLimits: Readonly<Record<string, number>>;
  swimlanes: boolean;
}

/** Board order inside a column: boardRank ascending ('' after the ranked ones), then id. */
export function compareCards(a: CardTask, b: CardTask): number {
  return compareRank(a.boardRank, a.id, b.boardRank, b.id);
}

/** Ids of tasks that are another task's parent: summaries roll up and are not cards. */
export function summaryIds(tasks: Iterable<CardTask>): Set<string> {
  const all = [...tasks];
  const ids = new Set(all.map((t) => t.id));
  const out = new Set<string>();
  for (const t of all) if (t.parent !== '' && t.parent !== t.id && ids.has(t.parent)) out.add(t.parent);
  return out;
}

/**
 * Groups the cards into columns: "No status" first, then the board's statuses in order, then
 * one column per status key found on tasks but not in meta (sorted, labelled with the key).
 */
export function groupBoard<T extends CardTask>({ tasks, statuses, wipLimits, swimlanes }: LayoutInput<T>): BoardLayout<T> {
  const all = [...tasks];
  const summaries = summaryIds(all);
  const byStatus = new Map<string, T[]>();
  for (const t of all) {
    if (summaries.has(t.id)) continue;
    let list = byStatus.get(t.status);
    if (!list) byStatus.set(t.status, (list = []));
    list.push(t);
  }
  const known = new Set(statuses.map((s) => s.key));
  const unknown = [...byStatus.keys()].filter((k) => k !== '' && !known.has(k)).sort();
  const defs: Array<{ key: string; label: string; kind: BoardColumn['kind'] }> = [
    { key: '', label: 'No status', kind: 'none' },
    ...statuses.map((s) => ({ key: s.key, label: s.label, kind: 'status' as const })),
    ...unknown.map((key) => ({ key, label: key, kind: 'unknown' as const })),
  ];
  const laneNames = new Set<string>();
  const columns = defs.map(({ key, label, kind }): BoardColumn<T> => {
    const cards = (byStatus.get(key) ?? []).sort(compareCards);
    const raw = kind === 'none' ? undefined : wipLimits[key];
    const limit = raw !== undefined && Number.isInteger(raw) && raw > 0 ? raw : null;
    let lanes: Map<string, T[]> | null = null;
    if (swimlanes) {
      lanes = new Map();
      for (const card of cards) {
        const keys = card.assignees.length > 0 ? card.assignees : [UNASSIGNED_LANE];
        for (const lane of new Set(keys)) {
          laneNames.add(lane);
          let list = lanes.get(lane);
          if (!list) lanes.set(lane, (list = []));
          list.push(card);
        }
      }
    }
    // A peer may name a status 'none': it must not share the "No status" column's id.
    const id = key === '' ? NO_STATUS_ID : key === NO_STATUS_ID ? `status-${key}` : key;
    return { key, id, label, kind, cards, limit, over: limit !== null && cards.length > limit, lanes };
  });
  const lanes = swimlanes
    ? [...[...laneNames].filter((n) => n !== UNASSIGNED_LANE).sort((a, b) => a.localeCompare(b)), UNASSIGNED_LANE]
    : null;
  return { columns, lanes };
}

/** The cards of one column as one lane shows them (the whole column without swimlanes). */
export function laneCards<T extends CardTask>(column: BoardColumn<T>, lane: string | null): T[] {
  if (lane === null || column.lanes === null) return column.cards;
  return column.lanes.get(lane) ?? [];
}

/** Where a card goes: the arguments of `moveCard` after the id. */
export interface CardMove {
  status: string;
  /** boardRank of the card that will be just above it, or null for the top of the column. */
  before: string | null;
  /** boardRank of the card that will be just below it, or null for the end. */
  after: string | null;
}

/**
 * The neighbours' ranks for a drop at `index` of `cards` (0 = above the first card,
 * cards.length = the end; the index counts the moving card where it is now).
 * Unranked cards ('' — old data) always sort after the ranked ones and cannot be placed
 * between, so a drop next to one lands just after the last ranked card.
 */
export function dropNeighbours(cards: readonly CardTask[], index: number, movingId: string): { before: string | null; after: string | null } {
  const at = Math.max(0, Math.min(index, cards.length));
  const above = cards.slice(0, at).filter((c) => c.id !== movingId);
  const below = cards.slice(at).filter((c) => c.id !== movingId);
  const next = below[0];
  const after = next && next.boardRank !== '' ? next.boardRank : null;
  let before: string | null = null;
  for (let i = above.length - 1; i >= 0; i--) {
    const rank = above[i]!.boardRank;
    if (rank !== '') {
      before = rank;
      break;
    }
  }
  return { before, after };
}

/** True when dropping `movingId` at `index` of `cards` in column `status` leaves it where it is. */
export function isNoOpDrop(cards: readonly CardTask[], index: number, moving: CardTask, status: string): boolean {
  if (moving.status !== status) return false;
  const from = cards.findIndex((c) => c.id === moving.id);
  return from !== -1 && (index === from || index === from + 1);
}

export type KeyboardDirection = 'left' | 'right' | 'up' | 'down';

/**
 * Alt+Arrow on a focused card: left/right to the end of the previous/next column (of the same
 * lane), up/down one place within the column (lane). Null when it cannot move that way.
 */
export function keyboardMove(layout: BoardLayout<CardTask>, lane: string | null, id: string, direction: KeyboardDirection): CardMove | null {
  const col = layout.columns.findIndex((c) => laneCards(c, lane).some((t) => t.id === id));
  const column = layout.columns[col];
  if (!column) return null;
  const cards = laneCards(column, lane);
  if (direction === 'left' || direction === 'right') {
    const target = layout.columns[col + (direction === 'left' ? -1 : 1)];
    if (!target) return null;
    const targetCards = laneCards(target, lane);
    return { status: target.key, ...dropNeighbours(targetCards, targetCards.length, id) };
  }
  const from = cards.findIndex((t) => t.id === id);
  const index = direction === 'up' ? from - 1 : from + 2;
  if (index < 0 || index > cards.length) return null;
  return { status: column.key, ...dropNeighbours(cards, index, id) };
}

/** Longest key made from a label (keys are stored on every task of the column). */
const MAX_KEY_LENGTH = 40;

/**
 * A status key for a new column: the label as a lower-case slug ("In review" → "in-review"),
 * with "-2", "-3"… when taken. Never '' and never NO_STATUS_ID.
 */
export function uniqueStatusKey(label: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  used.add(NO_STATUS_ID);
  const slug =
    label
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, MAX_KEY_LENGTH)
      .replace(/-+$/, '') || 'status';
  if (!used.has(slug)) return slug;
  for (let n = 2; ; n++) {
    const key = `${slug}-${n}`;
    if (!used.has(key)) return key;
  }
}
