import { describe, expect, it } from 'vitest';
import { readPresence } from '../../shared/protocol/presence.ts';

describe('reading a peer presence', () => {
  it('accepts a well-formed state', () => {
    const state = {
      user: { name: 'Ada', color: '#112233', role: 'view' },
      cursor: { x: 1, y: 2 },
      selection: ['a', 'b'],
      viewport: { x: 0, y: 0, zoom: 1, width: 800, height: 600 },
      view: 'canvas',
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
    });
  });
});
