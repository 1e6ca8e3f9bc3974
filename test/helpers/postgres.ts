import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * A real PostgreSQL server for tests: initdb into a fresh temp dir, a free port on 127.0.0.1
 * only, trust authentication, stopped and removed by `stop()`.
 *
 * initdb and postgres refuse to run as root, so both run as the unprivileged user `postgres`
 * (spawned with its uid/gid). Start one server per test FILE (initdb costs ~2 s) and give each
 * test or describe its own database with `createDatabase` (~100 ms).
 *
 * Speed over crash safety: `fsync=off` (and initdb --no-sync). A commit is still written to
 * the OS before it is acknowledged, so killing PostgreSQL (even SIGKILL) loses nothing; only an
 * OS crash or power loss could, which tests never do. Never use these settings in production.
 *
 * @example
 *   const pgServer = await startPostgres();            // beforeAll
 *   const url = await createDatabase(pgServer.url, 'contract_1');
 *   await pgServer.stop();                             // afterAll
 */
export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/planvas — an empty database created at start. */
  url: string;
  port: number;
  /** The data directory (owned by `postgres`). */
  dataDir: string;
  /** Final stop (fast shutdown) and removal of the temp dir. Safe to call twice and after kill(). */
  stop(): Promise<void>;
  /** SIGKILL of the postmaster and all its children (a crash). Data stays; `start()` brings it back with crash recovery. */
  kill(): Promise<void>;
  /** Fast shutdown keeping the data: the port refuses connections until `start()`. */
  pause(): Promise<void>;
  /** Starts the server again on the same port with the same data (after pause() or kill()). */
  start(): Promise<void>;
  /** pause() then start(). */
  restart(): Promise<void>;
  /** SIGSTOP of every server process: connections hang (a hung database) rather than being refused. */
  freeze(): Promise<void>;
  /** SIGCONT after freeze(). */
  thaw(): Promise<void>;
  /** The server's recent log lines (for failure messages). */
  log(): string;
}

const PG_BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/14/bin'];
const execFileAsync = promisify(execFile);
/** Every server started by this process, stopped if the process exits without stop(). */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function findBinDir(): string {
  for (const dir of PG_BIN_DIRS) if (fs.existsSync(path.join(dir, 'postgres')) && fs.existsSync(path.join(dir, 'initdb'))) return dir;
  throw new Error('PostgreSQL server binaries not found (looked in /usr/lib/postgresql/<version>/bin): install the Debian package "postgresql"');
}

interface PostgresUser {
  uid: number;
  gid: number;
}

async function postgresUser(): Promise<PostgresUser> {
  try {
    const uid = Number((await execFileAsync('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await execFileAsync('id', ['-g', 'postgres'])).stdout.trim());
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('unreadable id output');
    return { uid, gid };
  } catch (err) {
    throw new Error(`no user "postgres" to run PostgreSQL as (initdb refuses root; the Debian package "postgresql" creates it): ${String(err)}`);
  }
}

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function chownRecursive(target: string, user: PostgresUser): void {
  fs.chownSync(target, user.uid, user.gid);
  if (fs.statSync(target).isDirectory()) for (const entry of fs.readdirSync(target)) chownRecursive(path.join(target, entry), user);
}

/**
 * Resolves once our server answers; rejects after `timeoutMs`. The data directory is checked: a
 * server of another test that won the race for the port must not be taken for ours.
 */
async function waitUntilReady(url: string, dataDir: string, isAlive: () => boolean, logText: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`PostgreSQL exited during start-up:\n${logText()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      const { rows } = await client.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
      if (rows[0]?.dir === dataDir) return;
      lastError = new Error(`port taken by another server (data directory ${rows[0]?.dir})`);
    } catch (err) {
      lastError = err;
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`PostgreSQL did not become ready within ${timeoutMs} ms (${String(lastError)}):\n${logText()}`);
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * The postmaster and its children (backends, checkpointer, ...). Each child calls setsid(), so
 * a process-group signal would reach the postmaster only: they are found by parent pid instead.
 */
function serverPids(postmaster: number): number[] {
  const pids = [postmaster];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may contain spaces, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    } catch {
      // Exited meanwhile.
    }
  }
  return pids;
}

/** Signals the postmaster and every child of it; ignores processes that are gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  const pids = child.exitCode === null && child.signalCode === null ? serverPids(child.pid) : [];
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  const binDir = findBinDir();
  const user = await postgresUser();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'planvas-pg-'));
  const dataDir = path.join(root, 'data');
  const socketDir = path.join(root, 'sock');
  fs.mkdirSync(socketDir);
  chownRecursive(root, user);
  fs.chmodSync(root, 0o700);

  try {
    await execFileAsync(
      path.join(binDir, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      { uid: user.uid, gid: user.gid, cwd: root, env: { ...process.env, HOME: root, LC_ALL: 'C' } },
    );
  } catch (err) {
    fs.rmSync(root, { recursive: true, force: true });
    const e = err as { stderr?: string };
    throw new Error(`initdb failed: ${e.stderr ?? String(err)}`);
  }

  // Another process may take the free port before PostgreSQL binds it: start() then fails and
  // the first start is retried on a new port.
  let port = await freePort();
  const adminUrl = (): string => `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | null = null;
  let logLines: string[] = [];
  let removed = false;

  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A test runner that dies without afterAll must not leave servers behind.
    process.once('exit', () => {
      for (const c of running) signalGroup(c, 'SIGKILL');
    });
  }

  const spawnServer = async (): Promise<void> => {
    if (removed) throw new Error('this PostgreSQL server was stopped for good');
    if (child && child.exitCode === null && child.signalCode === null) return;
    logLines = [];
    const proc = spawn(
      path.join(binDir, 'postgres'),
      [
        '-D', dataDir, '-p', String(port), '-k', socketDir,
        '-c', 'listen_addresses=127.0.0.1',
        '-c', 'fsync=off',
        '-c', 'full_page_writes=off',
        '-c', 'shared_buffers=32MB',
        '-c', 'max_connections=200',
        '-c', 'log_min_messages=warning',
      ],
      // detached: its own process group, apart from the test runner's (a Ctrl-C of vitest is not a database crash).
      { uid: user.uid, gid: user.gid, cwd: root, env: { ...process.env, HOME: root, LC_ALL: 'C' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer): void => {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (logLines.length > 200) logLines = logLines.slice(-200);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    proc.on('exit', () => running.delete(proc));
    running.add(proc);
    child = proc;
    await waitUntilReady(adminUrl(), dataDir, () => proc.exitCode === null && proc.signalCode === null, () => logLines.join('\n'));
  };

  const shutdown = async (): Promise<void> => {
    const proc = child;
    if (!proc) return;
    signalGroup(proc, 'SIGCONT'); // in case it was frozen
    // SIGINT = "fast" shutdown (what pg_ctl stop -m fast sends): roll back, disconnect, checkpoint.
    try {
      proc.kill('SIGINT');
    } catch {
      // Already gone.
    }
    if (!(await waitForExit(proc, 20_000))) {
      signalGroup(proc, 'SIGKILL');
      await waitForExit(proc, 5_000);
    }
  };

  const handle: TestPostgres = {
    get url() {
      return `postgres://postgres@127.0.0.1:${port}/planvas`;
    },
    get port() {
      return port;
    },
    dataDir,
    async stop() {
      if (removed) return;
      await shutdown();
      removed = true;
      fs.rmSync(root, { recursive: true, force: true });
    },
    async kill() {
      const proc = child;
      if (!proc?.pid) return;
      // Children first (found through their parent, the postmaster), then the postmaster: like a crash of the machine's database.
      const pids = serverPids(proc.pid);
      signalGroup(proc, 'SIGKILL');
      await waitForExit(proc, 10_000);
      // Wait until none of them runs any more (one still attached to shared memory would stop a restart).
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && pids.some(isRunning)) await new Promise((r) => setTimeout(r, 50));
    },
    async pause() {
      await shutdown();
    },
    async start() {
      await spawnServer();
    },
    async restart() {
      await shutdown();
      await spawnServer();
    },
    async freeze() {
      if (child) signalGroup(child, 'SIGSTOP');
    },
    async thaw() {
      if (child) signalGroup(child, 'SIGCONT');
    },
    log() {
      return logLines.join('\n');
    },
  };

  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await spawnServer();
        break;
      } catch (err) {
        if (attempt >= 3 || !/could not bind|address already in use|could not create any TCP\/IP sockets/i.test(String(err))) throw err;
        port = await freePort();
      }
    }
    await createDatabase(adminUrl(), 'planvas');
  } catch (err) {
    await handle.stop().catch(() => {});
    throw err;
  }
  return handle;
}

/** True while the process exists and is not a zombie. */
function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Creates an empty database `name` on the server of `url` and resolves with its URL (same
 * server, user and port). `name`: letters, digits and underscores.
 */
export async function createDatabase(url: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`createDatabase: "${name}" is not a plain identifier`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end().catch(() => {});
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

let databaseCounter = 0;

/** A fresh empty database with a unique name (per process), e.g. one per test. */
export async function createFreshDatabase(url: string, prefix = 'db'): Promise<string> {
  databaseCounter += 1;
  return createDatabase(url, `${prefix}_${process.pid}_${databaseCounter}`);
}
