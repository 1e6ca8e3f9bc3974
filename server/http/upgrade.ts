import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { isValidId } from '../../shared/ids.ts';
import type { BoardRole } from '../../shared/protocol/api.ts';
import { WS_PATH_PREFIX } from '../../shared/protocol/wire.ts';
import { verifyToken } from '../auth/tokens.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { BoardStore } from '../storage/types.ts';

export interface UpgradeDeps {
  wss: WebSocketServer;
  store: BoardStore;
  secret: string;
  logger: Logger;
  metrics: Metrics;
  onAccepted(ws: import('ws').WebSocket, boardId: string, role: BoardRole): void;
}

export type UpgradeDecision = { ok: true; boardId: string; token: string } | { ok: false; status: number; error: string };

/**
 * Reads `/ws/<boardId>?token=<token>` from the raw request target. The raw string is used on
 * purpose (not a normalised URL): `/ws/../x`, `/ws/a%2Fb` and the like are not ids and get 404.
 */
export function parseUpgradeTarget(rawUrl: string | undefined): UpgradeDecision {
  const url = rawUrl ?? '';
  const q = url.indexOf('?');
  const pathPart = q === -1 ? url : url.slice(0, q);
  if (!pathPart.startsWith(WS_PATH_PREFIX)) return { ok: false, status: 404, error: 'not found' };
  const boardId = pathPart.slice(WS_PATH_PREFIX.length);
  if (!isValidId(boardId)) return { ok: false, status: 404, error: 'unknown board' };
  const token = new URLSearchParams(q === -1 ? '' : url.slice(q + 1)).get('token');
  if (!token) return { ok: false, status: 401, error: 'token required' };
  return { ok: true, boardId, token };
}

/**
 * The `upgrade` listener of the HTTP server. Order of checks: path and id (404), token
 * present (401), token valid for this board id (403), board exists (404: only reachable with
 * a token this server signed for that id, so a wrong token never learns whether a board exists). A refusal is a real
 * HTTP response written on the socket, then the socket is closed.
 */
export function createUpgradeHandler(deps: UpgradeDeps) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // A reset or garbage on the raw socket must never become an uncaught exception.
    socket.on('error', (err) => deps.logger.debug('upgrade socket error', { err: err.message }));
    void decide(req).then(
      (decision) => {
        if (socket.destroyed) return;
        if (!decision.ok) return refuse(decision.status, decision.error);
        deps.wss.handleUpgrade(req, socket, head, (ws) => deps.onAccepted(ws, decision.boardId, decision.role));
      },
      (err: unknown) => {
        deps.logger.error('upgrade failed', { err });
        refuse(500, 'internal error');
      },
    );

    function refuse(status: number, error: string): void {
      deps.metrics.inc('planvas_upgrades_refused_total');
      deps.logger.info('upgrade refused', { status, path: (req.url ?? '').split('?')[0]?.slice(0, 100) });
      const body = JSON.stringify({ error });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
  };

  async function decide(req: IncomingMessage): Promise<{ ok: true; boardId: string; role: BoardRole } | { ok: false; status: number; error: string }> {
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return { ok: false, status: 400, error: 'not a WebSocket upgrade' };
    const target = parseUpgradeTarget(req.url);
    if (!target.ok) return target;
    // The token is checked before the board is looked up: without a token signed for this id,
    // the answer (403) is the same whether the board exists or not.
    const role = verifyToken(deps.secret, target.boardId, target.token);
    if (!role) return { ok: false, status: 403, error: 'invalid token' };
    if (!(await deps.store.getBoard(target.boardId))) return { ok: false, status: 404, error: 'unknown board' };
    return { ok: true, boardId: target.boardId, role };
  }
}
