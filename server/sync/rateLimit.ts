/**
 * Token buckets for what one connection may send (docs/protocol.md "Limits"). Pure: the clock
 * is passed in, nothing here touches a socket; connection.ts turns "in debt" into backpressure
 * (it stops reading the socket until the debt is paid).
 *
 * A bucket holds up to `burst` tokens and refills at `ratePerSecond`. Taking never fails: a
 * message the server has already read is handled, never dropped, so the balance may go below
 * zero; the caller then waits `waitMs()` before reading more. An honest client editing at up to
 * the rate, with bursts up to `burst`, never waits at all.
 *
 * @example
 *   const bucket = new TokenBucket(300, 600);
 *   bucket.take(1);
 *   if (bucket.waitMs() > 0) pauseReading(bucket.waitMs());
 */
/** One shared default clock: a per-bucket closure would cost memory on every connection. */
const performanceNow = (): number => performance.now();

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly now: () => number = performanceNow,
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) throw new RangeError('a token bucket needs a positive rate and a burst of at least 1');
    this.tokens = burst;
    this.last = now();
  }

  /** Spends `cost` tokens (it may leave the bucket in debt). */
  take(cost: number): void {
    this.refill();
    this.tokens -= cost;
  }

  /**
   * How long to stop reading: 0 while the bucket is not in debt; otherwise until the debt is
   * paid and a little more (a tenth of a second's worth, at most the burst) is back, so a
   * flooding client is paused and resumed ~10 times a second rather than once per message.
   */
  waitMs(): number {
    this.refill();
    if (this.tokens >= 0) return 0;
    const target = Math.min(this.burst, this.ratePerSecond / 10);
    return Math.ceil(((target - this.tokens) / this.ratePerSecond) * 1000);
  }

  /** Current balance (negative in debt); for tests and logs. */
  get balance(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const t = this.now();
    const elapsed = Math.max(0, t - this.last) / 1000;
    this.last = t;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerSecond);
  }
}

export interface RateLimitSettings {
  /** Messages per second (bursts of twice as many); 0 = unlimited. */
  messagesPerSecond: number;
  /** Payload bytes per second (bursts of twice as many); 0 = unlimited. */
  bytesPerSecond: number;
}

/**
 * The limits of one connection: a message bucket and a byte bucket (a few huge frames are as
 * much a flood as many small ones). `record` spends from both; `waitMs` is the longer wait.
 *
 * @example
 *   const limit = connectionRateLimit({ messagesPerSecond: 300, bytesPerSecond: 2 * 1024 * 1024 });
 *   limit.record(frame.byteLength);
 *   const wait = limit.waitMs(); // 0 = keep reading
 */
export interface ConnectionRateLimit {
  record(bytes: number): void;
  waitMs(): number;
}

export function connectionRateLimit(settings: RateLimitSettings, now?: () => number): ConnectionRateLimit {
  return new BucketPair(
    settings.messagesPerSecond > 0 ? new TokenBucket(settings.messagesPerSecond, 2 * settings.messagesPerSecond, now) : null,
    settings.bytesPerSecond > 0 ? new TokenBucket(settings.bytesPerSecond, 2 * settings.bytesPerSecond, now) : null,
  );
}

/** A class rather than an object of closures: one lives as long as each connection. */
class BucketPair implements ConnectionRateLimit {
  constructor(
    private readonly messages: TokenBucket | null,
    private readonly bytes: TokenBucket | null,
  ) {}

  record(size: number): void {
    this.messages?.take(1);
    this.bytes?.take(size);
  }

  waitMs(): number {
    return Math.max(this.messages?.waitMs() ?? 0, this.bytes?.waitMs() ?? 0);
  }
}
