import type { WebSocket, RawData } from 'ws';
import type { BoardRole } from '../../shared/protocol/api.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { FrameError, decodeClientFrame } from './frames.ts';
import type { Peer } from './room.ts';
import type { Rooms } from './rooms.ts';

export interface ConnectionDeps {
  rooms: Rooms;
  logger: Logger;
  metrics: Metrics;
  /** Cut a peer off once this many bytes wait in its send buffer (a stalled client must not grow our memory). */
  maxBufferedBytes: number;
  /** How long a peer asked to prove it is alive (Peer.checkAlive) has to answer a ping. */
  probeTimeoutMs: number;
}

let nextPeerId = 1;

/**
 * Binds one accepted WebSocket to its board's room. Every frame is decoded here before the
 * room sees it; a bad frame closes only this socket (1003 text, 1007 malformed; ws itself
 * closes oversized frames with 1009 and invalid UTF-8/reserved bits with 1002/1007).
 */
export function attachConnection(ws: WebSocket, boardId: string, role: BoardRole, deps: ConnectionDeps): void {
  const { logger, metrics } = deps;
  let closing = false;
  let probe: NodeJS.Timeout | null = null;
  const coalesce = corkPerTick(ws);
  const peer: Peer = {
    id: nextPeerId++,
    role,
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
      coalesce();
      ws.send(frame, { binary: true });
    },
    close(code, reason) {
      if (closing) return;
      closing = true;
      ws.close(code, reason);
    },
    checkAlive() {
      if (closing || probe || ws.readyState !== ws.OPEN) return;
      probe = setTimeout(() => {
        logger.info('peer did not answer a liveness probe', { boardId, peer: peer.id });
        closing = true;
        ws.terminate();
      }, deps.probeTimeoutMs);
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

  // Without this listener an invalid frame (bad UTF-8, reserved bits, too big) crashes the process.
  ws.on('error', (err) => {
    const code = (err as NodeJS.ErrnoException).code;
    // WS_ERR_* are protocol violations (ws has already closed with 1002/1007/1009); others are resets.
    if (code?.startsWith('WS_ERR_')) metrics.inc('planvas_frames_rejected_total');
    logger.info('socket error', { boardId, peer: peer.id, err: err.message, code });
  });

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (closing) return;
    if (!isBinary) return reject(CloseCode.unsupportedData, 'binary frames only');
    let msg;
    try {
      msg = decodeClientFrame(toBytes(data));
    } catch (err) {
      if (!(err instanceof FrameError)) throw err;
      return reject(CloseCode.invalidPayload, err.message);
    }
    void room.then((r) => r?.receive(peer, msg));
  });

  ws.on('close', (code) => {
    closing = true;
    if (probe) clearTimeout(probe);
    metrics.add('planvas_open_connections', -1);
    logger.debug('connection closed', { boardId, peer: peer.id, code });
    void room.then((r) => r?.leave(peer));
  });

  function reject(code: number, reason: string): void {
    metrics.inc('planvas_frames_rejected_total');
    logger.info('frame rejected', { boardId, peer: peer.id, code, reason });
    peer.close(code, reason.slice(0, 120));
  }
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
function corkPerTick(ws: WebSocket): () => void {
  // `_socket` is ws's underlying net.Socket (stable across ws 8.x, used by many servers).
  const socket = (ws as unknown as { _socket?: { cork(): void; uncork(): void; destroyed: boolean } })._socket;
  let corked = false;
  const uncork = () => {
    corked = false;
    if (socket && !socket.destroyed) socket.uncork();
  };
  return () => {
    if (corked || !socket || socket.destroyed) return;
    corked = true;
    socket.cork();
    setImmediate(uncork);
  };
}
