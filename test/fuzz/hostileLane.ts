import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import { MessageType, SyncMessageType } from '../../shared/protocol/wire.ts';
import { FrameFactory, int, type Expectation, type FuzzFrame, type Random } from './generators.ts';

/**
 * One hostile lane: a loop of raw WebSocket connections to one board, each sending frames
 * from its FrameFactory until the server closes it (a malformed frame closes its connection by
 * design) or the lane ends it, then the next connection. After every frame that is not known
 * to be valid, a WebSocket ping tells whether the server kept or closed the connection: the
 * server handles a socket's frames in order, so the pong (or the close) answers for that frame.
 */
export interface LaneStats {
  /** Frames the socket accepted (the send callback reported no error). */
  sent: number;
  connections: number;
  /** Upgrades that failed (refused or reset); the lane retries. */
  openFailures: number;
  /** Per generator kind: frames sent, connections the frame closed, close codes seen. */
  byKind: Map<string, { sent: number; closed: number; codes: Set<number> }>;
  /** Findings: each is a server behaviour a correct server never shows. */
  findings: string[];
}

export function emptyStats(): LaneStats {
  return { sent: 0, connections: 0, openFailures: 0, byKind: new Map(), findings: [] };
}

/** Close codes a malformed frame may end a connection with (docs/protocol.md). */
export const REJECTION_CODES: ReadonlySet<number> = new Set([1002, 1003, 1007, 1009]);

export interface LaneOptions {
  /** ws://host/ws/<board>?token=… */
  url: string;
  factory: FrameFactory;
  random: Random;
  /** This lane's share of the frames. */
  quota: number;
  stats: LaneStats;
  /** Set to stop early (a failure elsewhere). */
  aborted: () => boolean;
  /** Longest a ping may wait for its pong (the server may be slowing this socket down). */
  probeTimeoutMs?: number;
}

export async function runLane(opts: LaneOptions): Promise<void> {
  const { stats } = opts;
  let failuresInARow = 0;
  while (stats.sent < opts.quota && !opts.aborted()) {
    opts.factory.newConnection();
    let conn: LaneConnection;
    try {
      conn = await openConnection(opts.url, opts.factory);
      failuresInARow = 0;
    } catch (err) {
      stats.openFailures++;
      if (++failuresInARow >= 50) throw new Error(`hostile lane could not connect 50 times in a row: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 20 * failuresInARow));
      continue;
    }
    stats.connections++;
    try {
      await driveConnection(conn, opts);
    } finally {
      conn.ws.terminate();
    }
  }
}

interface CloseInfo {
  code: number;
  reason: string;
}

interface LaneConnection {
  ws: WebSocket;
  /** Set once the server closed (or the socket dropped). */
  closeInfo: () => CloseInfo | null;
  closed: Promise<CloseInfo>;
}

function openConnection(url: string, factory: FrameFactory): Promise<LaneConnection> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  let info: CloseInfo | null = null;
  ws.on('error', () => {}); // resets and refusals surface through 'close' / the open promise
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return;
    const sv = serverStepOne(data);
    if (sv) factory.serverStateVector = sv;
  });
  const closed = new Promise<CloseInfo>((resolve) =>
    ws.on('close', (code: number, reason: Buffer) => {
      info = { code, reason: reason.toString() };
      resolve(info);
    }),
  );
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, closeInfo: () => info, closed }));
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      reject(new Error(`upgrade refused: ${res.statusCode}`));
    });
    ws.once('error', reject);
  });
}

/** The state vector in a server's sync step 1 frame, or null for any other frame. */
function serverStepOne(data: Buffer): Uint8Array | null {
  try {
    const d = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(d) !== MessageType.sync || decoding.readVarUint(d) !== SyncMessageType.step1) return null;
    return decoding.readVarUint8Array(d).slice();
  } catch {
    return null;
  }
}

/**
 * Close reasons that mean the server failed, not that it refused bad input: an update it
 * stored and then could not apply (the stored log now holds it), a storage error.
 */
const SERVER_FAILURE = /does not apply|storage|internal|unavailable/i;

async function driveConnection(conn: LaneConnection, opts: LaneOptions): Promise<void> {
  const { ws } = conn;
  const { stats, factory } = opts;
  const probeTimeoutMs = opts.probeTimeoutMs ?? 30_000;
  // Valid frames go out back to back (their send callbacks are awaited in bursts): a round
  // trip per frame would make the run as slow as the scheduler on a busy machine.
  const inFlight: Array<Promise<unknown>> = [];
  /** Counted frames whose send callback has not come yet. */
  let unsettled = 0;
  const settle = async () => {
    await Promise.all(inFlight.splice(0));
  };
  const sendCounted = (frame: FuzzFrame): Promise<boolean> => {
    unsettled++;
    const sent = send(ws, frame).then((ok) => {
      unsettled--;
      if (ok) {
        stats.sent++;
        kindStats(stats, frame.kind).sent++;
      }
      return ok;
    });
    inFlight.push(sent);
    return sent;
  };
  /**
   * The last frame not known to be valid that the connection survived. The connection decodes
   * frames synchronously, so a malformed one is answered before the ping; an edit's verdict
   * (refused for what it builds on, or for the board's size) comes later, from the board's
   * queue: a close after valid frames is that frame's.
   */
  let suspect: FuzzFrame | null = null;
  const closedBy = (frame: FuzzFrame | null, info: CloseInfo) => {
    if (!frame) {
      stats.findings.push(`closed with ${info.code} '${info.reason}' after valid frames only`);
      return;
    }
    const kind = kindStats(stats, frame.kind);
    kind.closed++;
    kind.codes.add(info.code);
    if (!REJECTION_CODES.has(info.code) || SERVER_FAILURE.test(info.reason)) {
      stats.findings.push(`a '${frame.kind}' frame closed the connection with ${info.code} '${info.reason}': ${hex(frame.data)}`);
    }
  };
  // Like a reconnecting client: first everything the lane doc holds (valid; not counted).
  inFlight.push(send(ws, { kind: 'catch-up-step2', data: factory.catchUpFrame(), binary: true, expect: 'valid' }));
  // Connections of every length: some end after a few frames, some carry hundreds.
  const length = 1 + int(opts.random, opts.random() < 0.7 ? 60 : 600);
  for (let i = 0; i < length && stats.sent + unsettled < opts.quota && !opts.aborted(); i++) {
    const early = conn.closeInfo();
    if (early) return closedBy(suspect, early);
    const frame = factory.next();
    const sent = sendCounted(frame);
    if (frame.expect === 'valid') {
      if (inFlight.length >= 64) await settle();
      continue;
    }
    const outcome = await probe(ws, conn, probeTimeoutMs);
    await settle();
    // Closed before this frame left: an earlier frame's verdict.
    if (!(await sent) && outcome !== 'open' && outcome !== 'timeout') return closedBy(suspect, outcome);
    if (outcome === 'timeout') {
      stats.findings.push(`no pong and no close within ${probeTimeoutMs} ms after a '${frame.kind}' frame`);
      return;
    }
    if (outcome === 'open') {
      if (frame.expect === 'fatal') stats.findings.push(`a '${frame.kind}' frame was accepted (connection still open): ${hex(frame.data)}`);
      suspect = frame;
      continue;
    }
    return closedBy(frame, outcome);
  }
  await settle();
  // Let the server answer the last frames before leaving: a close now is one of theirs.
  const outcome = await probe(ws, conn, probeTimeoutMs);
  if (outcome !== 'open' && outcome !== 'timeout') return closedBy(suspect, outcome);
  ws.close(1000);
  await Promise.race([conn.closed, new Promise((r) => setTimeout(r, 2000))]);
}

function kindStats(stats: LaneStats, kind: string) {
  let k = stats.byKind.get(kind);
  if (!k) stats.byKind.set(kind, (k = { sent: 0, closed: 0, codes: new Set() }));
  return k;
}

function send(ws: WebSocket, frame: FuzzFrame): Promise<boolean> {
  if (ws.readyState !== WebSocket.OPEN) return Promise.resolve(false);
  return new Promise((resolve) => ws.send(frame.data, { binary: frame.binary }, (err) => resolve(!err)));
}

/** 'open' when the server answered a ping (so it kept the connection), else how it closed. */
function probe(ws: WebSocket, conn: LaneConnection, timeoutMs: number): Promise<'open' | 'timeout' | CloseInfo> {
  const already = conn.closeInfo();
  if (already) return Promise.resolve(already);
  return new Promise((resolve) => {
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    const onPong = () => done('open');
    function done(result: 'open' | 'timeout' | CloseInfo) {
      clearTimeout(timer);
      ws.off('pong', onPong);
      resolve(result);
    }
    ws.once('pong', onPong);
    void conn.closed.then(done);
    try {
      ws.ping();
    } catch {
      // Closing already: the close event answers.
    }
  });
}

function hex(data: Uint8Array): string {
  const shown = Buffer.from(data.subarray(0, 48)).toString('hex');
  return data.length > 48 ? `${shown}… (${data.length} bytes)` : shown;
}

export type { Expectation };
