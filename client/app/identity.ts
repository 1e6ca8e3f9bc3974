import type { KeyValueStorage } from './recentBoards.ts';

/**
 * Who this browser's user is on every board: a display name asked once and a colour picked
 * once, both remembered in localStorage. Published through awareness, never the document.
 */
export interface Identity {
  /** '' until the user has told us. */
  name: string;
  /** '#rrggbb' from PRESENCE_COLORS. */
  color: string;
}

export const IDENTITY_KEY = 'planvas.identity';
export const MAX_NAME_LENGTH = 40;

/** Saturated enough for cursors on white, light enough to read initials on them in white. */
export const PRESENCE_COLORS = [
  '#e5484d', '#f76b15', '#d6a000', '#30a46c', '#12a594', '#0090ff',
  '#3e63dd', '#8e4ec6', '#d6409f', '#7d5e54',
] as const;

export function randomColor(random: () => number = Math.random): string {
  return PRESENCE_COLORS[Math.floor(random() * PRESENCE_COLORS.length) % PRESENCE_COLORS.length] ?? PRESENCE_COLORS[0];
}

export function normalizeName(name: string): string {
  return name.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
}

/** Reads the stored identity; a first visit gets a colour (stored at once) and no name. */
export function loadIdentity(storage: KeyValueStorage, random: () => number = Math.random): Identity {
  let stored: Partial<Identity> = {};
  try {
    const parsed: unknown = JSON.parse(storage.getItem(IDENTITY_KEY) ?? '{}');
    if (parsed && typeof parsed === 'object') stored = parsed as Partial<Identity>;
  } catch {
    stored = {};
  }
  const name = typeof stored.name === 'string' ? normalizeName(stored.name) : '';
  const color = typeof stored.color === 'string' && /^#[0-9a-f]{6}$/i.test(stored.color) ? stored.color : randomColor(random);
  const identity = { name, color };
  if (stored.color !== color) saveIdentity(storage, identity);
  return identity;
}

export function saveIdentity(storage: KeyValueStorage, identity: Identity): void {
  try {
    storage.setItem(IDENTITY_KEY, JSON.stringify({ name: normalizeName(identity.name), color: identity.color }));
  } catch {
    // Storage disabled: the name lasts for this page only.
  }
}

/** One or two letters for an avatar. */
export function initials(name: string): string {
  const words = normalizeName(name).split(' ').filter(Boolean);
  if (words.length === 0) return '?';
  const first = [...(words[0] ?? '')][0] ?? '';
  const second = words.length > 1 ? ([...(words[words.length - 1] ?? '')][0] ?? '') : '';
  return (first + second).toUpperCase();
}
