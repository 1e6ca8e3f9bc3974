import type { ConnectionRateLimit } from './rateLimit.ts';

/** What the throttle needs of a socket: stop and restart reading (ws's pause/resume). */
export interface Pausable {
  pause(): void;
  resume(): void;
}

/**
 * Holds a connection to its rate limit without dropping anything (docs/protocol.md "Limits").
 *
 * Messages are handed on in arrival order while the budget lasts. Once it is spent, they wait
 * here and the socket is paused, so the client's further frames wait in TCP buffers (and, once
 * those fill, on the client) instead of in our memory. What waits here is only what the socket
 * had already read when it was paused: one read chunk (~64 KiB) and at most one large frame. When
 * the budget has refilled, the waiting messages are handed on at the limit's pace and reading
 * resumes once none is left.
 *
 * @example
 *   const throttle = throttleInbound(ws, connectionRateLimit(settings), (frame) => handle(frame), () => metrics.inc('planvas_rate_limited_total'));
 *   ws.on('message', (data) => throttle.push(data, data.byteLength));
 */
export interface InboundThrottle<T> {
  /** A message the socket delivered; handled now or, over the limit, later and in order. */
  push(item: T, bytes: number): void;
  /** The socket is gone: hand on what is still waiting, now (it reached us; it is not dropped). */
  flush(): void;
  /** We are closing the connection: forget what waits and resume reading (the close handshake must be read). */
  stop(): void;
  /** True while reading is paused by this throttle. */
  readonly paused: boolean;
}

export function throttleInbound<T>(socket: Pausable, limit: ConnectionRateLimit | null, handle: (item: T) => void, onThrottled: () => void): InboundThrottle<T> {
  // An array with a read index: shift() would make a long queue quadratic.
  let queue: Array<{ item: T; bytes: number }> = [];
  let head = 0;
  let timer: NodeJS.Timeout | null = null;
  let paused = false;
  let stopped = false;

  const waiting = () => queue.length - head;
  const next = () => {
    const entry = queue[head++]!;
    if (head === queue.length) {
      queue = [];
      head = 0;
    }
    return entry;
  };

  const pump = (): void => {
    while (!stopped && waiting() > 0) {
      const wait = limit!.waitMs();
      if (wait > 0) {
        if (!paused) {
          paused = true;
          socket.pause();
          onThrottled();
        }
        timer ??= setTimeout(() => {
          timer = null;
          pump();
        }, wait);
        return;
      }
      const entry = next();
      limit!.record(entry.bytes);
      handle(entry.item);
    }
    if (paused && !stopped) {
      paused = false;
      socket.resume();
    }
  };

  return {
    push(item, bytes) {
      if (stopped) return;
      if (!limit) return handle(item);
      queue.push({ item, bytes });
      // With a timer pending, the pump runs when it fires; running it now would jump the wait.
      if (!timer) pump();
    },
    flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      while (!stopped && waiting() > 0) handle(next().item);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      queue = [];
      head = 0;
      if (paused) {
        paused = false;
        socket.resume();
      }
    },
    get paused() {
      return paused;
    },
  };
}
