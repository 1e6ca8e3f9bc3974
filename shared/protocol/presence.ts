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
  /** The view tab the peer is on ('canvas', 'timeline', 'board', 'dashboard'). */
  view: string;
  /**
   * Set while the peer presents (asks everyone to follow them): `since` is the peer's clock
   * (ms since the epoch) when they started. Of several presenters the latest `since` wins,
   * ties broken by the higher client id (see `currentPresenter`).
   */
  presenting: { since: number } | null;
  /** The client id this peer is following, or null (the presenter counts its audience). */
  following: number | null;
  /** The peer's laser pointer trail (the last ~1 s), or null when the laser is idle. */
  laser: { points: LaserPoint[] } | null;
  /**
   * Where the peer's timeline is scrolled, or null when they have none open: `day` is the
   * (fractional) epoch day at the left edge of the chart, `row` the (fractional) row at the
   * top. Scale-independent, so a follower on another time scale shows the same dates.
   */
  timeline: { day: number; row: number } | null;
}

/** One laser sample in canvas coordinates; `age` is how old it was (ms) when published. */
export interface LaserPoint {
  x: number;
  y: number;
  age: number;
}

/** A laser trail is at most this long (in time and in points): peers are untrusted. */
export const LASER_TRAIL_MS = 1000;
export const MAX_LASER_POINTS = 40;

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
  const p = s.presenting as Record<string, unknown> | null | undefined;
  const presenting = p && typeof p === 'object' && finite(p.since) && p.since >= 0 ? { since: p.since } : null;
  const following = Number.isSafeInteger(s.following) && (s.following as number) >= 0 ? (s.following as number) : null;
  const t = s.timeline as Record<string, unknown> | null | undefined;
  const timeline =
    t && typeof t === 'object' && finite(t.day) && Math.abs(t.day) <= MAX_EPOCH_DAY && finite(t.row) && t.row >= 0 && t.row <= MAX_ROW
      ? { day: t.day, row: t.row }
      : null;
  return { user: { name, color, role }, cursor, selection, viewport, view, presenting, following, laser: readLaser(s.laser), timeline };
}

/** Bounds for a peer's timeline position: about ±27 000 years of days, a million rows. */
const MAX_EPOCH_DAY = 10_000_000;
const MAX_ROW = 1_000_000;

/** Keeps at most MAX_LASER_POINTS well-formed, recent samples; null when none is left. */
function readLaser(value: unknown): PresenceState['laser'] {
  if (!value || typeof value !== 'object') return null;
  const raw = (value as Record<string, unknown>).points;
  if (!Array.isArray(raw)) return null;
  const points: LaserPoint[] = [];
  // The newest samples are at the end; read from there so a flood keeps the live tip.
  for (let i = raw.length - 1; i >= 0 && points.length < MAX_LASER_POINTS; i--) {
    const q = raw[i] as Record<string, unknown> | null;
    if (!q || typeof q !== 'object' || !finite(q.x) || !finite(q.y) || !finite(q.age)) continue;
    if (q.age < 0 || q.age > LASER_TRAIL_MS) continue;
    points.push({ x: q.x, y: q.y, age: q.age });
  }
  points.reverse();
  return points.length > 0 ? { points } : null;
}

/**
 * Who is presenting: of the states with `presenting`, the latest `since` wins; equal
 * `since`s go to the higher client id, so every client picks the same one.
 */
export function currentPresenter(states: Iterable<[number, PresenceState]>): number | null {
  let best: { id: number; since: number } | null = null;
  for (const [id, state] of states) {
    if (!state.presenting) continue;
    const since = state.presenting.since;
    if (!best || since > best.since || (since === best.since && id > best.id)) best = { id, since };
  }
  return best ? best.id : null;
}
