import type { ConnectionStatus } from '../board/session.ts';

/**
 * What the header badge says, derived from the browser's network state and the WebSocket
 * provider's events. Pure, so every combination is tested.
 */
export interface ConnectionFacts {
  /** navigator.onLine and the window online/offline events. */
  browserOnline: boolean;
  /** The provider's last 'status' event. */
  socket: 'connecting' | 'connected' | 'disconnected';
  /** True once a socket to the server has opened in this session. */
  everConnected: boolean;
  /** Closed sockets since the last successful sync. */
  failedAttempts: number;
  /** The server closed the connection for good (a 44xx close code, e.g. the board was deleted): no more reconnects. */
  closedForGood?: boolean;
}

export function deriveStatus(facts: ConnectionFacts): ConnectionStatus {
  if (facts.closedForGood) return 'closed';
  // An open socket is the truth (the browser may report offline on a loopback-only machine).
  if (facts.socket === 'connected') return 'connected';
  if (!facts.browserOnline) return 'offline';
  if (facts.everConnected || facts.failedAttempts > 0) return 'reconnecting';
  return 'connecting';
}

/** Short label and explanation for the badge. */
export function describeStatus(status: ConnectionStatus, unsynced: boolean): { label: string; detail: string } {
  switch (status) {
    case 'connected':
      return unsynced
        ? { label: 'Syncing…', detail: 'Connected; sending your changes.' }
        : { label: 'Connected', detail: 'Connected; changes are shared live.' };
    case 'connecting':
      return { label: 'Connecting…', detail: 'Connecting to the server.' };
    case 'reconnecting':
      return {
        label: 'Reconnecting…',
        detail: 'The connection to the server was lost. Edits are saved in this browser and will sync when it returns.',
      };
    case 'offline':
      return { label: 'Offline', detail: 'Offline — edits are saved in this browser and will sync.' };
    case 'closed':
      return { label: 'Not syncing', detail: 'The server closed this board for good; changes are no longer shared or saved.' };
  }
}
