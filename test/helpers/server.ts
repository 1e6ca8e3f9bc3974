import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CreateBoardResponse } from '../../shared/protocol/api.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../shared/protocol/wire.ts';
import type { Config } from '../../server/config.ts';
import { createLogger, silentLogger, type Logger } from '../../server/log.ts';
import { startServer, type RunningServer, type ServerTuning } from '../../server/server.ts';

/**
 * Starting Planvas servers for tests: in-process (fast, inspectable) or as a child process
 * (for SIGKILL/SIGTERM). Always on 127.0.0.1, port 0, data under os.tmpdir().
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A fixed secret so tests can sign tokens themselves (e.g. a valid token for an unknown board). */
export const TEST_SECRET = 'planvas-test-secret-0123456789abcdef';

export function makeTempDir(prefix = 'planvas-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface ServerOptions {
  /** Default: a new temp dir (removed by close() only when it was created here). */
  dataDir?: string;
  /** Default TEST_SECRET; pass null to use/generate <dataDir>/secret. */
  secret?: string | null;
  maxMessageBytes?: number;
  compactAfterUpdates?: number;
  /** Default: <repo>/dist/client. */
  clientDir?: string;
  publicUrl?: string | null;
  /** Default: silent. Pass createLogger('debug') to see server logs. */
  logger?: Logger;
  /** Shorter heartbeat, probe timeout or send-buffer bound (connection-hygiene tests). */
  tuning?: Partial<ServerTuning>;
  /** Any other Config field (limits, databaseUrl, redisUrl, ...); applied over the defaults above. */
  config?: Partial<Config>;
}

export interface TestServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** ws://127.0.0.1:<port>/ws: the serverUrl for WebsocketProvider (room = board id). */
  wsUrl: string;
  port: number;
  dataDir: string;
  secret: string;
  server: RunningServer;
  /** Graceful stop (like SIGTERM): close sockets 1001, flush, close the DB. */
  close(): Promise<void>;
}

/** Starts the server in this process on 127.0.0.1:0. */
export async function startTestServer(opts: ServerOptions = {}): Promise<TestServer> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? makeTempDir();
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    secret: opts.secret === undefined ? TEST_SECRET : opts.secret,
    maxMessageBytes: opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    publicUrl: opts.publicUrl ?? null,
    clientDir: opts.clientDir ?? path.join(ROOT, 'dist', 'client'),
    compactAfterUpdates: opts.compactAfterUpdates ?? 500,
    logLevel: 'debug',
    ...opts.config,
  };
  const server = await startServer(config, opts.logger ?? silentLogger, opts.tuning);
  return {
    url: server.url,
    wsUrl: `ws://127.0.0.1:${server.port}/ws`,
    port: server.port,
    dataDir,
    secret: server.secret,
    server,
    async close() {
      await server.close();
      if (ownDir) removeTempDir(dataDir);
    },
  };
}

export interface LogLine {
  time: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  [field: string]: unknown;
}

export interface ChildServerOptions {
  dataDir: string;
  /** Extra flags after the defaults (--port 0 --host 127.0.0.1 --data-dir <dir>). */
  args?: string[];
  /** Extra environment; PLANVAS_SECRET defaults to TEST_SECRET. */
  env?: Record<string, string>;
  /** 'main' runs server/main.ts directly (no client build); 'start' runs scripts/start.mjs (npm start). */
  entry?: 'main' | 'start';
  /** Default 20 s. */
  startTimeoutMs?: number;
}

export interface ChildServer {
  url: string;
  wsUrl: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Every JSON log line the child printed so far. */
  logs: LogLine[];
  /** Raw stderr so far (start-up failures). */
  stderr(): string;
  /** Sends the signal and resolves when the process has exited. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait (no-op when it already exited). */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node --import tsx server/main.ts` (or scripts/start.mjs) as a child; resolves once it logged `listening`. */
export function spawnServer(opts: ChildServerOptions): Promise<ChildServer> {
  const script = opts.entry === 'start' ? ['scripts/start.mjs'] : ['--import', 'tsx', 'server/main.ts'];
  const child = spawn(process.execPath, [...script, '--port', '0', '--host', '127.0.0.1', '--data-dir', opts.dataDir, ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, PLANVAS_SECRET: TEST_SECRET, PLANVAS_LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let stderr = '';
  let buffered = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  void exited.then((info) => (exitInfo = info));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${opts.startTimeoutMs ?? 20_000} ms\n${stderr}`));
    }, opts.startTimeoutMs ?? 20_000);
    void exited.then((info) => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening (${JSON.stringify(info)})\n${stderr}`));
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let parsed: LogLine;
        try {
          parsed = JSON.parse(line) as LogLine;
        } catch {
          continue;
        }
        logs.push(parsed);
        if (parsed.msg === 'listening' && typeof parsed.port === 'number') {
          clearTimeout(timer);
          const port = parsed.port;
          const kill = (signal: NodeJS.Signals) => {
            if (exitInfo) return Promise.resolve(exitInfo);
            child.kill(signal);
            return exited;
          };
          resolve({
            url: `http://127.0.0.1:${port}`,
            wsUrl: `ws://127.0.0.1:${port}/ws`,
            port,
            dataDir: opts.dataDir,
            child,
            logs,
            stderr: () => stderr,
            kill,
            stop: () => kill('SIGTERM'),
          });
        }
      }
    });
  });
}

/** POST /api/boards; throws unless 201. */
export async function createBoard(baseUrl: string, title?: string): Promise<CreateBoardResponse> {
  const res = await fetch(`${baseUrl}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(title === undefined ? {} : { title }),
  });
  if (res.status !== 201) throw new Error(`create board: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreateBoardResponse;
}

/**
 * The URL of a board's REST route, `<base>/api/boards/<id>[/<route>][?<query>&token=<token>]`
 * (the token encoded; `route` with or without its leading slash, '' for the board itself).
 *
 * @example boardApiUrl(server.url, board.id, 'export', board.viewToken, 'format=csv')
 */
export function boardApiUrl(baseUrl: string, boardId: string, route = '', token?: string, query = ''): string {
  const path = route.replace(/^\//, '');
  const search = [query, token ? `token=${encodeURIComponent(token)}` : ''].filter(Boolean).join('&');
  return `${baseUrl}/api/boards/${boardId}${path ? `/${path}` : ''}${search ? `?${search}` : ''}`;
}

export { createLogger };
