import * as Y from 'yjs';
import type { CreateBoardResponse } from '../../shared/protocol/api.ts';
import { createTask, moveShapes, updateShape } from '../../shared/doc/ops.ts';
import { boardMaps } from '../../shared/doc/structure.ts';
import { connectClient, waitFor, type TestClient } from './clients.ts';
import { createBoard, makeTempDir, removeTempDir, spawnServer, TEST_SECRET, type ChildServer, type LogLine } from './server.ts';

/**
 * Several Planvas instances as child processes (`node --import tsx server/main.ts`) sharing one
 * PostgreSQL database (DATABASE_URL) and, optionally, one Redis (REDIS_URL): the multi-instance
 * deployment of docs/operations.md, in a test. Instances can be SIGKILLed, SIGTERMed and
 * restarted (on a new port, same database); every child's log lines are kept across restarts
 * for `report()` when a test fails. `close()` stops everything it started, even mid-test.
 *
 * @example
 *   const cluster = await startCluster({ databaseUrl, redisUrl, size: 2 });
 *   const board = await cluster.createBoard(0, 'Plan');
 *   const a = cluster.connect(0, board.id, board.editToken);
 *   const b = cluster.connect(1, board.id, board.editToken);
 *   await waitForConvergence([a, b]);
 *   await cluster.sigkill(0);
 *   await cluster.close();
 */
export interface ClusterOptions {
  /** postgres://... shared by every instance (unless `instanceEnv` overrides DATABASE_URL). */
  databaseUrl: string;
  /** redis://...; null or absent: no fan-out (instances follow the log only). */
  redisUrl?: string | null;
  /** Number of instances started at once. Default 2. */
  size?: number;
  /** PLANVAS_SECRET of every instance. Default TEST_SECRET; null: none (the secret comes from the database). */
  secret?: string | null;
  /** Extra environment for every instance (e.g. PLANVAS_LOG_POLL_INTERVAL). */
  env?: Record<string, string>;
  /** Extra environment for one instance, applied last (e.g. its DATABASE_URL through a TCP proxy). */
  instanceEnv?: (index: number) => Record<string, string>;
  /** Log level of the children. Default 'info'. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Cluster {
  readonly size: number;
  /** The running instance i; throws when it is stopped. */
  node(i: number): ChildServer;
  isRunning(i: number): boolean;
  /** Starts instance i (again): same database, new data dir, new port. Throws if it runs. */
  start(i: number, env?: Record<string, string>): Promise<ChildServer>;
  sigkill(i: number): Promise<ExitInfo>;
  sigterm(i: number): Promise<ExitInfo>;
  /** SIGTERM (when running), then start: start-up recovers from the log. */
  restart(i: number, env?: Record<string, string>): Promise<ChildServer>;
  /** POST /api/boards through instance i. */
  createBoard(i: number, title?: string): Promise<CreateBoardResponse>;
  /** A stock y-websocket client on instance i (destroyed by close()). */
  connect(i: number, boardId: string, token: string, opts?: { doc?: Y.Doc }): TestClient;
  /** A stock y-websocket client on any ws URL (a load balancer in front of the instances). */
  connectTo(wsUrl: string, boardId: string, token: string, opts?: { doc?: Y.Doc }): TestClient;
  /** /metrics of instance i, as text. */
  metricsText(i: number): Promise<string>;
  /** Sum of every sample of `name` (all label sets) on instance i's /metrics; 0 when absent. */
  metric(i: number, name: string): Promise<number>;
  /** Every log line instance i printed, over all its starts. */
  logs(i: number): LogLine[];
  /** Instances that exited without being told to (a crash: the fault was not survived). */
  crashes(): Array<{ instance: number } & ExitInfo>;
  /** Every instance's logs and stderr (for a failed test). */
  report(): string;
  /** Destroys the clients, SIGKILLs the instances, removes the data dirs. Idempotent. */
  close(): Promise<void>;
}

/** Children of every cluster in this process, killed if the test process exits without cleaning up. */
const everyChild = new Set<ChildServer>();
process.on('exit', () => {
  for (const c of everyChild) c.child.kill('SIGKILL');
});

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const size = opts.size ?? 2;
  const current: (ChildServer | null)[] = Array.from({ length: size }, () => null);
  const generations: ChildServer[][] = Array.from({ length: size }, () => []);
  const dirs: string[] = [];
  const clients: TestClient[] = [];
  /** Children this cluster sent a signal to; any other exit is a crash. */
  const signalled = new WeakSet<ChildServer>();
  const crashes: Array<{ instance: number } & ExitInfo> = [];
  let closed = false;

  const baseEnv = (i: number): Record<string, string> => ({
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl ?? '',
    // An empty PLANVAS_SECRET means "none" to server/config.ts.
    PLANVAS_SECRET: opts.secret === undefined ? TEST_SECRET : (opts.secret ?? ''),
    PLANVAS_LOG_LEVEL: opts.logLevel ?? 'info',
    ...opts.env,
    ...opts.instanceEnv?.(i),
  });

  const node = (i: number): ChildServer => {
    const c = current[i];
    if (!c) throw new Error(`instance ${i} is not running`);
    return c;
  };

  const start = async (i: number, env: Record<string, string> = {}): Promise<ChildServer> => {
    if (closed) throw new Error('cluster closed');
    if (current[i]) throw new Error(`instance ${i} is already running`);
    // Each start gets its own data dir: nothing may be shared through the disk, only the database.
    const dataDir = makeTempDir(`planvas-cluster-${i}-`);
    dirs.push(dataDir);
    const child = await spawnServer({ dataDir, env: { ...baseEnv(i), ...env }, startTimeoutMs: 30_000 });
    if (closed) {
      // close() ran while this one was starting: it would otherwise outlive the test.
      await child.kill('SIGKILL');
      throw new Error('cluster closed');
    }
    everyChild.add(child);
    child.child.once('exit', (code, sig) => {
      everyChild.delete(child);
      if (current[i] === child) current[i] = null;
      if (!signalled.has(child) && !closed) crashes.push({ instance: i, code, signal: sig });
    });
    current[i] = child;
    generations[i]!.push(child);
    return child;
  };

  const signal = async (i: number, sig: NodeJS.Signals): Promise<ExitInfo> => {
    const child = node(i);
    signalled.add(child);
    const exit = await child.kill(sig);
    if (current[i] === child) current[i] = null;
    return exit;
  };

  const cluster: Cluster = {
    size,
    node,
    isRunning: (i) => current[i] !== null,
    start,
    sigkill: (i) => signal(i, 'SIGKILL'),
    sigterm: (i) => signal(i, 'SIGTERM'),
    async restart(i, env) {
      if (current[i]) await signal(i, 'SIGTERM');
      return start(i, env);
    },
    createBoard: (i, title) => createBoard(node(i).url, title),
    connect(i, boardId, token, o) {
      return cluster.connectTo(node(i).wsUrl, boardId, token, o);
    },
    connectTo(wsUrl, boardId, token, o) {
      const c = connectClient(wsUrl, boardId, token, o);
      clients.push(c);
      return c;
    },
    async metricsText(i) {
      const res = await fetch(`${node(i).url}/metrics`);
      return res.text();
    },
    async metric(i, name) {
      return sumMetric(await cluster.metricsText(i), name);
    },
    logs: (i) => generations[i]!.flatMap((g) => g.logs),
    crashes: () => [...crashes],
    report() {
      const out: string[] = [];
      generations.forEach((gens, i) =>
        gens.forEach((g, n) => {
          out.push(`--- instance ${i} start #${n + 1} (port ${g.port}, exit ${JSON.stringify({ code: g.child.exitCode, signal: g.child.signalCode })})`);
          // The last lines matter most (what happened just before the failure); keep the report readable.
          if (g.logs.length > 300) out.push(`(${g.logs.length - 300} earlier lines left out)`);
          for (const line of g.logs.slice(-300)) out.push(JSON.stringify(line));
          if (g.stderr()) out.push(`stderr:\n${g.stderr()}`);
        }),
      );
      return out.join('\n');
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const c of clients) c.destroy();
      for (let i = 0; i < size; i++) {
        const c = current[i];
        current[i] = null;
        if (c) await c.kill('SIGKILL');
      }
      for (const d of dirs) removeTempDir(d);
    },
  };

  try {
    // All at once, as an orchestrator starts them: schema creation and (without PLANVAS_SECRET)
    // the first-wins shared secret must be safe when instances race.
    await Promise.all(Array.from({ length: size }, (_, i) => start(i)));
  } catch (err) {
    const report = cluster.report();
    await cluster.close();
    throw new Error(`${(err as Error).message}\n${report}`);
  }
  return cluster;
}

/** The sum of every sample of a metric in Prometheus text (all label sets); 0 when absent. */
export function sumMetric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && m[1] === name) sum += Number(m[3]);
  }
  return sum;
}

/**
 * The board's content as plain JSON (what a user sees), for comparing documents. Keys sorted:
 * a Y.Map lists its keys in the order this replica received them, which differs between peers.
 */
export function boardJson(doc: Y.Doc): string {
  const maps = boardMaps(doc);
  return JSON.stringify(sortKeys({ tasks: maps.tasks.toJSON(), deps: maps.deps.toJSON(), notes: maps.notes.toJSON(), meta: maps.meta.toJSON() }));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, sortKeys(record[k])]));
}

/** True when every doc has the same state vector and the same board content. */
export function converged(docs: readonly Y.Doc[]): boolean {
  if (docs.length < 2) return true;
  const sv = Buffer.from(Y.encodeStateVector(docs[0]!));
  const json = boardJson(docs[0]!);
  return docs.every((d) => Buffer.from(Y.encodeStateVector(d)).equals(sv) && boardJson(d) === json);
}

/** Waits until the clients' documents are identical; resolves with how long it took (ms). */
export async function waitForConvergence(clients: readonly TestClient[], timeoutMs = 20_000, what = 'clients converge'): Promise<number> {
  const started = Date.now();
  try {
    await waitFor(() => converged(clients.map((c) => c.doc)), `${what} (${clients.length} clients)`, timeoutMs, 25);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${describeDocs(clients)}`);
  }
  return Date.now() - started;
}

/** One line per client: where it is connected, its tasks and its state vector (why clients differ). */
export function describeDocs(clients: readonly TestClient[]): string {
  return clients
    .map((c, i) => {
      const sv = [...Y.decodeStateVector(Y.encodeStateVector(c.doc))].map(([id, clock]) => `${id}:${clock}`).join(' ');
      const where = c.provider.url.replace(/\?.*/, '');
      return `client ${i} (${where}, ${c.provider.wsconnected ? 'connected' : 'disconnected'}, closes ${JSON.stringify(c.closeCodes)}): ${boardMaps(c.doc).tasks.size} tasks; sv ${sv}`;
    })
    .join('\n');
}

/**
 * True when `doc` holds everything `other` holds: every client's clock at least as far, and
 * nothing of `other` missing (its update applied to `doc` changes nothing).
 */
export function covers(doc: Y.Doc, other: Y.Doc | Uint8Array): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(doc));
  const want = Y.decodeStateVector(other instanceof Y.Doc ? Y.encodeStateVector(other) : other);
  for (const [client, clock] of want) if ((have.get(client) ?? 0) < clock) return false;
  return true;
}

/** Every task id the client's document has held since now, recorded as updates arrive. */
export function observeTaskIds(client: TestClient): Set<string> {
  const seen = new Set<string>();
  const tasks = boardMaps(client.doc).tasks;
  for (const id of tasks.keys()) seen.add(id);
  tasks.observe((event) => {
    for (const [id, change] of event.changes.keys) if (change.action !== 'delete') seen.add(id);
  });
  return seen;
}

/**
 * One edit as a user makes them: mostly new tasks, also renames and moves of existing ones
 * (concurrent edits of the same task by several clients included). Returns the id touched.
 */
export function randomEdit(doc: Y.Doc, random: () => number, label: string): string {
  const ids = [...boardMaps(doc).tasks.keys()];
  const roll = random();
  if (ids.length === 0 || roll < 0.5) return createTask(doc, { title: label, x: Math.floor(random() * 2000), y: Math.floor(random() * 2000) });
  const id = ids[Math.floor(random() * ids.length)]!;
  if (roll < 0.75) updateShape(doc, id, { title: label });
  else moveShapes(doc, [{ id, x: Math.floor(random() * 2000), y: Math.floor(random() * 2000) }]);
  return id;
}

/** Waits until every client has synced once; on timeout, says which did not and what close codes they got. */
export async function synced(clients: readonly TestClient[], timeoutMs = 15_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Set(clients);
  for (const c of clients) void c.synced.then(() => pending.delete(c));
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const which = [...pending].map((c) => `${c.provider.url.replace(/\?.*/, '')} closes ${JSON.stringify(c.closeCodes)}`);
      reject(new Error(`${pending.size} of ${clients.length} clients did not sync within ${timeoutMs} ms: ${which.join('; ')}`));
    }, timeoutMs);
  });
  try {
    await Promise.race([Promise.all(clients.map((c) => c.synced)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
