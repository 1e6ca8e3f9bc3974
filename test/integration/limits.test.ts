import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import type { Config } from '../../server/config.ts';
import { encodeSyncUpdate } from '../../server/sync/frames.ts';
import { openRawSocket, waitFor, type RawSocket } from '../helpers/clients.ts';
import { createBoard } from '../helpers/server.ts';
import { trackResources } from '../helpers/resources.ts';

/**
 * The limits of docs/protocol.md "Limits", each set through the server config (the same fields
 * PLANVAS_* environment variables fill) and observed with real sockets on a real server.
 */

/** One update setting `map[key] = value`, from a fresh client, so no update depends on another. */
function independentUpdate(map: string, key: string, value: unknown): Uint8Array {
  const doc = new Y.Doc();
  let update: Uint8Array | null = null;
  doc.on('update', (u: Uint8Array) => (update = u));
  doc.getMap(map).set(key, value);
  doc.destroy();
  return update!;
}

interface Attempt {
  status: number;
  body: string;
  retryAfter: string | undefined;
  ws: WebSocket | null;
}

/** An upgrade attempt: 101 with the open socket, or the refusal's status, body and Retry-After. */
function attempt(url: string, headers: Record<string, string> = {}): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('error', () => {});
    ws.once('open', () => resolve({ status: 101, body: '', retryAfter: undefined, ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, retryAfter: res.headers['retry-after'] as string | undefined, ws: null }));
    });
    ws.once('error', reject);
  });
}

/** A raw HTTP upgrade that passes our checks but that ws's handshake rejects (no Sec-WebSocket-Key): 400. */
function brokenHandshake(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('close', () => resolve(data.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

describe('limits and backpressure', () => {
  const opened = trackResources();
  const { sockets, cleanup } = opened;
  const openSockets: WebSocket[] = [];
  afterAll(async () => {
    for (const ws of openSockets) ws.terminate();
    await cleanup();
  });
  const start = (config: Partial<Config>) => opened.start({ config });
  const { client } = opened;
  const raw = async (url: string, opts?: WebSocket.ClientOptions): Promise<RawSocket> => {
    const r = await openRawSocket(url, opts);
    sockets.push(r);
    return r;
  };
  const keep = (a: Attempt): Attempt => {
    if (a.ws) openSockets.push(a.ws);
    return a;
  };

  it('a flooding editor is slowed to its messages per second, loses nothing and keeps order; an honest editor is not held up', async () => {
    const RATE = 100; // burst 200
    const FLOOD = 600;
    // A heartbeat much shorter than the flood: the flooder's socket stays paused for most of it
    // (its pongs unread) and must not be taken for dead. Not shorter: clients and server share
    // this process's event loop, and a busy CI core delays pongs by a few hundred ms.
    const s = await start({ maxMessagesPerSecond: RATE, heartbeatMs: 1000 });
    const board = await createBoard(s.url);
    const reader = client(s, board.id, board.viewToken);
    const honest = client(s, board.id, board.editToken);
    await Promise.all([reader.synced, honest.synced]);

    const arrived: string[] = [];
    const latencies: number[] = [];
    reader.doc.getMap('flood').observe((e) => arrived.push(...e.keysChanged));
    reader.doc.getMap('honest').observe((e) => {
      for (const key of e.keysChanged) latencies.push(Date.now() - (reader.doc.getMap('honest').get(key) as number));
    });

    const flooder = await raw(`${s.wsUrl}/${board.id}?token=${board.editToken}`);
    const frames = Array.from({ length: FLOOD }, (_, i) => encodeSyncUpdate(independentUpdate('flood', `f${String(i).padStart(4, '0')}`, i)));
    const started = Date.now();
    for (const f of frames) flooder.ws.send(f);

    // The honest editor makes one edit every 50 ms (20/s, far under the limit) during the flood.
    let honestEdits = 0;
    while (arrived.length < FLOOD && Date.now() - started < 30_000) {
      honest.doc.getMap('honest').set(`h${honestEdits++}`, Date.now());
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor(() => arrived.length === FLOOD, 'every flooded update relayed', 30_000);
    const floodMs = Date.now() - started;
    await waitFor(() => latencies.length === honestEdits, 'every honest edit relayed', 10_000);

    // Slowed: 200 at once (the burst), the other 400 at 100/s take about 4 s.
    expect(floodMs).toBeGreaterThan(((FLOOD - 2 * RATE) / RATE) * 1000 * 0.75);
    expect(s.server.metrics.get('planvas_rate_limited_total')).toBeGreaterThan(0);
    // Nothing lost, nothing reordered (each update is independent, so arrival order is relay order).
    expect(arrived).toEqual(frames.map((_, i) => `f${String(i).padStart(4, '0')}`));
    // Not cut off: backpressure, not a close; the heartbeat did not take the paused socket for dead.
    expect(flooder.ws.readyState).toBe(WebSocket.OPEN);
    expect(honest.closeCodes).toEqual([]);
    expect(reader.closeCodes).toEqual([]);
    // The honest editor's edits went through while the flood was being throttled.
    expect(honestEdits).toBeGreaterThan(20);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    expect(s.server.metrics.get('planvas_messages_in_total')).toBeGreaterThanOrEqual(FLOOD + honestEdits);
    expect(s.server.metrics.get('planvas_bytes_in_total')).toBeGreaterThan(frames.reduce((n, f) => n + f.byteLength, 0));
    expect(s.server.metrics.get('planvas_messages_out_total')).toBeGreaterThanOrEqual(FLOOD + honestEdits);
  });

  it('a flood of large frames is slowed by bytes per second (one largest message a second, two at once)', async () => {
    const MAX = 64 * 1024;
    const s = await start({ maxMessageBytes: MAX, maxMessagesPerSecond: 1000 });
    const board = await createBoard(s.url);
    const reader = client(s, board.id, board.viewToken);
    await reader.synced;
    const flooder = await raw(`${s.wsUrl}/${board.id}?token=${board.editToken}`);
    const frames = Array.from({ length: 6 }, (_, i) => encodeSyncUpdate(independentUpdate('blobs', `b${i}`, 'x'.repeat(60_000))));
    expect(frames.every((f) => f.byteLength < MAX)).toBe(true);
    const started = Date.now();
    for (const f of frames) flooder.ws.send(f);
    await waitFor(() => reader.doc.getMap('blobs').size === frames.length, 'every large update relayed', 30_000);
    // Two frames fit the 128 KiB burst; the other four wait for about 3 x 60 kB at 64 KiB/s
    // (~2.7 s; the last one goes as soon as the one before it is paid). Unthrottled: milliseconds.
    expect(Date.now() - started).toBeGreaterThan(2000);
    expect(flooder.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('refuses a board past its connections with 503 and an address past its connections with 429, with Retry-After, and frees slots on close', async () => {
    const s = await start({ maxConnectionsPerBoard: 2, maxConnectionsPerIp: 3 });
    const [a, b, c] = await Promise.all([createBoard(s.url), createBoard(s.url), createBoard(s.url)]);
    const url = (board: typeof a) => `${s.wsUrl}/${board.id}?token=${board.editToken}`;

    const a1 = keep(await attempt(url(a)));
    const a2 = keep(await attempt(url(a)));
    expect([a1.status, a2.status]).toEqual([101, 101]);
    const full = await attempt(url(a));
    expect(full.status).toBe(503);
    expect(JSON.parse(full.body)).toEqual({ error: 'board is full' });
    expect(Number(full.retryAfter)).toBeGreaterThan(0);

    const b1 = keep(await attempt(url(b)));
    expect(b1.status).toBe(101);
    const tooMany = await attempt(url(c));
    expect(tooMany.status).toBe(429);
    expect(JSON.parse(tooMany.body)).toEqual({ error: 'too many connections from this address' });
    expect(Number(tooMany.retryAfter)).toBeGreaterThan(0);
    expect(s.server.metrics.get('planvas_connections_refused_total', { reason: 'per_board' })).toBe(1);
    expect(s.server.metrics.get('planvas_connections_refused_total', { reason: 'per_ip' })).toBe(1);

    // A clean close frees a board slot and an address slot.
    a1.ws!.close();
    await waitFor(async () => (await attempt(url(c)).then(keep)).status === 101, 'slot freed by a close', 5000);
    // A terminated socket (no close handshake) frees its slot too.
    a2.ws!.terminate();
    await waitFor(async () => (await attempt(url(a)).then(keep)).status === 101, 'slot freed by a reset', 5000);
  });

  it('connection slots never leak: many opens, closes, resets, refusals and failed handshakes leave the counts at zero', async () => {
    const s = await start({ maxConnectionsPerBoard: 3, maxConnectionsPerIp: 5 });
    const [a, b] = await Promise.all([createBoard(s.url), createBoard(s.url)]);
    const urlA = `${s.wsUrl}/${a.id}?token=${a.editToken}`;
    const urlB = `${s.wsUrl}/${b.id}?token=${b.editToken}`;
    for (let round = 0; round < 20; round++) {
      const opened: Attempt[] = [];
      for (const url of [urlA, urlA, urlA, urlA, urlB, urlB, urlB]) opened.push(await attempt(url));
      // Board a is full at 3 (503); the address is full at 5 (429).
      expect(opened.map((o) => o.status)).toEqual([101, 101, 101, 503, 101, 101, 429]);
      // Half the rounds close cleanly, half reset the connection.
      const closes = opened
        .filter((o) => o.ws)
        .map(
          (o) =>
            new Promise<void>((resolve) => {
              o.ws!.once('close', () => resolve());
              if (round % 2) o.ws!.close();
              else o.ws!.terminate();
            }),
        );
      await Promise.all(closes);
      // Admitted by our limits, then refused by ws's own handshake checks (400): released too.
      expect(await brokenHandshake(s.port, `/ws/${a.id}?token=${a.editToken}`)).toMatch(/^HTTP\/1\.1 400/);
      await waitFor(() => s.server.metrics.get('planvas_open_connections') === 0, 'all closed', 5000);
    }
    expect(s.server.metrics.get('planvas_connections_refused_total', { reason: 'per_board' })).toBe(20);
    expect(s.server.metrics.get('planvas_connections_refused_total', { reason: 'per_ip' })).toBe(20);
    // Every slot came back (closes are seen by the server a moment after the client): the full allowance is available again.
    await waitFor(async () => {
      const tries = [await attempt(urlA), await attempt(urlA), await attempt(urlA), await attempt(urlB), await attempt(urlB)];
      for (const t of tries) t.ws?.terminate();
      const ok = tries.every((t) => t.status === 101);
      if (!ok) await new Promise((r) => setTimeout(r, 200));
      return ok;
    }, 'all slots free', 10_000, 0);
  });

  it('with trustProxy the address is the last X-Forwarded-For hop; without it the header is ignored', async () => {
    const trusting = await start({ maxConnectionsPerIp: 1, trustProxy: true });
    const board = await createBoard(trusting.url);
    const url = `${trusting.wsUrl}/${board.id}?token=${board.editToken}`;
    expect(keep(await attempt(url, { 'x-forwarded-for': '203.0.113.9, 198.51.100.1' })).status).toBe(101);
    expect((await attempt(url, { 'x-forwarded-for': '203.0.113.9, 198.51.100.1' })).status).toBe(429);
    // The first hop is whatever the client wrote: only the last one counts.
    expect(keep(await attempt(url, { 'x-forwarded-for': '198.51.100.1, 198.51.100.2' })).status).toBe(101);

    const plain = await start({ maxConnectionsPerIp: 1 });
    const other = await createBoard(plain.url);
    const plainUrl = `${plain.wsUrl}/${other.id}?token=${other.editToken}`;
    expect(keep(await attempt(plainUrl, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(101);
    expect((await attempt(plainUrl, { 'x-forwarded-for': '198.51.100.8' })).status).toBe(429);
  });

  it('a client that stops reading is cut off once its send buffer passes maxBufferedBytes; the others keep going', async () => {
    const s = await start({ maxBufferedBytes: 256 * 1024 });
    const board = await createBoard(s.url);
    const writer = client(s, board.id, board.editToken);
    const reader = client(s, board.id, board.viewToken);
    await Promise.all([writer.synced, reader.synced]);
    const slow = await raw(`${s.wsUrl}/${board.id}?token=${board.viewToken}`);
    await waitFor(() => slow.frames.length > 0, 'joined');
    // Stop reading: loopback kernel buffers fill (a few MB), then ws buffers in the server.
    (slow.ws as unknown as { _socket: net.Socket })._socket.pause();
    for (let i = 0; i < 300 && s.server.metrics.get('planvas_slow_consumers_total') === 0; i++) {
      writer.doc.getMap('notes').set(`blob-${i}`, 'y'.repeat(100_000));
      await waitFor(() => reader.doc.getMap('notes').has(`blob-${i}`), 'relayed', 10_000);
    }
    expect(s.server.metrics.get('planvas_slow_consumers_total')).toBe(1);
    await waitFor(() => s.server.metrics.get('planvas_open_connections') === 2, 'slow peer gone', 10_000);
    const last = createTask(writer.doc, { title: 'after the cut' });
    await waitFor(() => readBoard(reader.doc).tasks.has(last), 'others keep syncing');
    expect(writer.closeCodes).toEqual([]);
    expect(reader.closeCodes).toEqual([]);
  });

  it('a peer that stops answering pings is terminated within about two heartbeats; live peers stay', async () => {
    const HEARTBEAT = 300;
    const s = await start({ heartbeatMs: HEARTBEAT });
    const board = await createBoard(s.url);
    const live = client(s, board.id, board.editToken);
    await live.synced;
    const opened = Date.now();
    const dead = await raw(`${s.wsUrl}/${board.id}?token=${board.editToken}`, { autoPong: false });
    const closed = await dead.closed;
    const lifetime = Date.now() - opened;
    expect(closed.code).toBe(1006); // terminated: no close frame
    // One ping unanswered, terminated at the next tick: between 1 and ~2 heartbeats (plus timer slack on a busy machine).
    expect(lifetime).toBeGreaterThanOrEqual(HEARTBEAT * 0.9);
    expect(lifetime).toBeLessThan(HEARTBEAT * 2 + 1500);
    await waitFor(() => s.server.metrics.get('planvas_open_connections') === 1, 'only the live peer left');
    expect(live.provider.wsconnected).toBe(true);
    expect(live.closeCodes).toEqual([]);
  });

  it('a message over maxMessageBytes closes that connection with 1009; others keep going', async () => {
    const s = await start({ maxMessageBytes: 4096 });
    const board = await createBoard(s.url);
    const writer = client(s, board.id, board.editToken);
    const reader = client(s, board.id, board.viewToken);
    await Promise.all([writer.synced, reader.synced]);
    const big = await raw(`${s.wsUrl}/${board.id}?token=${board.editToken}`);
    big.ws.send(encodeSyncUpdate(independentUpdate('notes', 'big', 'z'.repeat(5000))));
    expect((await big.closed).code).toBe(CloseCode.messageTooBig);
    const task = createTask(writer.doc, { title: 'still here' });
    await waitFor(() => readBoard(reader.doc).tasks.has(task), 'others keep syncing');
    expect(reader.doc.getMap('notes').has('big')).toBe(false);
  });
});
