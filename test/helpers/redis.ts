import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real redis-server for tests: on 127.0.0.1, a free port, its own temp dir, no persistence
 * (`--save '' --appendonly no`). Resolves once it answers PING. Stop it in afterAll; a process
 * exit kills it too, so a crashed test file leaves nothing behind.
 *
 * @example
 *   const redis = await startRedis();
 *   afterAll(() => redis.stop());
 *   await redis.kill();    // SIGKILL: an outage
 *   await redis.restart(); // same port, fresh (empty) process
 */
export interface TestRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Graceful stop (SIGTERM, waits for exit) and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL, waits for exit; the port stays reserved for restart(). */
  kill(): Promise<void>;
  /** Starts a fresh process on the same port (kills the running one first, if any). */
  restart(): Promise<void>;
  /** SIGSTOP: Redis keeps its sockets open but answers nothing (a hung server, a partition). */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
}

export interface RedisOptions {
  /** Default: a free port chosen by the OS. */
  port?: number;
  /** Default: PLANVAS_REDIS_SERVER, else /usr/bin/redis-server, else redis-server on PATH. */
  binary?: string;
  /** Milliseconds to wait for PING to answer. Default 20 s (2 busy cores). */
  startTimeoutMs?: number;
}

/**
 * One redis-server, run under a small shell watchdog that holds a pipe from this process: if
 * this process dies without cleaning up (a test worker killed on a timeout), the pipe closes
 * and the watchdog SIGKILLs redis, so no orphan server outlives its test file.
 */
interface RedisProcess {
  /** redis-server's own pid (signals go there, not to the shell). */
  pid: number;
  /** Resolves when redis-server has exited. */
  exited: Promise<void>;
  hasExited(): boolean;
  signal(signal: NodeJS.Signals): void;
}

const WATCHDOG = [
  'exec 3<&0', // background jobs get /dev/null as stdin: keep the pipe from node on fd 3
  '"$@" & R=$!',
  'echo "redis-pid $R"',
  '(cat <&3 >/dev/null 2>&1; kill -9 $R 2>/dev/null) &',
  'wait $R',
].join('\n');

const running = new Set<RedisProcess>();
process.on('exit', () => {
  for (const redis of running) redis.signal('SIGKILL');
});

export async function startRedis(opts: RedisOptions = {}): Promise<TestRedis> {
  const binary = opts.binary ?? findRedisServer();
  const startTimeoutMs = opts.startTimeoutMs ?? 20_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planvas-redis-'));
  let port = opts.port ?? (await freePort());
  let child: RedisProcess | null = null;
  let started = false;
  let stopped = false;

  const launch = async (): Promise<void> => {
    // A port chosen by the OS can be taken by someone else before redis binds it: retry on a
    // new port, but only for the first start (restart() must keep the same port).
    const attempts = opts.port === undefined && !started ? 3 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        child = await spawnRedis(binary, port, dir, startTimeoutMs);
        started = true;
        return;
      } catch (error) {
        if (attempt >= attempts) throw error;
        port = await freePort();
      }
    }
  };

  const killChild = async (signal: NodeJS.Signals): Promise<void> => {
    const current = child;
    child = null;
    if (current === null) return;
    await stopProcess(current, signal);
  };

  await launch().catch((error: unknown) => {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  });

  return {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await killChild('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
    kill: () => killChild('SIGKILL'),
    freeze: () => child?.signal('SIGSTOP'),
    thaw: () => child?.signal('SIGCONT'),
    async restart() {
      if (stopped) throw new Error('startRedis: restart() after stop()');
      await killChild('SIGKILL');
      await launch();
    },
  };
}

function findRedisServer(): string {
  const fromEnv = process.env.PLANVAS_REDIS_SERVER;
  if (fromEnv) return fromEnv;
  if (fs.existsSync('/usr/bin/redis-server')) return '/usr/bin/redis-server';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'redis-server');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  throw new Error('redis-server not found (install the Debian package redis-server: node scripts/ensure-test-deps.mjs)');
}

/** A port that was free a moment ago (the OS picks it; we close the probe socket). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function spawnRedis(binary: string, port: number, dir: string, timeoutMs: number): Promise<RedisProcess> {
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--logfile', '',
    '--loglevel', 'warning',
  ];
  const shell: ChildProcess = spawn('/bin/sh', ['-c', WATCHDOG, 'sh', binary, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let pid: number | null = null;
  shell.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    pid ??= Number(/redis-pid (\d+)/.exec(output)?.[1]) || null;
  });
  shell.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    const done = (): void => {
      exited = true;
      running.delete(redis);
      // Releases the watchdog (its `cat` sees end of input; redis is already gone).
      shell.stdin?.destroy();
      resolve();
    };
    shell.once('exit', done);
    shell.once('error', (error) => {
      output += String(error);
      done();
    });
  });
  const redis: RedisProcess = {
    get pid() {
      return pid ?? -1;
    },
    exited: exitedPromise,
    hasExited: () => exited,
    signal(signal) {
      if (exited) return;
      if (pid === null) shell.kill('SIGKILL');
      else
        try {
          process.kill(pid, signal);
        } catch {
          // Already gone: the shell's exit follows.
        }
    },
  };
  running.add(redis);

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`redis-server exited before answering PING on port ${port}:\n${output}`);
    if (pid !== null && (await answersPing(port))) return redis;
    await new Promise((r) => setTimeout(r, 50));
  }
  await stopProcess(redis, 'SIGKILL');
  throw new Error(`redis-server did not answer PING on port ${port} within ${timeoutMs} ms:\n${output}`);
}

/** One PING over a raw socket (no client library: the helper must not depend on what it tests). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

function stopProcess(redis: RedisProcess, signal: NodeJS.Signals): Promise<void> {
  if (redis.hasExited()) return Promise.resolve();
  const escalate = setTimeout(() => redis.signal('SIGKILL'), 5000);
  redis.signal(signal);
  // A frozen (SIGSTOPped) server only acts on SIGTERM once it runs again.
  redis.signal('SIGCONT');
  return redis.exited.finally(() => clearTimeout(escalate));
}
