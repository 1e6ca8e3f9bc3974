import { describe, expect, it } from 'vitest';
import {
  RECENT_BOARDS_KEY,
  bestToken,
  cachedRole,
  getRecentBoard,
  listRecentBoards,
  recordBoard,
  removeRecentBoard,
  type KeyValueStorage,
} from './recentBoards.ts';

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('recent boards', () => {
  it('keeps both tokens of a created board and lists the newest first', () => {
    const s = memoryStorage();
    recordBoard(s, { id: 'a', title: 'Alpha', editToken: 'e1', viewToken: 'v1', now: 1 });
    recordBoard(s, { id: 'b', title: 'Beta', token: { value: 'v2', role: 'view' }, now: 2 });
    const list = listRecentBoards(s);
    expect(list.map((b) => b.id)).toEqual(['b', 'a']);
    expect(list[1]).toEqual({ id: 'a', title: 'Alpha', editToken: 'e1', viewToken: 'v1', lastOpened: 1 });
    expect(bestToken(list[1]!)).toBe('e1');
    expect(bestToken(list[0]!)).toBe('v2');
  });

  it('knows the role of a token offline, per token', () => {
    const s = memoryStorage();
    recordBoard(s, { id: 'a', token: { value: 'v', role: 'view' }, now: 1 });
    recordBoard(s, { id: 'a', token: { value: 'e', role: 'edit' }, now: 2 });
    const entry = getRecentBoard(s, 'a');
    expect(cachedRole(entry, 'e')).toBe('edit');
    expect(cachedRole(entry, 'v')).toBe('view');
    expect(cachedRole(entry, 'other')).toBeNull();
    expect(cachedRole(undefined, 'e')).toBeNull();
  });

  it('refreshes the title without counting it as a visit', () => {
    const s = memoryStorage();
    recordBoard(s, { id: 'a', title: 'Old', editToken: 'e', now: 5 });
    recordBoard(s, { id: 'a', title: 'New', touch: false, now: 99 });
    expect(getRecentBoard(s, 'a')).toMatchObject({ title: 'New', lastOpened: 5, editToken: 'e' });
  });

  it('does not store a board without any token', () => {
    const s = memoryStorage();
    recordBoard(s, { id: 'a', title: 'No token' });
    expect(listRecentBoards(s)).toEqual([]);
  });

  it('removes an entry', () => {
    const s = memoryStorage();
    recordBoard(s, { id: 'a', editToken: 'e', now: 1 });
    recordBoard(s, { id: 'b', editToken: 'f', now: 2 });
    removeRecentBoard(s, 'a');
    expect(listRecentBoards(s).map((b) => b.id)).toEqual(['b']);
  });

  it('survives corrupt or foreign storage', () => {
    expect(listRecentBoards(memoryStorage({ [RECENT_BOARDS_KEY]: '{not json' }))).toEqual([]);
    expect(listRecentBoards(memoryStorage({ [RECENT_BOARDS_KEY]: '{"a":1}' }))).toEqual([]);
    const mixed = JSON.stringify([{ id: 'x' }, null, { id: 'ok', title: 'T', lastOpened: 1, viewToken: 'v' }, { id: 'n', title: 'T', lastOpened: 1 }]);
    expect(listRecentBoards(memoryStorage({ [RECENT_BOARDS_KEY]: mixed })).map((b) => b.id)).toEqual(['ok']);
  });

  it('keeps going when storage refuses writes', () => {
    const s: KeyValueStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => recordBoard(s, { id: 'a', editToken: 'e' })).not.toThrow();
  });
});
