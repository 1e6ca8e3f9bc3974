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
  return new QueueingThrottle(socket, limit, handle, onThrottled);
}

/**
 * A class, not closures: one of these lives as long as each connection, and per-instance
 * functions cost a few hundred bytes each under the tsx loader (it names every function with
 * Object.defineProperty, which gives each its own property dictionary).
 */
class QueueingThrottle<T> implements InboundThrottle<T> {
  // An array with a read index: shift() would make a long queue quadratic.
  private queue: Array<{ item: T; bytes: number }> = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private pausedNow = false;
  private stopped = false;

  constructor(
    private readonly socket: Pausable,
    private readonly limit: ConnectionRateLimit | null,
    private readonly handle: (item: T) => void,
    private readonly onThrottled: () => void,
  ) {}

  get paused(): boolean {
    return this.pausedNow;
  }

  push(item: T, bytes: number): void {
    if (this.stopped) return;
    if (!this.limit) return this.handle(item);
    this.queue.push({ item, bytes });
    // With a timer pending, the pump runs when it fires; running it now would jump the wait.
    if (!this.timer) this.pump();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (!this.stopped && this.waiting() > 0) this.handle(this.next().item);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
    this.head = 0;
    if (this.pausedNow) {
      this.pausedNow = false;
      this.socket.resume();
    }
  }

  private waiting(): number {
    return this.queue.length - this.head;
  }

  private next(): { item: T; bytes: number } {
    const entry = this.queue[this.head++]!;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
    return entry;
  }

  private pump(): void {
    while (!this.stopped && this.waiting() > 0) {
      const wait = this.limit!.waitMs();
      if (wait > 0) {
        if (!this.pausedNow) {
          this.pausedNow = true;
          this.socket.pause();
          this.onThrottled();
        }
        this.timer ??= setTimeout(() => {
          this.timer = null;
          this.pump();
        }, wait);
        return;
      }
      const entry = this.next();
      this.limit!.record(entry.bytes);
      this.handle(entry.item);
    }
    if (this.pausedNow && !this.stopped) {
      this.pausedNow = false;
      this.socket.resume();
    }
  }
}
