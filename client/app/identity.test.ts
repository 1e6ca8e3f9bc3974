import { describe, expect, it } from 'vitest';
import { IDENTITY_KEY, PRESENCE_COLORS, initials, loadIdentity, normalizeName, saveIdentity } from './identity.ts';
import type { KeyValueStorage } from './recentBoards.ts';

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('identity', () => {
  it('picks a palette colour once and remembers it', () => {
    const s = memoryStorage();
    const first = loadIdentity(s, () => 0.5);
    expect(first.name).toBe('');
    expect(PRESENCE_COLORS).toContain(first.color);
    expect(loadIdentity(s, () => 0).color).toBe(first.color);
  });

  it('remembers the name', () => {
    const s = memoryStorage();
    const { color } = loadIdentity(s);
    saveIdentity(s, { name: '  Ada   Lovelace ', color });
    expect(loadIdentity(s)).toEqual({ name: 'Ada Lovelace', color });
  });

  it('repairs a stored identity with a bad colour', () => {
    const s = memoryStorage();
    s.setItem(IDENTITY_KEY, JSON.stringify({ name: 'Bo', color: 'red' }));
    const identity = loadIdentity(s, () => 0);
    expect(identity).toEqual({ name: 'Bo', color: PRESENCE_COLORS[0] });
  });

  it.each([
    ['Ada Lovelace', 'AL'],
    ['grace', 'G'],
    ['  ', '?'],
    ['Jean Luc Picard', 'JP'],
    ['émile zola', 'ÉZ'],
  ])('initials(%j) = %s', (name, expected) => {
    expect(initials(name)).toBe(expected);
  });

  it('limits name length', () => {
    expect(normalizeName('x'.repeat(100))).toHaveLength(40);
  });
});
