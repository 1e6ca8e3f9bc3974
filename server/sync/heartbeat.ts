import type { WebSocket, WebSocketServer } from 'ws';

/**
 * Drops dead peers (docs/protocol.md "Limits"): every `intervalMs` each socket is pinged, and a
 * socket that has not answered the previous ping is terminated, so a peer that vanished without
 * a FIN (a laptop lid closed, a NAT entry expired) is gone within about two intervals.
 *
 * A socket the server itself stopped reading (rate-limit backpressure, `ws.isPaused`) cannot
 * have its pong read; it is skipped, not judged, until reading resumes.
 *
 * @example
 *   const heartbeat = startHeartbeat(wss, 30_000);
 *   ...; heartbeat.stop();
 */
export function startHeartbeat(wss: WebSocketServer, intervalMs: number): { stop(): void } {
  const alive = new WeakMap<WebSocket, boolean>();
  wss.on('connection', (ws: WebSocket) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
  });
  const timer = setInterval(() => {
    for (const ws of wss.clients) {
      if (ws.isPaused) {
        alive.set(ws, true);
        continue;
      }
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
