import { describe, expect, it } from 'vitest';
import { currentPresenter, readPresence } from '../../shared/protocol/presence.ts';

describe('reading a peer presence', () => {
  it('accepts a well-formed state', () => {
    const state = {
      user: { name: 'Ada', color: '#112233', role: 'view' },
      cursor: { x: 1, y: 2 },
      selection: ['a', 'b'],
      viewport: { x: 0, y: 0, zoom: 1, width: 800, height: 600 },
      view: 'canvas',
      presenting: null,
      following: null,
      laser: null,
      timeline: null,
    };
    expect(readPresence(state)).toEqual(state);
  });

  it.each([null, 5, 'x', {}, { user: 'Ada' }])('rejects a state without a user: %o', (state) => {
    expect(readPresence(state)).toBeNull();
  });

  it('repairs the fields it can and drops the rest', () => {
    expect(
      readPresence({ user: { name: '  ', color: 'red', role: 'admin' }, cursor: { x: 'a' }, selection: [1, 'ok'], viewport: { zoom: 0 } }),
    ).toEqual({
      user: { name: 'Anonymous', color: '#888888', role: 'edit' },
      cursor: null,
      selection: ['ok'],
      viewport: null,
      view: 'canvas',
      presenting: null,
      following: null,
      laser: null,
      timeline: null,
    });
  });
});

describe('presenting, following and the laser (issue 4)', () => {
  const user = { name: 'Ada', color: '#112233', role: 'edit' };

  it('reads well-formed values', () => {
    const state = readPresence({
      user,
      presenting: { since: 1_700_000_000_000 },
      following: 42,
      laser: { points: [{ x: 1, y: 2, age: 900 }, { x: 3, y: 4, age: 0 }] },
    });
    expect(state?.presenting).toEqual({ since: 1_700_000_000_000 });
    expect(state?.following).toBe(42);
    expect(state?.laser).toEqual({ points: [{ x: 1, y: 2, age: 900 }, { x: 3, y: 4, age: 0 }] });
  });

  it('defaults them when absent (older clients)', () => {
    expect(readPresence({ user })).toMatchObject({ presenting: null, following: null, laser: null });
  });

  it.each([
    ['presenting: true', { presenting: true }],
    ['presenting without since', { presenting: {} }],
    ['presenting with NaN', { presenting: { since: Number.NaN } }],
    ['presenting in the past of the epoch', { presenting: { since: -5 } }],
    ['presenting with a string', { presenting: { since: '1' } }],
  ])('drops a hostile presenting value: %s', (_label, extra) => {
    expect(readPresence({ user, ...extra })?.presenting).toBeNull();
  });

  it.each([['a string', 'x'], ['a fraction', 1.5], ['negative', -1], ['huge', 2 ** 60], ['an object', {}]])('drops a hostile following value: %s', (_label, following) => {
    expect(readPresence({ user, following })?.following).toBeNull();
  });

  it('bounds the laser: at most 40 points, the newest kept; bad or stale points dropped', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: i, age: 0 }));
    const laser = readPresence({ user, laser: { points } })?.laser;
    expect(laser?.points).toHaveLength(40);
    expect(laser?.points[39]).toEqual({ x: 9999, y: 9999, age: 0 });
    expect(laser?.points[0]).toEqual({ x: 9960, y: 9960, age: 0 });

    const messy = readPresence({
      user,
      laser: { points: [null, 5, { x: 'a', y: 1, age: 0 }, { x: Infinity, y: 0, age: 0 }, { x: 1, y: 1, age: -1 }, { x: 1, y: 1, age: 5000 }, { x: 7, y: 8, age: 10 }] },
    })?.laser;
    expect(messy).toEqual({ points: [{ x: 7, y: 8, age: 10 }] });
  });

  it.each([['null', null], ['no points', {}], ['points not an array', { points: 'xx' }], ['only bad points', { points: [{}] }], ['a number', 3]])(
    'reads an unusable laser as none: %s',
    (_label, laser) => {
      expect(readPresence({ user, laser })?.laser).toBeNull();
    },
  );
});

describe('who is presenting', () => {
  const base = readPresence({ user: { name: 'A', color: '#000000', role: 'edit' } })!;
  const at = (since: number | null) => ({ ...base, presenting: since === null ? null : { since } });

  it('is nobody when nobody presents', () => {
    expect(currentPresenter([[1, at(null)], [2, at(null)]])).toBeNull();
  });

  it('is the latest to start, ties going to the higher client id, whatever the order', () => {
    expect(currentPresenter([[1, at(100)], [2, at(200)], [3, at(null)]])).toBe(2);
    expect(currentPresenter([[2, at(200)], [1, at(100)]])).toBe(2);
    expect(currentPresenter([[5, at(300)], [9, at(300)]])).toBe(9);
    expect(currentPresenter([[9, at(300)], [5, at(300)]])).toBe(9);
  });
});

describe('timeline position', () => {
  const user = { name: 'Ada', color: '#112233', role: 'edit' };
  it('reads a well-formed position', () => {
    expect(readPresence({ user, timeline: { day: 20_000.5, row: 3.25 } })?.timeline).toEqual({ day: 20_000.5, row: 3.25 });
  });
  it.each([
    ['not an object', 'x'],
    ['no row', { day: 1 }],
    ['a negative row', { day: 1, row: -1 }],
    ['an absurd day', { day: 1e12, row: 0 }],
    ['NaN', { day: Number.NaN, row: 0 }],
  ])('drops a hostile timeline position: %s', (_label, timeline) => {
    expect(readPresence({ user, timeline })?.timeline).toBeNull();
  });
});
