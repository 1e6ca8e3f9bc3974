/**
 * The awareness state every Planvas client publishes (y-protocols awareness). It is shared
 * but never persisted, and never written into the document. Peers are untrusted: read it
 * through `readPresence`, which drops what it cannot use.
 */
export interface PresenceUser {
  name: string;
  /** '#rrggbb'. */
  color: string;
  /** 'edit' or 'view': what the peer's link allows (shown in the presence list). */
  role: 'edit' | 'view';
}

export interface PresenceState {
  user: PresenceUser;
  /** Pointer in canvas coordinates, or null when the pointer is off the canvas. */
  cursor: { x: number; y: number } | null;
  /** Ids of the shapes the peer has selected. */
  selection: string[];
  /** The peer's visible canvas rectangle and zoom (for follow mode), or null. */
  viewport: { x: number; y: number; zoom: number; width: number; height: number } | null;
  /** The view tab the peer is on ('canvas' for now). */
  view: string;
}

const HEX = /^#[0-9a-fA-F]{6}$/;
const MAX_SELECTION = 10_000;

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Validates a peer's awareness state; null when it has no usable user. */
export function readPresence(state: unknown): PresenceState | null {
  if (!state || typeof state !== 'object') return null;
  const s = state as Record<string, unknown>;
  const user = s.user as Record<string, unknown> | undefined;
  if (!user || typeof user !== 'object') return null;
  const name = typeof user.name === 'string' && user.name.trim() ? user.name.trim().slice(0, 60) : 'Anonymous';
  const color = typeof user.color === 'string' && HEX.test(user.color) ? user.color : '#888888';
  const role = user.role === 'view' ? 'view' : 'edit';
  const c = s.cursor as Record<string, unknown> | null | undefined;
  const cursor = c && typeof c === 'object' && finite(c.x) && finite(c.y) ? { x: c.x, y: c.y } : null;
  const selection = Array.isArray(s.selection)
    ? s.selection.filter((id): id is string => typeof id === 'string').slice(0, MAX_SELECTION)
    : [];
  const v = s.viewport as Record<string, unknown> | null | undefined;
  const viewport =
    v && typeof v === 'object' && finite(v.x) && finite(v.y) && finite(v.zoom) && v.zoom > 0 && finite(v.width) && finite(v.height)
      ? { x: v.x, y: v.y, zoom: v.zoom, width: v.width, height: v.height }
      : null;
  const view = typeof s.view === 'string' ? s.view.slice(0, 40) : 'canvas';
  return { user: { name, color, role }, cursor, selection, viewport, view };
}
