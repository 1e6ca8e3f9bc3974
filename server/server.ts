import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { CloseCode } from '../shared/protocol/wire.ts';
import { createApp } from './app.ts';
import { loadOrCreateSecret } from './auth/secret.ts';
import type { Config } from './config.ts';
import { createUpgradeHandler } from './http/upgrade.ts';
import { createLogger, type Logger } from './log.ts';
import { Metrics } from './metrics.ts';
import { openSqliteStore } from './storage/sqlite.ts';
import type { BoardStore } from './storage/types.ts';
import { attachConnection } from './sync/connection.ts';
import { Rooms } from './sync/rooms.ts';
import { workerSummariser } from './history/summariser.ts';

export interface RunningServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  /** http://127.0.0.1:<port> when bound to all interfaces, else http://<host>:<port>. */
  url: string;
  store: BoardStore;
  rooms: Rooms;
  metrics: Metrics;
  secret: string;
  /** Closes every socket with 1001, flushes (compacts) every board, closes the database. Idempotent. */
  close(): Promise<void>;
}

/** Connection-hygiene limits (docs/protocol.md "Limits"); tests shorten them. */
export interface ServerTuning {
  /** How often sockets are pinged; a socket that did not answer the previous ping is terminated. */
  heartbeatMs: number;
  /** A peer whose unsent data exceeds this is cut off (slow consumer). */
  maxBufferedBytes: number;
  /** How long a peer whose awareness id is claimed by another connection has to answer a ping. */
  probeTimeoutMs: number;
}

export const DEFAULT_TUNING: ServerTuning = {
  heartbeatMs: 30_000,
  maxBufferedBytes: 32 * 1024 * 1024,
  probeTimeoutMs: 5_000,
};

/**
 * Starts Planvas on one port: the Hono app (API, health, static client) and the WebSocket
 * sync endpoint. Used by server/main.ts and, in-process, by the tests.
 *
 * @example const s = await startServer({ ...config, port: 0 }); ...; await s.close();
 */
export async function startServer(
  config: Config,
  logger: Logger = createLogger(config.logLevel),
  tuningOverrides: Partial<ServerTuning> = {},
): Promise<RunningServer> {
  const tuning = { ...DEFAULT_TUNING, ...tuningOverrides };
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = loadOrCreateSecret(config.dataDir, config.secret);
  const store = openSqliteStore(config.dataDir);
  const metrics = new Metrics();
  // Version summaries are decoded and diffed off the event loop (a second per 10k-task version).
  const summariser = workerSummariser(logger);
  const rooms = new Rooms({ store, logger, metrics, compactAfterUpdates: config.compactAfterUpdates, checkpointIntervalMs: config.checkpointIntervalMs, summariser });
  const app = createApp({ store, rooms, metrics, logger, secret, publicUrl: config.publicUrl, clientDir: config.clientDir, startedAt: Date.now() });

  // perMessageDeflate off: CPU per message matters more than bandwidth for small Yjs updates.
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, perMessageDeflate: false });
  const alive = new WeakMap<object, boolean>();
  wss.on('connection', (ws) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
  });
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, tuning.heartbeatMs);
  heartbeat.unref();

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server));
    s.once('error', reject);
  });
  server.on('upgrade', createUpgradeHandler({
    wss,
    store,
    secret,
    logger,
    metrics,
    onAccepted: (ws, boardId, role) => {
      wss.emit('connection', ws);
      attachConnection(ws, boardId, role, { rooms, logger, metrics, maxBufferedBytes: tuning.maxBufferedBytes, probeTimeoutMs: tuning.probeTimeoutMs });
    },
  }));

  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  logger.info('listening', { port, host: config.host, url, dataDir: config.dataDir, pid: process.pid, maxMessageBytes: config.maxMessageBytes });

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearInterval(heartbeat);
      const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections?.();
      await rooms.closeAll();
      await summariser.close();
      // Peers of rooms still loading were closed by closeAll; anything else (mid-upgrade) goes now.
      for (const ws of wss.clients) ws.close(CloseCode.goingAway, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
        server.closeAllConnections?.();
      }, 2000).unref();
      await httpClosed;
      await store.close();
      logger.info('stopped', { port });
    })();
    return closing;
  };

  return { port, url, store, rooms, metrics, secret, close };
}
