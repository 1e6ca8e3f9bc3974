import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * Open WebSocket connections per board and per client address on this instance (docs/protocol.md
 * "Limits"). A slot is taken when an upgrade is admitted, before the handshake, and given back
 * exactly once when the connection's socket closes, whichever way it ends (refused handshake,
 * client gone, terminated), so the counts never leak.
 *
 * @example
 *   const admitted = limits.admit(boardId, clientAddress(req, false));
 *   if (!admitted.ok) refuse(admitted.status, admitted.error);
 *   else socket.once('close', admitted.release);
 */
export interface ConnectionLimitSettings {
  /** 0 = unlimited. */
  maxConnectionsPerBoard: number;
  /** 0 = unlimited. */
  maxConnectionsPerIp: number;
}

export type Admission =
  | { ok: true; release(): void }
  | { ok: false; reason: 'per_ip' | 'per_board'; status: 429 | 503; error: string; retryAfterSeconds: number };

/** Seconds a refused client is told to wait (Retry-After); the stock provider backs off on its own too. */
const RETRY_AFTER_SECONDS = 5;

export class ConnectionLimits {
  private readonly perBoard = new Map<string, number>();
  private readonly perIp = new Map<string, number>();

  constructor(private readonly settings: ConnectionLimitSettings) {}

  /** Takes a slot for `boardId` and `ip`, or says why not. The address is checked first. */
  admit(boardId: string, ip: string): Admission {
    const { maxConnectionsPerIp, maxConnectionsPerBoard } = this.settings;
    if (maxConnectionsPerIp > 0 && (this.perIp.get(ip) ?? 0) >= maxConnectionsPerIp) {
      return { ok: false, reason: 'per_ip', status: 429, error: 'too many connections from this address', retryAfterSeconds: RETRY_AFTER_SECONDS };
    }
    if (maxConnectionsPerBoard > 0 && (this.perBoard.get(boardId) ?? 0) >= maxConnectionsPerBoard) {
      return { ok: false, reason: 'per_board', status: 503, error: 'board is full', retryAfterSeconds: RETRY_AFTER_SECONDS };
    }
    increment(this.perIp, ip);
    increment(this.perBoard, boardId);
    let released = false;
    const { perIp, perBoard } = this;
    return {
      ok: true,
      // Method syntax, not `release: () => …`: the tsx loader renames every function assigned to
      // a name with Object.defineProperty, which costs ~250 bytes per open connection.
      release() {
        if (released) return;
        released = true;
        decrement(perIp, ip);
        decrement(perBoard, boardId);
      },
    };
  }

  /** Open connections counted for a board / an address (0 when none). */
  boardCount(boardId: string): number {
    return this.perBoard.get(boardId) ?? 0;
  }

  ipCount(ip: string): number {
    return this.perIp.get(ip) ?? 0;
  }

  /** Number of boards and addresses with a count; both drop to 0 when every connection closed. */
  get trackedKeys(): number {
    return this.perBoard.size + this.perIp.size;
  }
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 0) - 1;
  // Deleting at zero keeps the maps as small as the set of open connections.
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}

/**
 * The client's address: the TCP peer, or with `trustProxy` the last X-Forwarded-For hop (the
 * one our own proxy appended; earlier hops are whatever the client wrote and are ignored).
 * IPv4-mapped IPv6 addresses (::ffff:1.2.3.4) count as their IPv4 address. An unusable header
 * falls back to the TCP peer.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const peer = normalise(req.socket.remoteAddress ?? 'unknown');
  if (!trustProxy) return peer;
  const header = req.headers['x-forwarded-for'];
  const value = Array.isArray(header) ? header[header.length - 1] : header;
  const last = value?.split(',').pop()?.trim();
  return last && isIP(stripPort(last)) ? normalise(stripPort(last)) : peer;
}

function normalise(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped ? mapped[1]! : address).toLowerCase();
}

/** Some proxies write `1.2.3.4:5678` or `[::1]:5678`. */
function stripPort(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(hop);
  return v4 ? v4[1]! : hop;
}
