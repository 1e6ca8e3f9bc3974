import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardListener, ControlMessage, SeqUpdate } from '../../server/cluster/fanout.ts';
import { redisFanout, type RedisFanout, type RedisFanoutOptions } from '../../server/cluster/redisFanout.ts';
import { silentLogger } from '../../server/log.ts';
import { Metrics } from '../../server/metrics.ts';
import { freePort, startRedis, type TestRedis } from '../helpers/redis.ts';

/**
 * The Redis fan-out against a real redis-server: two fan-out instances stand for two Planvas
 * servers. Delivery only to the board's subscribers on other instances, bytes intact,
 * malformed messages contained, and a Redis that dies, restarts or freezes survived.
 */

type Event =
  | { type: 'updates'; batch: readonly SeqUpdate[] }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'awareness-query' }
  | { type: 'control'; message: ControlMessage }
  | { type: 'resync' };

function recorder(): BoardListener & { events: Event[]; of<T extends Event['type']>(type: T): Extract<Event, { type: T }>[] } {
  const events: Event[] = [];
  return {
    events,
    of: <T extends Event['type']>(type: T) => events.filter((e): e is Extract<Event, { type: T }> => e.type === type),
    updates: (batch) => events.push({ type: 'updates', batch }),
    awareness: (update) => events.push({ type: 'awareness', update }),
    awarenessQuery: () => events.push({ type: 'awareness-query' }),
    control: (message) => events.push({ type: 'control', message }),
    resync: () => events.push({ type: 'resync' }),
  };
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const channel = (boardId: string): string => `planvas:board:${boardId}`;
const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

let redis: TestRedis;
/** A plain client: PUBSUB NUMSUB, and a stranger publishing garbage on our channels. */
let raw: Redis;
const fanouts: RedisFanout[] = [];
const metricsOf = new Map<RedisFanout, Metrics>();

async function startFanout(instanceId: string, extra: Partial<RedisFanoutOptions> = {}): Promise<RedisFanout> {
  const metrics = new Metrics();
  const fanout = await redisFanout({
    url: redis.url,
    logger: silentLogger,
    metrics,
    instanceId,
    healthCheckMs: 500,
    reconnectDelayMs: { first: 50, max: 300 },
    ...extra,
  });
  fanouts.push(fanout);
  metricsOf.set(fanout, metrics);
  return fanout;
}

async function subscribers(boardId: string): Promise<number> {
  const reply = (await raw.pubsub('NUMSUB', channel(boardId))) as [string, number];
  return Number(reply[1]);
}

beforeAll(async () => {
  redis = await startRedis();
  raw = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: () => 100 });
  raw.on('error', () => {});
  await raw.connect();
});

afterAll(async () => {
  for (const fanout of fanouts) await fanout.close();
  raw?.disconnect();
  await redis?.stop();
});

describe('redis fan-out between two instances', () => {
  let a: RedisFanout;
  let b: RedisFanout;
  beforeAll(async () => {
    a = await startFanout('instance-a');
    b = await startFanout('instance-b');
  });

  it('delivers every kind of message to the board’s listeners on other instances, in order, and nowhere else', async () => {
    const onA = recorder();
    const onB = recorder();
    const onBOther = recorder();
    a.subscribe('board-1', onA);
    b.subscribe('board-1', onB);
    b.subscribe('board-2', onBOther);
    await waitFor('both instances subscribed', async () => (await subscribers('board-1')) === 2 && (await subscribers('board-2')) === 1);

    const batch = [{ seq: 1, update: bytes(1, 2) }, { seq: 2, update: bytes(3) }];
    a.publishUpdates('board-1', batch);
    a.publishAwareness('board-1', bytes(7, 7, 7));
    a.publishAwarenessQuery('board-1');
    a.publishControl('board-1', { kind: 'deleted' });
    a.publishControl('board-1', { kind: 'links-rotated', role: 'view', generation: 4 });
    // A marker on the other board, published last: once it arrived, anything misrouted would have too.
    a.publishAwarenessQuery('board-2');

    await waitFor('board-1 messages at b', () => onB.events.length === 5);
    await waitFor('board-2 marker at b', () => onBOther.events.length === 1);
    expect(onB.events).toEqual([
      { type: 'updates', batch },
      { type: 'awareness', update: bytes(7, 7, 7) },
      { type: 'awareness-query' },
      { type: 'control', message: { kind: 'deleted' } },
      { type: 'control', message: { kind: 'links-rotated', role: 'view', generation: 4 } },
    ]);
    expect(onBOther.events).toEqual([{ type: 'awareness-query' }]);

    // No echo: b answers on board-1; when a has b's message, it would have had its own.
    b.publishAwarenessQuery('board-1');
    await waitFor('b’s message at a', () => onA.events.length >= 1);
    expect(onA.events).toEqual([{ type: 'awareness-query' }]);
    expect(onB.events).toHaveLength(5);

    expect(b.lastLagMs).not.toBeNull();
    expect(b.lastLagMs).toBeGreaterThanOrEqual(0);
    expect(b.lastLagMs).toBeLessThan(10_000);
    expect(metricsOf.get(b)?.get('planvas_fanout_received_total')).toBe(6);
    expect(metricsOf.get(a)?.get('planvas_fanout_published_total')).toBeGreaterThanOrEqual(6);
    expect(metricsOf.get(a)?.get('planvas_fanout_connected')).toBe(1);
  });

  it('carries binary payloads intact: 0x00 bytes, empty and multi-megabyte updates', async () => {
    const onB = recorder();
    b.subscribe('board-binary', onB);
    await waitFor('b subscribed', async () => (await subscribers('board-binary')) === 1);
    const batch: SeqUpdate[] = [0, 1, 255, 65_536, 3 * 1024 * 1024].map((size, i) => ({ seq: 10 + i, update: new Uint8Array(randomBytes(size)) }));
    batch[1] = { seq: 11, update: bytes(0) };
    const awareness = new Uint8Array(randomBytes(1024 * 1024));
    awareness[0] = 0;
    a.publishUpdates('board-binary', batch);
    a.publishAwareness('board-binary', awareness);
    await waitFor('both messages', () => onB.events.length === 2, 30_000);
    const [updates, presence] = onB.events;
    if (updates?.type !== 'updates' || presence?.type !== 'awareness') throw new Error(`unexpected ${JSON.stringify(onB.events.map((e) => e.type))}`);
    expect(updates.batch.map((u) => u.seq)).toEqual([10, 11, 12, 13, 14]);
    updates.batch.forEach((u, i) => expect(Buffer.from(u.update).equals(Buffer.from(batch[i]!.update))).toBe(true));
    expect(Buffer.from(presence.update).equals(Buffer.from(awareness))).toBe(true);
  });

  it('stops delivering after the last listener of a board leaves, and a throwing listener harms no one', async () => {
    const first = recorder();
    const second = recorder();
    const offFirst = b.subscribe('board-leave', first);
    const offSecond = b.subscribe('board-leave', {
      ...second,
      awarenessQuery: () => {
        second.awarenessQuery();
        throw new Error('listener bug');
      },
    });
    await waitFor('subscribed', async () => (await subscribers('board-leave')) === 1);
    a.publishAwarenessQuery('board-leave');
    await waitFor('both listeners called', () => first.events.length === 1 && second.events.length === 1);
    expect(metricsOf.get(b)?.get('planvas_errors_total', { kind: 'internal' })).toBe(1);

    offFirst();
    offFirst(); // idempotent: must not remove the other listener's subscription
    expect(await subscribers('board-leave')).toBe(1);
    offSecond();
    await waitFor('unsubscribed', async () => (await subscribers('board-leave')) === 0);
    expect(b.subscribedBoards).toBeGreaterThan(0); // other boards from earlier tests stay
  });

  it('drops and counts malformed messages from another program on the same Redis; listeners keep working', async () => {
    const onB = recorder();
    b.subscribe('board-garbage', onB);
    await waitFor('subscribed', async () => (await subscribers('board-garbage')) === 1);
    const before = metricsOf.get(b)?.get('planvas_fanout_dropped_total') ?? 0;
    const garbage: (string | Buffer)[] = [
      '',
      'hello',
      '{"kind":"updates"}',
      Buffer.from([1]),
      Buffer.from([2, 1, 1, 65, 0, 0, 0, 0, 0, 0, 0, 0]), // version 2
      Buffer.from([1, 9, 1, 65, 0, 0, 0, 0, 0, 0, 0, 0]), // unknown kind
      Buffer.from([1, 1, 1, 65, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]), // 4 billion updates
      Buffer.from([1, 2, 1, 65, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff]), // awareness of 2 GB
      randomBytes(10_000),
    ];
    for (const message of garbage) await raw.publish(channel('board-garbage'), message);
    await waitFor('all counted', () => (metricsOf.get(b)?.get('planvas_fanout_dropped_total') ?? 0) - before === garbage.length);
    expect(onB.events).toEqual([]);
    a.publishUpdates('board-garbage', [{ seq: 1, update: bytes(42) }]);
    await waitFor('a valid message after the garbage', () => onB.events.length === 1);
    expect(onB.events[0]).toEqual({ type: 'updates', batch: [{ seq: 1, update: bytes(42) }] });
  });

  it('splits a batch larger than one message, and leaves a single oversized update to the log', async () => {
    const small = await startFanout('instance-small-messages', { maxMessageBytes: 2048 });
    const onB = recorder();
    b.subscribe('board-split', onB);
    await waitFor('subscribed', async () => (await subscribers('board-split')) === 1);
    const batch = Array.from({ length: 12 }, (_, i) => ({ seq: i + 1, update: new Uint8Array(randomBytes(i === 5 ? 5000 : 500)) }));
    small.publishUpdates('board-split', batch);
    const expected = batch.filter((u) => u.seq !== 6);
    await waitFor('every small update', () => onB.of('updates').flatMap((e) => e.batch).length === expected.length);
    const messages = onB.of('updates');
    expect(messages.length).toBeGreaterThan(1);
    const received = messages.flatMap((e) => e.batch);
    expect(received.map((u) => u.seq)).toEqual(expected.map((u) => u.seq));
    received.forEach((u, i) => expect(Buffer.from(u.update).equals(Buffer.from(expected[i]!.update))).toBe(true));
  });
});

describe('redis fan-out when Redis fails', () => {
  it('refuses to start, clearly, when Redis is not reachable', async () => {
    const port = await freePort();
    const started = Date.now();
    await expect(
      redisFanout({ url: `redis://user:hunter2@127.0.0.1:${port}`, logger: silentLogger, instanceId: 'x', connectTimeoutMs: 500 }),
    ).rejects.toThrow(/Redis not reachable at redis:\/\/user:\*\*\*@127\.0\.0\.1:\d+.*500 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('survives Redis being killed and restarted: unhealthy, no throws, no queue; then healthy, resync, subscriptions restored', async () => {
    const a = await startFanout('restart-a');
    const b = await startFanout('restart-b');
    const onA = recorder();
    const onB = recorder();
    a.subscribe('board-r', onA);
    b.subscribe('board-r', onB);
    await waitFor('subscribed', async () => (await subscribers('board-r')) >= 2);
    expect(a.healthy && b.healthy).toBe(true);

    await redis.kill();
    await waitFor('both unhealthy', () => !a.healthy && !b.healthy);
    expect(metricsOf.get(a)?.get('planvas_fanout_connected')).toBe(0);
    await expect(a.ping()).rejects.toThrow(/not connected/);

    // Publishing into the outage: never throws, nothing waits in memory for Redis to return.
    const update = new Uint8Array(64 * 1024);
    for (let seq = 1; seq <= 2000; seq++) {
      a.publishUpdates('board-r', [{ seq, update }]);
      a.publishAwareness('board-r', update);
    }
    expect(a.pendingPublishes).toBe(0);
    expect(a.pendingPublishBytes).toBe(0);

    // A board subscribed during the outage is subscribed once Redis is back.
    const onBLate = recorder();
    b.subscribe('board-late', onBLate);

    await redis.restart();
    await waitFor('both healthy again', () => a.healthy && b.healthy, 20_000);
    await a.ping();
    for (const listener of [onA, onB, onBLate]) expect(listener.of('resync')).toHaveLength(1);
    expect(onB.of('updates')).toEqual([]); // what was published into the outage is for the log to tell

    a.publishUpdates('board-r', [{ seq: 2001, update: bytes(1) }]);
    a.publishUpdates('board-late', [{ seq: 1, update: bytes(2) }]);
    b.publishAwarenessQuery('board-r');
    await waitFor('delivered after the restart', () => onB.of('updates').length === 1 && onBLate.of('updates').length === 1 && onA.of('awareness-query').length === 1);
    expect(onB.of('updates')[0]?.batch[0]?.seq).toBe(2001);
    expect(onBLate.of('updates')[0]?.batch[0]?.seq).toBe(1);
    expect(metricsOf.get(a)?.get('planvas_fanout_connected')).toBe(1);
  });

  it('notices a frozen Redis (open sockets, no answers): bounded pending bytes, reconnect and resync once it answers', async () => {
    const bound = 512 * 1024;
    const a = await startFanout('frozen-a', { maxPendingPublishBytes: bound });
    const b = await startFanout('frozen-b');
    const onB = recorder();
    b.subscribe('board-f', onB);
    await waitFor('subscribed', async () => (await subscribers('board-f')) === 1);

    const c = await startFanout('frozen-c', { healthCheckMs: 0 });

    redis.freeze();
    try {
      // Closing must not wait for an answer a frozen Redis never gives.
      const closing = Date.now();
      await c.close();
      expect(Date.now() - closing).toBeLessThan(5000);

      const update = new Uint8Array(100 * 1024);
      for (let seq = 1; seq <= 200; seq++) a.publishUpdates('board-f', [{ seq, update }]);
      // Handed to the socket but unanswered: capped at the bound (one message may overshoot it).
      expect(a.pendingPublishBytes).toBeGreaterThan(0);
      expect(a.pendingPublishBytes).toBeLessThanOrEqual(bound + 110 * 1024);
      await waitFor('the silent connections are dropped', () => !a.healthy && !b.healthy);
      await waitFor('pending publishes released', () => a.pendingPublishes === 0 && a.pendingPublishBytes === 0);
    } finally {
      redis.thaw();
    }
    await waitFor('healthy after the thaw', () => a.healthy && b.healthy, 30_000);
    await waitFor('resync after the thaw', () => onB.of('resync').length >= 1);
    a.publishUpdates('board-f', [{ seq: 1000, update: bytes(5) }]);
    await waitFor('delivered after the thaw', () => onB.of('updates').some((e) => e.batch[0]?.seq === 1000));
  });
});
