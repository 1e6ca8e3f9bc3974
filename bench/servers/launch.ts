import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { SystemName } from '../types.ts';
import { collectGarbage } from './inspector.ts';

/**
 * Launchers for the systems under test. Each runs as its own child process on 127.0.0.1,
 * pinned with `taskset -c <serverCpus>` when given, so the harness (this process) and the
 * server never share a core.
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Fixed secret for the Planvas child (tokens are still created through POST /api/boards). */
const BENCH_SECRET = 'planvas-bench-secret-0123456789abcdef';

export interface Room {
  /** Room / board id. */
  id: string;
  /** Edit token (Planvas), '' elsewhere. */
  token: string;
}

export interface ServerHandle {
  name: SystemName;
  port: number;
  pid: number;
  /** What the light client speaks: y-websocket framing, Hocuspocus framing (document name prefix + auth), or a relay (no sync answers). */
  protocol: 'y-websocket' | 'hocuspocus' | 'relay';
  /** WebSocket URL for a room. */
  wsUrl(room: Room): string;
  /** A new room (Planvas: POST /api/boards; elsewhere a fresh name). */
  createRoom(): Promise<Room>;
  /** VmRSS of the server process, KB. */
  rssKB(): number;
  /** performance.now() at spawn and when the server said it listens. */
  spawnedAt: number;
  listeningAt: number;
  /** Planvas only: the data dir and the number of open rooms (/healthz). */
  dataDir?: string;
  openRooms?(): Promise<number>;
  /** Launched with `inspect`: a full garbage collection in the server process (memory figures). */
  collectGarbage?(): Promise<void>;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  /** Start the server with the inspector on a loopback port, so `collectGarbage` works. Memory suite only. */
  inspect?: boolean;
}

/** Node flags and the handle's collectGarbage for `opts.inspect`. */
async function inspection(opts: LaunchOptions): Promise<{ flags: string[]; collectGarbage?: () => Promise<void> }> {
  if (!opts.inspect) return { flags: [] };
  const port = await freePort();
  return { flags: [`--inspect=127.0.0.1:${port}`], collectGarbage: () => collectGarbage(port) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function rssKBOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

let roomCounter = 0;
const randomRoom = (): Room => ({ id: `bench-${process.pid}-${Date.now().toString(36)}-${roomCounter++}`, token: '' });

interface Spawned {
  child: ChildProcess;
  spawnedAt: number;
  listeningAt: number;
  stop(): Promise<void>;
}

/** Spawns `node <args>` (pinned), resolves once a stdout line matches `ready`. */
function spawnNode(args: string[], env: Record<string, string>, cpus: string | null, ready: (line: string) => boolean, timeoutMs = 30_000): Promise<Spawned> {
  const cmd = cpus ? 'taskset' : process.execPath;
  const argv = cpus ? ['-c', cpus, process.execPath, ...args] : args;
  const spawnedAt = performance.now();
  const child = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    if (stderr.length < 20_000) stderr += c;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let done = false;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server ${args.join(' ')} did not start in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    void exited.then(() => {
      clearTimeout(timer);
      if (!done) reject(new Error(`server ${args.join(' ')} exited before listening\n${stderr}`));
    });
    let buf = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      if (done) return;
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) !== -1) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!done && ready(line)) {
          done = true;
          clearTimeout(timer);
          resolve({ child, spawnedAt, listeningAt: performance.now(), stop });
        }
      }
    });
  });
}

export interface PlanvasLaunchOptions extends LaunchOptions {
  /** Reuse a data dir (restart); default: a new temp dir, removed by stop(). */
  dataDir?: string;
  keepDataDir?: boolean;
}

export async function launchPlanvas(cpus: string | null, opts: PlanvasLaunchOptions = {}): Promise<ServerHandle> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'planvas-bench-'));
  const port = await freePort();
  // PLANVAS_BENCH_SERVER_ROOT: run the Planvas server from another checkout (a git worktree of
  // an older commit), to measure an optimisation before and after with the same harness.
  const serverMain = path.join(process.env.PLANVAS_BENCH_SERVER_ROOT ?? ROOT, 'server/main.ts');
  const inspect = await inspection(opts);
  const s = await spawnNode(
    [...inspect.flags, '--import', 'tsx', serverMain, '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir],
    // The harness is hundreds of users behind one address (127.0.0.1): the per-address limit
    // would refuse them. Every other limit keeps its production default.
    { PLANVAS_SECRET: BENCH_SECRET, PLANVAS_LOG_LEVEL: 'info', PLANVAS_MAX_CONNECTIONS_PER_IP: '0' },
    cpus,
    (line) => line.includes('"listening"'),
  );
  const base = `http://127.0.0.1:${port}`;
  return {
    name: 'planvas',
    port,
    pid: s.child.pid!,
    protocol: 'y-websocket',
    wsUrl: (room) => `ws://127.0.0.1:${port}/ws/${room.id}?token=${encodeURIComponent(room.token)}`,
    async createRoom() {
      const res = await fetch(`${base}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"bench"}' });
      if (res.status !== 201) throw new Error(`create board: ${res.status}`);
      const body = (await res.json()) as { id: string; editToken: string };
      return { id: body.id, token: body.editToken };
    },
    rssKB: () => rssKBOf(s.child.pid!),
    spawnedAt: s.spawnedAt,
    listeningAt: s.listeningAt,
    dataDir,
    async openRooms() {
      const res = await fetch(`${base}/healthz`);
      return ((await res.json()) as { rooms: number }).rooms;
    },
    collectGarbage: inspect.collectGarbage,
    async stop() {
      await s.stop();
      if (!opts.dataDir && !opts.keepDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A peer server run as a node script on a free port: its rooms are fresh names, nothing to create. */
async function launchScript(
  name: SystemName,
  protocol: ServerHandle['protocol'],
  script: string,
  env: (port: number) => Record<string, string>,
  ready: (line: string) => boolean,
  wsUrl: (port: number, room: Room) => string,
  cpus: string | null,
  opts: LaunchOptions,
): Promise<ServerHandle> {
  const port = await freePort();
  const inspect = await inspection(opts);
  const s = await spawnNode([...inspect.flags, script], env(port), cpus, ready);
  return {
    name,
    port,
    pid: s.child.pid!,
    protocol,
    wsUrl: (room) => wsUrl(port, room),
    createRoom: async () => randomRoom(),
    rssKB: () => rssKBOf(s.child.pid!),
    spawnedAt: s.spawnedAt,
    listeningAt: s.listeningAt,
    collectGarbage: inspect.collectGarbage,
    stop: s.stop,
  };
}

export function launchYWebsocketServer(cpus: string | null, opts: LaunchOptions = {}): Promise<ServerHandle> {
  return launchScript(
    'y-websocket-server',
    'y-websocket',
    'node_modules/@y/websocket-server/src/server.js',
    (port) => ({ HOST: '127.0.0.1', PORT: String(port) }),
    (l) => l.includes('running at'),
    (port, room) => `ws://127.0.0.1:${port}/${room.id}`,
    cpus,
    opts,
  );
}

export function launchHocuspocus(cpus: string | null, opts: LaunchOptions = {}): Promise<ServerHandle> {
  return launchScript(
    'hocuspocus',
    'hocuspocus',
    'bench/servers/hocuspocus-server.mjs',
    (port) => ({ PORT: String(port), NODE_ENV: 'production' }),
    (l) => l.startsWith('listening'),
    (port) => `ws://127.0.0.1:${port}`,
    cpus,
    opts,
  );
}

export function launchRawRelay(cpus: string | null, opts: LaunchOptions = {}): Promise<ServerHandle> {
  return launchScript(
    'raw-relay',
    'relay',
    'bench/servers/raw-relay.mjs',
    (port) => ({ PORT: String(port) }),
    (l) => l.startsWith('listening'),
    (port, room) => `ws://127.0.0.1:${port}/${room.id}`,
    cpus,
    opts,
  );
}

export function launch(name: SystemName, cpus: string | null, opts: LaunchOptions = {}): Promise<ServerHandle> {
  switch (name) {
    case 'planvas':
      return launchPlanvas(cpus, opts);
    case 'y-websocket-server':
      return launchYWebsocketServer(cpus, opts);
    case 'hocuspocus':
      return launchHocuspocus(cpus, opts);
    case 'raw-relay':
      return launchRawRelay(cpus, opts);
  }
}

/** The systems a fan-out style suite measures (PLANVAS_BENCH_SYSTEMS=planvas,... narrows it, e.g. for a before/after run). */
export function systemsFor(rawRelay: boolean): SystemName[] {
  const all: SystemName[] = rawRelay ? ['planvas', 'y-websocket-server', 'hocuspocus', 'raw-relay'] : ['planvas', 'y-websocket-server', 'hocuspocus'];
  const only = process.env.PLANVAS_BENCH_SYSTEMS?.split(',');
  return only ? all.filter((s) => only.includes(s)) : all;
}
