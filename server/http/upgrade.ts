import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { isValidId } from '../../shared/ids.ts';
import type { BoardRole } from '../../shared/protocol/api.ts';
import { WS_PATH_PREFIX } from '../../shared/protocol/wire.ts';
import type { LinkGrant } from '../auth/tokens.ts';
import { checkBoardToken } from './access.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { BoardStore } from '../storage/types.ts';
import type { Admission } from '../sync/connectionLimits.ts';

export interface UpgradeDeps {
  wss: WebSocketServer;
  store: BoardStore;
  secret: string;
  logger: Logger;
  metrics: Metrics;
  /** `link`: the generation (Peer.linkGeneration; a reset closes older ones) and expiry of the token's link. */
  onAccepted(ws: import('ws').WebSocket, boardId: string, role: BoardRole, link: LinkGrant): void;
  /**
   * Connection limits (server/sync/connectionLimits.ts), asked once the token is good and before
   * the handshake: a refusal is 429/503 with Retry-After; an admitted slot is released when the
   * socket closes, whichever way. Absent = no limits.
   */
  admit?(req: IncomingMessage, boardId: string): Admission;
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
 * a token this server signed for that id, so a wrong token never learns whether a board exists),
 * link neither reset nor expired (403 with a `reason`). A refusal is a real
 * HTTP response written on the socket, then the socket is closed.
 */
export function createUpgradeHandler(deps: UpgradeDeps) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    logSocketErrors(socket, deps.logger);
    void decide(req).then(
      (decision) => {
        if (socket.destroyed) return;
        if (!decision.ok) return refuse(decision.status, decision.error, decision.reason);
        const admission = deps.admit?.(req, decision.boardId);
        if (admission && !admission.ok) {
          deps.metrics.inc('planvas_connections_refused_total', 1, { reason: admission.reason });
          return refuse(admission.status, admission.error, undefined, admission.retryAfterSeconds);
        }
        // Released on the raw socket's close: that fires however the connection ends, even
        // when the handshake below fails and onAccepted never runs.
        if (admission) socket.once('close', admission.release);
        deps.wss.handleUpgrade(req, socket, head, (ws) => deps.onAccepted(ws, decision.boardId, decision.role, decision.link));
      },
      (err: unknown) => {
        // Almost always the database not answering (the board lookup): 503, the client retries.
        deps.logger.error('upgrade failed', { err });
        refuse(503, 'the server cannot reach its storage right now; try again shortly', undefined, 2);
      },
    );

    function refuse(status: number, error: string, reason?: string, retryAfterSeconds?: number): void {
      deps.metrics.inc('planvas_upgrades_refused_total');
      deps.logger.info('upgrade refused', { status, path: (req.url ?? '').split('?')[0]?.slice(0, 100) });
      const body = JSON.stringify(reason ? { error, reason } : { error });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
          (retryAfterSeconds === undefined ? '' : `Retry-After: ${retryAfterSeconds}\r\n`) +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
  };

  async function decide(
    req: IncomingMessage,
  ): Promise<{ ok: true; boardId: string; role: BoardRole; link: LinkGrant } | { ok: false; status: number; error: string; reason?: string }> {
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return { ok: false, status: 400, error: 'not a WebSocket upgrade' };
    const target = parseUpgradeTarget(req.url);
    if (!target.ok) return target;
    // The token is checked before the board is looked up: without a token signed for this id,
    // the answer (403) is the same whether the board exists or not. A reset or expired link
    // is 403 with a reason (the browser sees only a failed socket; the client asks REST why).
    const check = await checkBoardToken(deps, target.boardId, target.token);
    if (!check.ok) return { ok: false, status: check.status, error: check.body.error, reason: check.body.reason };
    return { ok: true, boardId: target.boardId, role: check.claims.role, link: { generation: check.claims.generation, expiresAt: check.claims.expiresAt } };
  }
}

/**
 * A reset or garbage on the raw socket must never become an uncaught exception. Registered
 * outside the upgrade handler on purpose: a listener created there would share the handler's
 * closure context and keep the upgrade request (headers and all) alive as long as the socket,
 * about 2 KB per open connection.
 */
function logSocketErrors(socket: Duplex, logger: Logger): void {
  socket.on('error', (err) => logger.debug('upgrade socket error', { err: err.message }));
}
