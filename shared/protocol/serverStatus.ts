/**
 * What the server tells the clients of a board about itself, through awareness (the
 * y-websocket protocol has no status message, and awareness reaches the stock provider):
 * the server's own awareness state is null while all is well, and
 * `{ planvasServer: ServerStatus }` while it cannot store edits.
 *
 * @example readServerStatus(provider.awareness.getStates()) // { storage: 'unavailable', ... } | null
 */
export interface ServerStatus {
  /** 'unavailable': the database does not answer; edits are held (not yet saved) and retried. */
  storage: 'unavailable';
  /** ISO 8601: when storing started to fail. */
  since: string;
  /** Edits held on the server, waiting to be stored. */
  heldEdits: number;
}

export const SERVER_STATUS_KEY = 'planvasServer';

/** The status announced by a server in these awareness states, or null (all is well). Validates: peers' states are untrusted. */
export function readServerStatus(states: ReadonlyMap<number, unknown>): ServerStatus | null {
  for (const state of states.values()) {
    if (typeof state !== 'object' || state === null) continue;
    const status = (state as Record<string, unknown>)[SERVER_STATUS_KEY];
    if (typeof status !== 'object' || status === null) continue;
    const s = status as Record<string, unknown>;
    if (s.storage !== 'unavailable' || typeof s.since !== 'string' || typeof s.heldEdits !== 'number') continue;
    return { storage: 'unavailable', since: s.since.slice(0, 40), heldEdits: Math.max(0, Math.floor(s.heldEdits)) };
  }
  return null;
}
