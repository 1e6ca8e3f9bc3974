import type { BoardRole } from '../../shared/protocol/api.ts';

/**
 * Boards opened before in this browser, kept in localStorage. A board's tokens are kept per
 * role, so the role of a link is known offline (a reload without the server still knows
 * whether the board is editable) and the Share dialog can show every link this browser has.
 */
export interface RecentBoard {
  id: string;
  title: string;
  editToken?: string;
  viewToken?: string;
  /** Epoch milliseconds of the last time it was opened here. */
  lastOpened: number;
}

export const RECENT_BOARDS_KEY = 'planvas.recentBoards';
const MAX_ENTRIES = 50;

/** The subset of `Storage` the store uses (tests pass a Map-backed fake). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

function isEntry(value: unknown): value is RecentBoard {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    typeof v.title === 'string' &&
    typeof v.lastOpened === 'number' &&
    (v.editToken === undefined || typeof v.editToken === 'string') &&
    (v.viewToken === undefined || typeof v.viewToken === 'string') &&
    (typeof v.editToken === 'string' || typeof v.viewToken === 'string')
  );
}

/** All entries, most recently opened first. Corrupt storage reads as an empty list. */
export function listRecentBoards(storage: KeyValueStorage): RecentBoard[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(RECENT_BOARDS_KEY) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(isEntry).sort((a, b) => b.lastOpened - a.lastOpened);
}

function save(storage: KeyValueStorage, entries: RecentBoard[]): void {
  const sorted = [...entries].sort((a, b) => b.lastOpened - a.lastOpened).slice(0, MAX_ENTRIES);
  try {
    storage.setItem(RECENT_BOARDS_KEY, JSON.stringify(sorted));
  } catch {
    // Storage full or disabled (private mode): the list is a convenience, the board still works.
  }
  notify();
}

export function getRecentBoard(storage: KeyValueStorage, id: string): RecentBoard | undefined {
  return listRecentBoards(storage).find((b) => b.id === id);
}

/** The role a token has for a board, if this browser has seen it. */
export function cachedRole(entry: RecentBoard | undefined, token: string): BoardRole | null {
  if (!entry) return null;
  if (entry.editToken === token) return 'edit';
  if (entry.viewToken === token) return 'view';
  return null;
}

/** The token to open a listed board with: the edit link when known. */
export function bestToken(entry: RecentBoard): string {
  return entry.editToken ?? entry.viewToken ?? '';
}

export interface BoardVisit {
  id: string;
  title?: string;
  /** A token and the role the server said it has. */
  token?: { value: string; role: BoardRole };
  /** Both tokens (the creator gets them from POST /api/boards). */
  editToken?: string;
  viewToken?: string;
  /** Defaults to now; false keeps the previous time (a title refresh is not a visit). */
  touch?: boolean;
  now?: number;
}

/** Adds or updates the entry of a board; unknown fields keep their previous values. */
export function recordBoard(storage: KeyValueStorage, visit: BoardVisit): RecentBoard {
  const entries = listRecentBoards(storage);
  const previous = entries.find((b) => b.id === visit.id);
  const next: RecentBoard = {
    id: visit.id,
    title: visit.title ?? previous?.title ?? 'Untitled board',
    lastOpened: visit.touch === false && previous ? previous.lastOpened : (visit.now ?? Date.now()),
  };
  const editToken = visit.editToken ?? (visit.token?.role === 'edit' ? visit.token.value : undefined) ?? previous?.editToken;
  const viewToken = visit.viewToken ?? (visit.token?.role === 'view' ? visit.token.value : undefined) ?? previous?.viewToken;
  if (editToken) next.editToken = editToken;
  if (viewToken) next.viewToken = viewToken;
  if (!next.editToken && !next.viewToken) return next;
  save(storage, [...entries.filter((b) => b.id !== visit.id), next]);
  return next;
}

export function removeRecentBoard(storage: KeyValueStorage, id: string): void {
  save(
    storage,
    listRecentBoards(storage).filter((b) => b.id !== id),
  );
}

// Same-tab subscribers (the home page list); other tabs are told by the 'storage' event.
const listeners = new Set<() => void>();
function notify(): void {
  for (const listener of listeners) listener();
}
export function subscribeRecentBoards(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => {
    if (e.key === RECENT_BOARDS_KEY) listener();
  };
  if (typeof window !== 'undefined') window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    if (typeof window !== 'undefined') window.removeEventListener('storage', onStorage);
  };
}
