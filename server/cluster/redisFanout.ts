import { Redis, type RedisOptions } from 'ioredis';
import { redactUrl } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { BoardListener, ControlMessage, Fanout, SeqUpdate } from './fanout.ts';
import { decodeFanoutMessage, encodeFanoutMessage, UPDATE_OVERHEAD_BYTES, type FanoutBody } from './fanoutCodec.ts';

/**
 * Cross-instance fan-out over Redis pub/sub: one channel per board (`planvas:board:<id>`),
 * binary messages (server/cluster/fanoutCodec.ts), two connections (a subscribed connection
 * cannot publish).
 *
 * What must stay true:
 * - Publishing never throws, never waits and never queues without bound: the publisher has no
 *   offline queue (a publish while Redis is down is dropped: the log is the truth), and bytes
 *   handed to Redis but not yet acknowledged are capped (a stalled Redis cannot fill memory).
 * - Subscriptions are ours, not ioredis's: after every (re)connect the subscriber subscribes to
 *   the channels of the boards that have listeners *now*, and only once Redis confirmed does the
 *   fan-out report healthy and tell every listener to `resync()` (read what it missed from the
 *   log). ioredis's own autoResubscribe emits `ready` before re-subscribing, which would leave a
 *   window where a message is neither delivered nor caught up.
 * - A message from anyone else on the same Redis that does not decode is counted and dropped.
 * - A half-open connection (Redis frozen, a network partition without RST) is found by a
 *   periodic PING and dropped, which starts the reconnect (and later the resync).
 *
 * @example
 *   const fanout = await redisFanout({ url: 'redis://127.0.0.1:6379', logger, metrics, instanceId });
 *   const off = fanout.subscribe(boardId, listener);
 *   fanout.publishUpdates(boardId, [{ seq: 7, update }]);
 */
export interface RedisFanoutOptions {
  url: string;
  logger: Logger;
  metrics?: Metrics;
  instanceId: string;
  /** How long start-up waits for Redis before giving up with an error. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Bytes published but not yet acknowledged by Redis; past it, publishes are dropped. Default 32 MiB. */
  maxPendingPublishBytes?: number;
  /**
   * Largest single message. A larger updates batch is split; a single update larger than this
   * is not published (receivers see the seq gap and read it from the log). Default 8 MiB:
   * Redis's default soft output limit for pub/sub clients, past which Redis may cut subscribers.
   */
  maxMessageBytes?: number;
  /** Both connections are PINGed this often and dropped if silent as long. Default 5000 ms; 0 disables. */
  healthCheckMs?: number;
  /** Reconnect backoff: doubles from the first delay up to the cap. Default 100 ms … 2000 ms. */
  reconnectDelayMs?: { first: number; max: number };
  /** Channel name prefix; the board id follows. Default 'planvas:board:'. */
  channelPrefix?: string;
}

/** The Fanout plus what tests and metrics look at. */
export interface RedisFanout extends Fanout {
  /** Publishes handed to Redis and not yet acknowledged. */
  readonly pendingPublishes: number;
  readonly pendingPublishBytes: number;
  /** Boards with at least one listener (their channels are subscribed while connected). */
  readonly subscribedBoards: number;
}

const DEFAULTS = {
  connectTimeoutMs: 5000,
  maxPendingPublishBytes: 32 * 1024 * 1024,
  maxMessageBytes: 8 * 1024 * 1024,
  healthCheckMs: 5000,
  reconnectDelayMs: { first: 100, max: 2000 },
  channelPrefix: 'planvas:board:',
};

/** Header bytes of one message, generously (version, kind, id length, id ≤ 255, time, count). */
const MESSAGE_HEADER_BYTES = 1 + 1 + 1 + 255 + 8 + 4;

export async function redisFanout(opts: RedisFanoutOptions): Promise<RedisFanout> {
  const { logger, metrics, instanceId } = opts;
  const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
  const maxPendingPublishBytes = opts.maxPendingPublishBytes ?? DEFAULTS.maxPendingPublishBytes;
  const maxMessageBytes = opts.maxMessageBytes ?? DEFAULTS.maxMessageBytes;
  const healthCheckMs = opts.healthCheckMs ?? DEFAULTS.healthCheckMs;
  const backoff = opts.reconnectDelayMs ?? DEFAULTS.reconnectDelayMs;
  const prefix = opts.channelPrefix ?? DEFAULTS.channelPrefix;
  const where = redactUrl(opts.url);
  // It travels in every message (fanoutCodec.ts): fail at start, not on every publish.
  const idBytes = Buffer.byteLength(instanceId, 'utf8');
  if (idBytes < 1 || idBytes > 255) throw new Error(`redisFanout: instanceId must be 1..255 bytes of UTF-8 (got ${idBytes})`);

  const connectionOptions: RedisOptions = {
    lazyConnect: true,
    connectTimeout: Math.min(connectTimeoutMs, 10_000),
    retryStrategy: (attempt) => Math.min(backoff.first * 2 ** Math.min(attempt - 1, 16), backoff.max),
    // Nothing waits for a connection that is down: callers drop, and the log covers the gap.
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    // Reject what was in flight as soon as a connection closes (by default ioredis keeps it
    // for 20 reconnect attempts, which a frozen Redis never completes).
    maxRetriesPerRequest: 0,
    autoResubscribe: false,
  };
  // Named for `CLIENT LIST` on the Redis side; Redis refuses names with spaces.
  const clientName = instanceId.replace(/[^\w.-]/g, '_');
  const pub = new Redis(opts.url, { ...connectionOptions, connectionName: `planvas-pub-${clientName}` });
  const sub = new Redis(opts.url, { ...connectionOptions, connectionName: `planvas-sub-${clientName}` });

  const listeners = new Map<string, Set<BoardListener>>();
  let pubReady = false;
  /** The subscriber is connected AND has (re)subscribed every board's channel. */
  let subReady = false;
  /** Set when the subscriber connection is lost; the next successful restore resyncs everyone. */
  let subLost = false;
  /** Bumped on every subscriber (re)connect, so a stale restore does not report healthy. */
  let subEpoch = 0;
  let closed = false;
  let pendingPublishes = 0;
  let pendingPublishBytes = 0;
  let lastLagMs: number | null = null;
  let loggedDown = false;
  let lastDropLogAt = 0;
  let droppedSinceLog = 0;
  /** Start-up failures are reported by the rejected promise, not as "connection lost". */
  let started = false;

  const channelOf = (boardId: string): string => prefix + boardId;
  const countError = (): void => metrics?.inc('planvas_errors_total', 1, { kind: 'fanout' });
  const healthy = (): boolean => pubReady && subReady;
  const reportHealth = (): void => {
    metrics?.set('planvas_fanout_connected', healthy() ? 1 : 0);
    if (!started) return;
    if (healthy() && loggedDown) {
      loggedDown = false;
      logger.info('redis reconnected', { redis: where });
    } else if (!healthy() && !loggedDown && !closed) {
      loggedDown = true;
      logger.warn('redis connection lost, publishing paused, following the log', { redis: where });
    }
  };

  /** A listener that throws must not take the fan-out (or the other listeners) down. */
  const each = (boardId: string, call: (listener: BoardListener) => void): void => {
    for (const listener of listeners.get(boardId) ?? []) {
      try {
        call(listener);
      } catch (error) {
        metrics?.inc('planvas_errors_total', 1, { kind: 'internal' });
        logger.error('fan-out listener failed', { boardId, error });
      }
    }
  };

  // ---- connections -------------------------------------------------------------------------

  for (const [name, connection] of [['publisher', pub], ['subscriber', sub]] as const) {
    // Without an 'error' listener ioredis prints every failed reconnect to the console.
    connection.on('error', (error: Error) => {
      if (closed) return;
      countError();
      logger.debug('redis connection error', { connection: name, redis: where, error: error.message });
    });
  }
  pub.on('ready', () => {
    pubReady = true;
    reportHealth();
  });
  pub.on('close', () => {
    pubReady = false;
    reportHealth();
  });
  sub.on('ready', () => void restoreSubscriptions());
  sub.on('close', () => {
    subEpoch++;
    if (subReady) subLost = true;
    subReady = false;
    reportHealth();
  });
  sub.on('messageBuffer', (channel: Buffer, message: Buffer) => deliver(channel, message));

  async function restoreSubscriptions(): Promise<void> {
    const epoch = ++subEpoch;
    const channels = [...listeners.keys()].map(channelOf);
    try {
      if (channels.length > 0) await sub.subscribe(...channels);
    } catch (error) {
      // The connection dropped again (its 'ready' will restore), or Redis refused (ACL): say so.
      if (epoch === subEpoch) logger.error('redis subscribe failed', { redis: where, error });
      countError();
      return;
    }
    if (epoch !== subEpoch || closed) return;
    subReady = true;
    reportHealth();
    if (subLost) {
      subLost = false;
      for (const boardId of listeners.keys()) each(boardId, (l) => l.resync());
    }
  }

  function deliver(channel: Buffer, message: Buffer): void {
    const name = channel.toString('utf8');
    if (!name.startsWith(prefix)) return;
    const boardId = name.slice(prefix.length);
    // A board just left: nothing to decode for (Redis may still deliver what was in flight).
    if (!listeners.has(boardId)) return;
    const decoded = decodeFanoutMessage(message);
    if (!decoded.ok) {
      metrics?.inc('planvas_fanout_dropped_total');
      // A program flooding our channels must not flood the logs too: one line per 10 s.
      droppedSinceLog++;
      if (Date.now() - lastDropLogAt >= 10_000) {
        logger.warn('fan-out message dropped', { boardId, reason: decoded.error, bytes: message.byteLength, droppedSinceLastLog: droppedSinceLog });
        lastDropLogAt = Date.now();
        droppedSinceLog = 0;
      }
      return;
    }
    const { instanceId: sender, publishedAt, body } = decoded.message;
    if (sender === instanceId) return;
    lastLagMs = Math.max(0, Date.now() - publishedAt);
    metrics?.set('planvas_fanout_lag_seconds', lastLagMs / 1000);
    metrics?.inc('planvas_fanout_received_total');
    switch (body.kind) {
      case 'updates':
        each(boardId, (l) => l.updates(body.batch));
        break;
      case 'awareness':
        each(boardId, (l) => l.awareness(body.update));
        break;
      case 'awareness-query':
        each(boardId, (l) => l.awarenessQuery());
        break;
      case 'control':
        each(boardId, (l) => l.control(body.message));
        break;
    }
  }

  // ---- publishing --------------------------------------------------------------------------

  function publish(boardId: string, body: FanoutBody): void {
    if (closed || !pubReady) return;
    let bytes: Buffer;
    try {
      bytes = encodeFanoutMessage({ instanceId, publishedAt: Date.now(), body });
    } catch (error) {
      countError();
      logger.error('fan-out message not encodable', { boardId, kind: body.kind, error });
      return;
    }
    if (pendingPublishes > 0 && pendingPublishBytes + bytes.byteLength > maxPendingPublishBytes) {
      // Redis is not keeping up (or is frozen): dropping costs latency, queueing costs memory.
      countError();
      logger.debug('fan-out publish dropped: too many bytes pending', { boardId, pendingPublishBytes });
      return;
    }
    pendingPublishes++;
    pendingPublishBytes += bytes.byteLength;
    const settle = (): void => {
      pendingPublishes--;
      pendingPublishBytes -= bytes.byteLength;
    };
    pub.publish(channelOf(boardId), bytes).then(
      () => {
        settle();
        metrics?.inc('planvas_fanout_published_total');
      },
      (error: unknown) => {
        settle();
        if (closed) return;
        countError();
        logger.debug('fan-out publish failed', { boardId, error: error instanceof Error ? error.message : String(error) });
      },
    );
  }

  /** Splits a batch so that no message exceeds maxMessageBytes; drops single oversized updates. */
  function publishUpdates(boardId: string, batch: readonly SeqUpdate[]): void {
    if (closed || !pubReady) return;
    let chunk: SeqUpdate[] = [];
    let chunkBytes = MESSAGE_HEADER_BYTES;
    for (const entry of batch) {
      const entryBytes = UPDATE_OVERHEAD_BYTES + entry.update.byteLength;
      if (MESSAGE_HEADER_BYTES + entryBytes > maxMessageBytes) {
        logger.debug('fan-out update too large to publish; receivers read it from the log', { boardId, seq: entry.seq, bytes: entry.update.byteLength });
        continue;
      }
      if (chunkBytes + entryBytes > maxMessageBytes) {
        publish(boardId, { kind: 'updates', batch: chunk });
        chunk = [];
        chunkBytes = MESSAGE_HEADER_BYTES;
      }
      chunk.push(entry);
      chunkBytes += entryBytes;
    }
    if (chunk.length > 0) publish(boardId, { kind: 'updates', batch: chunk });
  }

  // ---- health check ------------------------------------------------------------------------

  const inFlightChecks = new Set<Redis>();
  const healthTimer =
    healthCheckMs > 0
      ? setInterval(() => {
          for (const connection of [pub, sub]) {
            if (connection.status !== 'ready' || inFlightChecks.has(connection)) continue;
            inFlightChecks.add(connection);
            const silent = setTimeout(() => {
              if (closed || connection.status !== 'ready') return;
              logger.warn('redis not answering PING, reconnecting', { redis: where, ms: healthCheckMs });
              countError();
              connection.disconnect(true);
            }, healthCheckMs);
            connection.ping().then(
              () => undefined,
              () => undefined,
            ).finally(() => {
              clearTimeout(silent);
              inFlightChecks.delete(connection);
            });
          }
        }, healthCheckMs)
      : null;
  healthTimer?.unref();

  // ---- start -------------------------------------------------------------------------------

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (healthTimer) clearInterval(healthTimer);
    listeners.clear();
    pubReady = false;
    subReady = false;
    // QUIT waits for Redis's answer, which a frozen Redis never gives: bounded, then cut.
    await Promise.all([pub, sub].map((c) => withTimeout(c.quit(), 1000, 'QUIT timed out').catch(() => c.disconnect())));
  };

  // Only start-up waits for Redis (and fails clearly); from then on, outages are survived.
  try {
    await waitUntil(() => pubReady && subReady, connectTimeoutMs, [pub, sub]);
  } catch {
    await close();
    throw new Error(`Redis not reachable at ${where} within ${connectTimeoutMs} ms (REDIS_URL); is redis-server running?`);
  }
  started = true;
  logger.info('redis fan-out connected', { redis: where, instance: instanceId });

  return {
    enabled: true,
    instanceId,
    get healthy() {
      return healthy();
    },
    publishUpdates,
    publishAwareness: (boardId, update) => publish(boardId, { kind: 'awareness', update }),
    publishAwarenessQuery: (boardId) => publish(boardId, { kind: 'awareness-query' }),
    publishControl: (boardId, message: ControlMessage) => publish(boardId, { kind: 'control', message }),
    subscribe(boardId, listener) {
      if (closed) return () => {};
      let set = listeners.get(boardId);
      if (!set) {
        set = new Set();
        listeners.set(boardId, set);
        // While disconnected this is a no-op: the next 'ready' subscribes every board.
        if (sub.status === 'ready') sub.subscribe(channelOf(boardId)).catch(countError);
      }
      set.add(listener);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        const current = listeners.get(boardId);
        if (!current?.delete(listener) || current.size > 0) return;
        listeners.delete(boardId);
        if (sub.status === 'ready' && !closed) sub.unsubscribe(channelOf(boardId)).catch(countError);
      };
    },
    async ping() {
      if (!healthy()) throw new Error(`Redis not connected (${where})`);
      await withTimeout(pub.ping(), connectTimeoutMs, 'Redis PING timed out');
    },
    get lastLagMs() {
      return lastLagMs;
    },
    get pendingPublishes() {
      return pendingPublishes;
    },
    get pendingPublishBytes() {
      return pendingPublishBytes;
    },
    get subscribedBoards() {
      return listeners.size;
    },
    close,
  };
}

/** Starts the connections (lazyConnect) and resolves once `done()` holds; rejects after `ms`. */
function waitUntil(done: () => boolean, ms: number, connect: readonly Redis[]): Promise<void> {
  for (const c of connect) c.connect().catch(() => undefined);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = (): void => {
      if (done()) return resolve();
      if (Date.now() - started >= ms) return reject(new Error('timeout'));
      setTimeout(check, 20);
    };
    check();
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
