/**
 * Keyboard shortcut strings ('mod+shift+z', 'shift+1', '[', 'delete') matched against
 * keydown events. Letters and digits match by physical key (event.code) as well as by the
 * character, so Shift+1 works whatever the layout prints for it.
 */
export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

interface Parsed {
  key: string;
  mod: boolean;
  shift: boolean;
  alt: boolean;
}

const cache = new Map<string, Parsed>();

function parse(shortcut: string): Parsed {
  let parsed = cache.get(shortcut);
  if (!parsed) {
    const parts = shortcut.toLowerCase().split('+');
    // 'mod++' style is not used; a trailing '' means the key itself is '+'.
    const key = parts[parts.length - 1] === '' ? '+' : parts[parts.length - 1]!;
    const mods = new Set(parts.slice(0, -1));
    parsed = { key, mod: mods.has('mod'), shift: mods.has('shift'), alt: mods.has('alt') };
    cache.set(shortcut, parsed);
  }
  return parsed;
}

const CODE_NAMES: Record<string, string> = { '[': 'bracketleft', ']': 'bracketright', '=': 'equal', '-': 'minus' };

function keyMatches(token: string, e: KeyLike): boolean {
  const key = e.key.toLowerCase();
  const code = e.code.toLowerCase();
  if (key === token) return true;
  if (/^[a-z]$/.test(token)) return code === `key${token}`;
  if (/^[0-9]$/.test(token)) return code === `digit${token}`;
  if (token === 'space') return key === ' ' || code === 'space';
  if (token === 'esc') return key === 'escape';
  if (token === 'del') return key === 'delete';
  const name = CODE_NAMES[token];
  return name !== undefined && code === name;
}

export function matchesShortcut(shortcut: string, e: KeyLike): boolean {
  const p = parse(shortcut);
  if (!keyMatches(p.key, e)) return false;
  if ((e.ctrlKey || e.metaKey) !== p.mod) return false;
  if (e.altKey !== p.alt) return false;
  // Symbols such as '+' need Shift on most layouts; only letters, digits and named keys check it.
  const symbol = p.key.length === 1 && !/[a-z0-9]/.test(p.key);
  return symbol ? true : e.shiftKey === p.shift;
}

/** Human label for tooltips: 'mod+shift+z' -> 'Ctrl+Shift+Z' (or ⌘⇧Z on a Mac). */
export function formatShortcut(shortcut: string, mac = isMac()): string {
  const p = parse(shortcut);
  const key = p.key.length === 1 ? p.key.toUpperCase() : p.key[0]!.toUpperCase() + p.key.slice(1);
  if (mac) return `${p.mod ? '⌘' : ''}${p.alt ? '⌥' : ''}${p.shift ? '⇧' : ''}${key}`;
  return [p.mod ? 'Ctrl' : '', p.alt ? 'Alt' : '', p.shift ? 'Shift' : '', key].filter(Boolean).join('+');
}

function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
}
