import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionLimits, clientAddress } from '../../server/sync/connectionLimits.ts';
import { TokenBucket, connectionRateLimit } from '../../server/sync/rateLimit.ts';
import { throttleInbound } from '../../server/sync/readThrottle.ts';

/** A clock the test moves by hand. */
function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TokenBucket', () => {
  it('lets a burst through, then asks to wait until the debt is paid and a tenth of a second more is back', () => {
    const clock = fakeClock();
    const b = new TokenBucket(100, 200, clock.now);
    for (let i = 0; i < 200; i++) b.take(1);
    expect(b.waitMs()).toBe(0);
    b.take(1);
    // 1 token of debt + 10 tokens (0.1 s at 100/s) = 11 tokens = 110 ms.
    expect(b.waitMs()).toBe(110);
    clock.advance(110);
    expect(b.waitMs()).toBe(0);
    expect(b.balance).toBeCloseTo(10);
  });

  it('a client at the rate never waits', () => {
    const clock = fakeClock();
    const b = new TokenBucket(300, 600, clock.now);
    for (let i = 0; i < 3000; i++) {
      clock.advance(1000 / 300);
      b.take(1);
      expect(b.waitMs()).toBe(0);
    }
  });

  it('refills up to the burst, never beyond', () => {
    const clock = fakeClock();
    const b = new TokenBucket(10, 20, clock.now);
    clock.advance(60_000);
    expect(b.balance).toBe(20);
  });

  it('rejects a rate or burst that cannot work', () => {
    expect(() => new TokenBucket(0, 10)).toThrow(RangeError);
    expect(() => new TokenBucket(10, 0)).toThrow(RangeError);
  });
});

describe('connectionRateLimit', () => {
  it('waits for the scarcer of messages and bytes; 0 disables a budget', () => {
    const clock = fakeClock();
    const limit = connectionRateLimit({ messagesPerSecond: 1000, bytesPerSecond: 1000 }, clock.now);
    limit.record(2000); // the whole byte burst in one message
    expect(limit.waitMs()).toBe(0);
    limit.record(500);
    expect(limit.waitMs()).toBe(600); // 500 bytes of debt + 100 = 600 ms at 1000 B/s
    const unlimited = connectionRateLimit({ messagesPerSecond: 0, bytesPerSecond: 0 }, clock.now);
    for (let i = 0; i < 100_000; i++) unlimited.record(1_000_000);
    expect(unlimited.waitMs()).toBe(0);
  });
});

describe('ConnectionLimits', () => {
  it('refuses the address first (429), then the board (503), and a release frees exactly one slot', () => {
    const limits = new ConnectionLimits({ maxConnectionsPerBoard: 3, maxConnectionsPerIp: 2 });
    const a1 = limits.admit('board', '10.0.0.1');
    const a2 = limits.admit('board', '10.0.0.1');
    expect(a1.ok && a2.ok).toBe(true);
    expect(limits.admit('board', '10.0.0.1')).toMatchObject({ ok: false, reason: 'per_ip', status: 429, error: 'too many connections from this address' });
    expect(limits.admit('board', '10.0.0.2').ok).toBe(true);
    expect(limits.admit('board', '10.0.0.3')).toMatchObject({ ok: false, reason: 'per_board', status: 503, error: 'board is full' });
    expect(limits.admit('other', '10.0.0.3').ok).toBe(true);
    if (!a1.ok) throw new Error('unreachable');
    a1.release();
    a1.release(); // twice is once
    expect(limits.boardCount('board')).toBe(2);
    expect(limits.ipCount('10.0.0.1')).toBe(1);
    expect(limits.admit('board', '10.0.0.3').ok).toBe(true);
    expect(limits.admit('board', '10.0.0.4').ok).toBe(false);
  });

  it('0 means unlimited, and counts drop to nothing once every slot is released', () => {
    const limits = new ConnectionLimits({ maxConnectionsPerBoard: 0, maxConnectionsPerIp: 0 });
    const slots = Array.from({ length: 1000 }, (_, i) => limits.admit(`b${i % 7}`, `ip${i % 13}`));
    expect(slots.every((s) => s.ok)).toBe(true);
    for (const s of slots) if (s.ok) s.release();
    expect(limits.trackedKeys).toBe(0);
  });
});

describe('clientAddress', () => {
  const req = (remoteAddress: string, xff?: string | string[]) =>
    ({ socket: { remoteAddress }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

  it.each([
    ['the TCP peer without trustProxy', req('10.1.1.1', '1.2.3.4'), false, '10.1.1.1'],
    ['IPv4-mapped IPv6 as IPv4', req('::ffff:127.0.0.1'), false, '127.0.0.1'],
    ['the last hop with trustProxy (earlier hops are client-written)', req('10.1.1.1', 'spoofed, 9.9.9.9, 1.2.3.4'), true, '1.2.3.4'],
    ['the last header of several', req('10.1.1.1', ['8.8.8.8', '5.6.7.8']), true, '5.6.7.8'],
    ['a hop with a port', req('10.1.1.1', '1.2.3.4:5555'), true, '1.2.3.4'],
    ['a bracketed IPv6 hop', req('10.1.1.1', '[2001:DB8::1]:443'), true, '2001:db8::1'],
    ['the peer when the header is garbage', req('10.1.1.1', 'not-an-ip'), true, '10.1.1.1'],
    ['the peer when the header is missing', req('10.1.1.1'), true, '10.1.1.1'],
  ])('%s', (_name, r, trustProxy, expected) => {
    expect(clientAddress(r, trustProxy)).toBe(expected);
  });
});

describe('throttleInbound', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const setup = (messagesPerSecond: number) => {
    vi.useFakeTimers();
    const socket = { paused: false, pauses: 0, pause() { this.paused = true; this.pauses++; }, resume() { this.paused = false; } };
    const handled: number[] = [];
    let throttled = 0;
    const limit = connectionRateLimit({ messagesPerSecond, bytesPerSecond: 0 }, () => Date.now());
    const throttle = throttleInbound<number>(socket, limit, (n) => handled.push(n), () => throttled++);
    return { socket, handled, throttle, throttledCount: () => throttled };
  };

  it('hands on the burst at once, then the rest in order at the rate, with the socket paused meanwhile', () => {
    const { socket, handled, throttle, throttledCount } = setup(10); // burst 20
    for (let i = 0; i < 50; i++) throttle.push(i, 1);
    expect(handled.length).toBe(21); // 20 tokens, then one more while not in debt (balance 0)
    expect(socket.paused).toBe(true);
    expect(throttle.paused).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(handled.length).toBeGreaterThanOrEqual(29);
    expect(handled.length).toBeLessThanOrEqual(33);
    vi.advanceTimersByTime(3000);
    expect(handled).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(socket.paused).toBe(false);
    expect(throttledCount()).toBe(1);
  });

  it('without a limit hands everything on at once and never pauses', () => {
    vi.useFakeTimers();
    const socket = { pause: vi.fn(), resume: vi.fn() };
    const handled: number[] = [];
    const throttle = throttleInbound<number>(socket, null, (n) => handled.push(n), () => {});
    for (let i = 0; i < 10_000; i++) throttle.push(i, 1_000_000);
    expect(handled.length).toBe(10_000);
    expect(socket.pause).not.toHaveBeenCalled();
  });

  it('flush hands on what waits (the client left); stop forgets it and resumes reading (we close)', () => {
    const a = setup(10);
    for (let i = 0; i < 40; i++) a.throttle.push(i, 1);
    a.throttle.flush();
    expect(a.handled).toEqual(Array.from({ length: 40 }, (_, i) => i));
    vi.useRealTimers();

    const b = setup(10);
    for (let i = 0; i < 40; i++) b.throttle.push(i, 1);
    b.throttle.stop();
    vi.advanceTimersByTime(10_000);
    expect(b.handled.length).toBe(21);
    expect(b.socket.paused).toBe(false);
    b.throttle.push(99, 1);
    expect(b.handled).not.toContain(99);
  });
});
