import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { CloseCode } from '../shared/protocol/wire.ts';
import { createApp } from './app.ts';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { loadOrCreateSecret } from './auth/secret.ts';
import { localFanout, type Fanout } from './cluster/fanout.ts';
import { redisFanout } from './cluster/redisFanout.ts';
import { openStore } from './storage/open.ts';
import { CONFIG_DEFAULTS, redactUrl, withDefaults, type Config } from './config.ts';
import { createUpgradeHandler } from './http/upgrade.ts';
import { createLogger, type Logger } from './log.ts';
import { Metrics } from './metrics.ts';
import { instrumentStore } from './storage/instrumented.ts';
import type { BoardStore } from './storage/types.ts';
import { attachConnection } from './sync/connection.ts';
import { ConnectionLimits, clientAddress } from './sync/connectionLimits.ts';
import { startHeartbeat } from './sync/heartbeat.ts';
import { Rooms } from './sync/rooms.ts';
import { workerSummariser } from './history/summariser.ts';

export interface RunningServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  /** http://127.0.0.1:<port> when bound to all interfaces, else http://<host>:<port>. */
  url: string;
  store: BoardStore;
  /** Other instances (REDIS_URL), or the local no-op. */
  fanout: Fanout;
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

/** heartbeatMs and maxBufferedBytes come from the config (PLANVAS_HEARTBEAT_INTERVAL, PLANVAS_MAX_BUFFERED_BYTES); tuning overrides win. */
export const DEFAULT_TUNING: ServerTuning = {
  heartbeatMs: CONFIG_DEFAULTS.heartbeatMs,
  maxBufferedBytes: CONFIG_DEFAULTS.maxBufferedBytes,
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
  const limitsConfig = withDefaults(config);
  const tuning = { ...DEFAULT_TUNING, heartbeatMs: limitsConfig.heartbeatMs, maxBufferedBytes: limitsConfig.maxBufferedBytes, ...tuningOverrides };
  // The data dir is SQLite's (openSqliteStore creates it); on PostgreSQL nothing is written there.
  const metrics = new Metrics();
  // Unique per process start: a restarted instance is a new one to the others.
  const instanceId = `${os.hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  // Every storage call is timed and its failures counted (planvas_storage_seconds, /metrics).
  const store = instrumentStore(
    await openStore({ databaseUrl: limitsConfig.databaseUrl, dataDir: config.dataDir, onError: (err) => logger.warn('database connection error', { err }) }),
    metrics,
  );
  let secret: string;
  let fanout: Fanout;
  try {
    // Several instances must sign and check tokens alike: on PostgreSQL the secret is
    // PLANVAS_SECRET or, without it, one stored in the database by the first instance.
    secret = store.sharedLog ? (config.secret ?? (await store.sharedSecret(randomBytes(32).toString('base64url')))) : loadOrCreateSecret(config.dataDir, config.secret);
    // Channels named after the database: instances of another deployment (a restored copy on
    // the same Redis) are on other channels and never deliver its edits here.
    const channelPrefix = store.identity ? `planvas:${await store.identity()}:board:` : undefined;
    fanout = limitsConfig.redisUrl ? await redisFanout({ url: limitsConfig.redisUrl, logger, metrics, instanceId, channelPrefix }) : localFanout(instanceId);
  } catch (err) {
    await store.close();
    throw err;
  }
  // Set at the start of close(): /readyz answers 503 at once so a load balancer stops sending clients.
  let draining = false;
  // Version summaries are decoded and diffed off the event loop (a second per 10k-task version).
  const summariser = workerSummariser(logger);
  const rooms = new Rooms({
    store,
    logger,
    metrics,
    compactAfterUpdates: config.compactAfterUpdates,
    checkpointIntervalMs: config.checkpointIntervalMs,
    summariser,
    fanout,
    limits: {
      maxDocBytes: limitsConfig.maxDocBytes,
      awarenessFlushMs: limitsConfig.awarenessFlushMs,
      maxHeldBytes: limitsConfig.maxHeldBytes,
      storageHoldMs: limitsConfig.storageHoldMs,
      logPollMs: limitsConfig.logPollMs,
    },
  });
  const app = createApp({ store, rooms, metrics, logger, secret, publicUrl: config.publicUrl, clientDir: config.clientDir, startedAt: Date.now(), draining: () => draining, fanout });

  // perMessageDeflate off: CPU per message matters more than bandwidth for small Yjs updates.
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, perMessageDeflate: false });
  const heartbeat = startHeartbeat(wss, tuning.heartbeatMs);
  const connectionLimits = new ConnectionLimits(limitsConfig);
  // Per connection: maxMessagesPerSecond messages and, as cheaply, bytes (one largest message a
  // second sustained, two in a burst) so that a few huge frames are throttled like many small ones.
  const rateLimit = { messagesPerSecond: limitsConfig.maxMessagesPerSecond, bytesPerSecond: limitsConfig.maxMessagesPerSecond > 0 ? config.maxMessageBytes : 0 };

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
    admit: (req, boardId) => connectionLimits.admit(boardId, clientAddress(req, limitsConfig.trustProxy)),
    onAccepted: (ws, boardId, role, link) => {
      wss.emit('connection', ws);
      attachConnection(ws, boardId, role, { rooms, logger, metrics, maxBufferedBytes: tuning.maxBufferedBytes, probeTimeoutMs: tuning.probeTimeoutMs, rateLimit }, link);
    },
  }));

  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  logger.info('listening', { port, host: config.host, url, dataDir: config.dataDir, pid: process.pid, instance: instanceId, maxMessageBytes: config.maxMessageBytes, database: redactUrl(limitsConfig.databaseUrl) ?? 'sqlite', redis: redactUrl(limitsConfig.redisUrl) });

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      draining = true;
      heartbeat.stop();
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
      await fanout.close();
      await store.close();
      logger.info('stopped', { port });
    })();
    return closing;
  };

  return { port, url, store, fanout, rooms, metrics, secret, close };
}
