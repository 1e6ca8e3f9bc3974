import type { WebSocket, RawData } from 'ws';
import type { BoardRole } from '../../shared/protocol/api.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { FrameError, decodeClientFrame } from './frames.ts';
import { connectionRateLimit, type RateLimitSettings } from './rateLimit.ts';
import { throttleInbound } from './readThrottle.ts';
import type { Peer } from './room.ts';
import { onLinkExpiry } from '../auth/linkExpiry.ts';
import type { LinkGrant } from '../auth/tokens.ts';
import type { Rooms } from './rooms.ts';

export interface ConnectionDeps {
  rooms: Rooms;
  logger: Logger;
  metrics: Metrics;
  /** Cut a peer off once this many bytes wait in its send buffer (a stalled client must not grow our memory). */
  maxBufferedBytes: number;
  /** How long a peer asked to prove it is alive (Peer.checkAlive) has to answer a ping. */
  probeTimeoutMs: number;
  /**
   * What one connection may send; beyond it the server stops reading that socket until the
   * budget refills (backpressure: nothing is dropped, nobody is closed). Absent = unlimited.
   */
  rateLimit?: RateLimitSettings;
}

let nextPeerId = 1;

/**
 * Binds one accepted WebSocket to its board's room. Every frame is decoded here before the
 * room sees it; a bad frame closes only this socket (1003 text, 1007 malformed; ws itself
 * closes oversized frames with 1009 and invalid UTF-8/reserved bits with 1002/1007).
 */
export function attachConnection(ws: WebSocket, boardId: string, role: BoardRole, deps: ConnectionDeps, link: LinkGrant = { generation: 0, expiresAt: null }): void {
  const { logger, metrics } = deps;
  let closing = false;
  let probe: NodeJS.Timeout | null = null;
  const coalesce = new TickCork(ws);
  // Over the rate limit, messages wait (in order) and the socket is not read (readThrottle.ts).
  // The functions below that live as long as the connection are written inline (arguments and
  // object-literal methods), not as named local functions: the tsx loader renames every named
  // function with Object.defineProperty, ~250 bytes each per open connection.
  const throttle = throttleInbound<{ bytes: Uint8Array; isBinary: boolean }>(
    ws,
    deps.rateLimit ? connectionRateLimit(deps.rateLimit) : null,
    ({ bytes, isBinary }) => {
      if (closing) return;
      if (!isBinary) return rejectFrame(deps, boardId, peer, CloseCode.unsupportedData, 'binary frames only');
      let msg;
      try {
        msg = decodeClientFrame(bytes);
      } catch (err) {
        if (!(err instanceof FrameError)) throw err;
        return rejectFrame(deps, boardId, peer, CloseCode.invalidPayload, err.message);
      }
      void room.then((r) => r?.receive(peer, msg));
    },
    () => metrics.inc('planvas_rate_limited_total'),
  );
  const peer: Peer = {
    id: nextPeerId++,
    role,
    // The generation of the link its token was signed for: a reset of that link closes it (4401).
    linkGeneration: link.generation,
    awarenessIds: new Set(),
    send(frame) {
      if (closing || ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > deps.maxBufferedBytes) {
        metrics.inc('planvas_slow_consumers_total');
        logger.warn('slow consumer cut off', { boardId, peer: peer.id, buffered: ws.bufferedAmount });
        closing = true;
        ws.terminate();
        return;
      }
      coalesce.cork();
      metrics.inc('planvas_messages_out_total');
      metrics.inc('planvas_bytes_out_total', frame.byteLength);
      ws.send(frame, { binary: true });
    },
    sendNow(frame) {
      return new Promise<void>((resolve) => {
        if (closing || ws.readyState !== ws.OPEN) return resolve();
        metrics.inc('planvas_messages_out_total');
        metrics.inc('planvas_bytes_out_total', frame.byteLength);
        // Resolves once written to the kernel (or failed: the close handler deals with that).
        ws.send(frame, { binary: true }, () => resolve());
        coalesce.flush();
      });
    },
    flush() {
      coalesce.flush();
    },
    close(code, reason) {
      if (closing) return;
      closing = true;
      ws.close(code, reason);
      // The peer's answering close frame must be read, even from a socket we had stopped reading.
      throttle.stop();
    },
    checkAlive() {
      if (closing || probe || ws.readyState !== ws.OPEN) return;
      const expire = () => {
        // Our own backpressure keeps its pong unread: wait until we read from it again.
        if (throttle.paused) {
          probe = setTimeout(expire, deps.probeTimeoutMs);
          probe.unref();
          return;
        }
        logger.info('peer did not answer a liveness probe', { boardId, peer: peer.id });
        closing = true;
        ws.terminate();
      };
      probe = setTimeout(expire, deps.probeTimeoutMs);
      probe.unref();
      ws.once('pong', () => {
        if (probe) clearTimeout(probe);
        probe = null;
      });
      ws.ping();
    },
  };

  metrics.inc('planvas_connections_total');
  metrics.add('planvas_open_connections', 1);
  logger.debug('connection opened', { boardId, peer: peer.id, role });
  const room = deps.rooms.join(boardId, peer);
  // An expiring link stops opening the board at its expiry; a socket opened with it closes then too.
  const cancelExpiry = link.expiresAt === null ? null : onLinkExpiry(link.expiresAt, () => peer.close(CloseCode.linkRevoked, 'link expired'));

  // Without this listener an invalid frame (bad UTF-8, reserved bits, too big) crashes the process.
  ws.on('error', (err) => {
    const code = (err as NodeJS.ErrnoException).code;
    // WS_ERR_* are protocol violations (ws has already closed with 1002/1007/1009); others are resets.
    if (code?.startsWith('WS_ERR_')) {
      metrics.inc('planvas_frames_rejected_total');
      metrics.inc('planvas_errors_total', 1, { kind: 'frame' });
    }
    logger.info('socket error', { boardId, peer: peer.id, err: err.message, code });
  });

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (closing) return;
    const bytes = toBytes(data);
    metrics.inc('planvas_messages_in_total');
    metrics.inc('planvas_bytes_in_total', bytes.byteLength);
    throttle.push({ bytes, isBinary }, bytes.byteLength);
  });

  ws.on('close', (code) => {
    // The client went away: what it sent and we read but had not handled yet (rate limit) is
    // handed on before it leaves, as it would have been without the limit.
    throttle.flush();
    closing = true;
    if (probe) clearTimeout(probe);
    cancelExpiry?.();
    throttle.stop();
    metrics.add('planvas_open_connections', -1);
    logger.debug('connection closed', { boardId, peer: peer.id, code });
    void room.then((r) => r?.leave(peer));
  });

}

function rejectFrame(deps: ConnectionDeps, boardId: string, peer: Peer, code: number, reason: string): void {
  deps.metrics.inc('planvas_frames_rejected_total');
  deps.metrics.inc('planvas_errors_total', 1, { kind: 'frame' });
  deps.logger.info('frame rejected', { boardId, peer: peer.id, code, reason });
  peer.close(code, reason.slice(0, 120));
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Frames sent to one socket within one turn of the event loop go out in one write: the
 * socket is corked at the first send and uncorked after the turn's I/O (setImmediate). A busy
 * board relays every edit to every member; without this each frame is its own writev system
 * call, the largest cost in a profile of 2,000 edits/s over 50 boards.
 */
class TickCork {
  // `_socket` is ws's underlying net.Socket (stable across ws 8.x, used by many servers).
  private readonly socket: CorkableSocket | undefined;
  private pending: NodeJS.Immediate | null = null;

  constructor(ws: WebSocket) {
    this.socket = (ws as unknown as { _socket?: CorkableSocket })._socket;
  }

  cork(): void {
    if (this.pending || !this.socket || this.socket.destroyed) return;
    this.socket.cork();
    this.pending = setImmediate(uncorkLater, this);
  }

  /**
   * Writes what is corked now. A room relays a batch of edits from inside a setImmediate
   * (the check phase), where the uncork above would wait for the next loop turn's I/O.
   */
  flush(): void {
    if (this.pending) this.uncork();
  }

  uncork(): void {
    if (this.pending) clearImmediate(this.pending);
    this.pending = null;
    if (this.socket && !this.socket.destroyed) this.socket.uncork();
  }
}

interface CorkableSocket {
  cork(): void;
  uncork(): void;
  destroyed: boolean;
}

/** Module-level, so corking allocates no closure per socket or per tick. */
function uncorkLater(cork: TickCork): void {
  cork.uncork();
}
