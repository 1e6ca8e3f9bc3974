import { parseArgs } from 'node:util';
import path from 'node:path';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../shared/protocol/wire.ts';

/**
 * Server configuration, from command-line flags first, then the environment, then defaults.
 * Pure: takes argv and env, returns a value or throws ConfigError, so it is unit-testable.
 *
 * @example parseConfig(['--port', '0'], process.env) // { port: 0, host: '0.0.0.0', ... }
 */
export interface Config {
  port: number;
  host: string;
  /** Absolute path of the directory holding the SQLite database and the token secret. */
  dataDir: string;
  /** Token signing secret from PLANVAS_SECRET; null means "use (or create) <dataDir>/secret". */
  secret: string | null;
  maxMessageBytes: number;
  /** Base URL for editUrl/viewUrl (no trailing slash); null means derive from the request. */
  publicUrl: string | null;
  /** Absolute path of the built client (dist/client). */
  clientDir: string;
  /** Compact a board's update log once it has this many rows. */
  compactAfterUpdates: number;
  /**
   * While a board has changes not yet in a version, an automatic version checkpoint is taken
   * this often (server/history). Optional so hand-built configs (tests) may omit it: 5 minutes.
   */
  checkpointIntervalMs?: number;
  logLevel: LogLevel;

  // Issue 5 (production server). Optional so hand-built configs (tests) may omit them;
  // `withDefaults(config)` fills in CONFIG_DEFAULTS. parseConfig always sets every one.
  /** PostgreSQL connection string (postgres:// or postgresql://); null means embedded SQLite in dataDir. Contains a password: log it only through redactUrl. */
  databaseUrl?: string | null;
  /** Redis URL (redis:// or rediss://) for cross-instance fan-out; null means one instance. Needs databaseUrl. */
  redisUrl?: string | null;
  /** Messages per second one connection may send (token bucket, burst 2x); 0 means unlimited. Over it, the server stops reading that socket. */
  maxMessagesPerSecond?: number;
  /** Open connections per board on this instance; more are refused with HTTP 503. 0 means unlimited. */
  maxConnectionsPerBoard?: number;
  /** Open connections per client IP on this instance; more are refused with HTTP 429. 0 means unlimited. */
  maxConnectionsPerIp?: number;
  /** Take the client IP from the last X-Forwarded-For hop (only behind a proxy that sets it). */
  trustProxy?: boolean;
  /** Largest encoded board document accepted; an edit that would grow it further is refused (4413). */
  maxDocBytes?: number;
  /** A peer whose unsent data exceeds this is cut off (slow consumer). */
  maxBufferedBytes?: number;
  /** Sockets are pinged this often; one that did not answer the previous ping is terminated. */
  heartbeatMs?: number;
  /** Awareness updates to a board are coalesced over this window; 0 sends each at once. */
  awarenessFlushMs?: number;
  /** While storage is unreachable, edits held in memory per board up to this many bytes; beyond, refused. */
  maxHeldBytes?: number;
  /** While storage is unreachable, edits are held at most this long before connections are told to retry (1013). */
  storageHoldMs?: number;
  /** How often a board on a shared store checks the log head for edits it missed on the fan-out. */
  logPollMs?: number;
}

/** Every Config field with a default, as parseConfig and withDefaults apply it. */
export type ResolvedConfig = Required<Config>;

const MiB = 1024 * 1024;

/** Defaults of the optional fields (also the defaults of their flags below). */
export const CONFIG_DEFAULTS = {
  checkpointIntervalMs: 5 * 60_000,
  databaseUrl: null,
  redisUrl: null,
  maxMessagesPerSecond: 300,
  maxConnectionsPerBoard: 500,
  maxConnectionsPerIp: 200,
  trustProxy: false,
  maxDocBytes: 64 * MiB,
  maxBufferedBytes: 32 * MiB,
  heartbeatMs: 30_000,
  awarenessFlushMs: 30,
  maxHeldBytes: 16 * MiB,
  storageHoldMs: 30_000,
  logPollMs: 2_000,
} as const satisfies Omit<{ [K in keyof Config]-?: Config[K] }, 'port' | 'host' | 'dataDir' | 'secret' | 'maxMessageBytes' | 'publicUrl' | 'clientDir' | 'compactAfterUpdates' | 'logLevel'>;

/**
 * A config with every optional field filled in from CONFIG_DEFAULTS (fields set to undefined
 * count as absent).
 *
 * @example const c = withDefaults({ port: 0, host: '127.0.0.1', ... }); c.heartbeatMs // 30000
 */
export function withDefaults(config: Config): ResolvedConfig {
  const out: Record<string, unknown> = { ...CONFIG_DEFAULTS };
  for (const [key, value] of Object.entries(config)) if (value !== undefined) out[key] = value;
  return out as unknown as ResolvedConfig;
}

/**
 * A URL with its password (and any token in the query) replaced by `***`, for logs.
 * Something that does not parse as a URL is shown as `***` altogether.
 *
 * @example redactUrl('postgres://app:hunter2@db/planvas') // 'postgres://app:***@db/planvas'
 */
export function redactUrl(url: string | null | undefined): string | null {
  if (url === null || url === undefined) return null;
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    // Some drivers accept credentials as query parameters (?password=...).
    for (const key of [...u.searchParams.keys()]) if (/pass|secret|token|key/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return '***';
  }
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export class ConfigError extends Error {}

export type ParsedCommand = { kind: 'help'; text: string } | { kind: 'run'; config: ResolvedConfig };

/** Every option, with its flag, environment variable and default; drives parsing and --help. */
const OPTIONS = [
  { flag: 'port', env: 'PORT', def: '8787', help: 'TCP port to listen on (0 picks a free one)' },
  { flag: 'host', env: 'HOST', def: '0.0.0.0', help: 'interface to bind' },
  { flag: 'data-dir', env: 'PLANVAS_DATA_DIR', def: './data', help: 'directory for the SQLite database and the token secret' },
  { flag: 'max-message-bytes', env: 'PLANVAS_MAX_MESSAGE_BYTES', def: String(DEFAULT_MAX_MESSAGE_BYTES), help: 'largest WebSocket message accepted; bigger ones close the connection with 1009' },
  { flag: 'public-url', env: 'PLANVAS_PUBLIC_URL', def: '', help: 'base URL used in editUrl/viewUrl (default: from the request Host header)' },
  { flag: 'client-dir', env: 'PLANVAS_CLIENT_DIR', def: './dist/client', help: 'built client to serve' },
  { flag: 'compact-after', env: 'PLANVAS_COMPACT_AFTER', def: '500', help: 'compact a board once its update log has this many rows' },
  { flag: 'checkpoint-interval', env: 'PLANVAS_CHECKPOINT_INTERVAL', def: '5m', help: 'automatic version checkpoint every this long while a board is edited: 500ms, 30s, 5m or seconds' },
  { flag: 'log-level', env: 'PLANVAS_LOG_LEVEL', def: 'info', help: 'debug | info | warn | error' },
  { flag: 'database-url', env: 'DATABASE_URL', def: '', help: 'PostgreSQL connection string (postgres://user:pass@host/db); default: SQLite in the data dir' },
  { flag: 'redis-url', env: 'REDIS_URL', def: '', help: 'Redis URL (redis:// or rediss://) for running several instances; needs DATABASE_URL' },
  { flag: 'max-messages-per-second', env: 'PLANVAS_MAX_MESSAGES_PER_SECOND', def: '300', help: 'messages per second per connection (bursts of 2x); beyond it the server reads that socket more slowly; 0 = unlimited' },
  { flag: 'max-connections-per-board', env: 'PLANVAS_MAX_CONNECTIONS_PER_BOARD', def: '500', help: 'open connections per board on this instance; more get HTTP 503; 0 = unlimited' },
  { flag: 'max-connections-per-ip', env: 'PLANVAS_MAX_CONNECTIONS_PER_IP', def: '200', help: 'open connections per client address on this instance; more get HTTP 429; 0 = unlimited' },
  { flag: 'trust-proxy', env: 'PLANVAS_TRUST_PROXY', def: 'false', help: 'true: the client address is the last X-Forwarded-For hop (set only behind a proxy that writes it)' },
  { flag: 'max-doc-bytes', env: 'PLANVAS_MAX_DOC_BYTES', def: '64MiB', help: 'largest board document; an edit that grows it further is refused (close 4413). Sizes: bytes or 512KiB, 64MiB, 1GiB' },
  { flag: 'max-buffered-bytes', env: 'PLANVAS_MAX_BUFFERED_BYTES', def: '32MiB', help: 'a connection whose unsent data exceeds this is cut off (slow consumer)' },
  { flag: 'heartbeat-interval', env: 'PLANVAS_HEARTBEAT_INTERVAL', def: '30s', help: 'ping every connection this often; one that did not answer the previous ping is dropped' },
  { flag: 'awareness-flush', env: 'PLANVAS_AWARENESS_FLUSH', def: '30ms', help: 'presence (cursors, selections) is coalesced over this window; 0 = send each at once' },
  { flag: 'max-held-bytes', env: 'PLANVAS_MAX_HELD_BYTES', def: '16MiB', help: 'while the database is unreachable, edits held in memory per board up to this size; beyond, refused' },
  { flag: 'storage-hold-timeout', env: 'PLANVAS_STORAGE_HOLD_TIMEOUT', def: '30s', help: 'while the database is unreachable, edits are held at most this long, then clients are told to retry (1013)' },
  { flag: 'log-poll-interval', env: 'PLANVAS_LOG_POLL_INTERVAL', def: '2s', help: 'how often a board on PostgreSQL checks the log for edits the fan-out missed' },
] as const;

type OptionName = (typeof OPTIONS)[number]['flag'];

export function helpText(): string {
  const lines = ['Usage: npm start -- [options]', '', 'Options (flag, environment variable, default):'];
  for (const o of OPTIONS) {
    lines.push(`  --${o.flag.padEnd(25)} ${o.env.padEnd(34)} ${o.def === '' ? '(none)' : o.def}`);
    lines.push(`      ${o.help}`);
  }
  lines.push(`  ${'(no flag)'.padEnd(27)} ${'PLANVAS_SECRET'.padEnd(34)} (none)`);
  lines.push('      token signing secret; default: on SQLite generated once into <data-dir>/secret (mode 0600), on PostgreSQL stored in the database by the first instance');
  lines.push(`  --help, -h`, '      print this help and exit');
  return lines.join('\n');
}

export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): ParsedCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
    for (const o of OPTIONS) options[o.flag] = { type: 'string' };
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${helpText()}`);
  }
  if (values.help === true) return { kind: 'help', text: helpText() };

  const get = (name: OptionName): string => {
    const o = OPTIONS.find((x) => x.flag === name)!;
    const flag = values[name];
    if (typeof flag === 'string') return flag;
    const fromEnv = env[o.env];
    return fromEnv !== undefined && fromEnv !== '' ? fromEnv : o.def;
  };

  const port = integer('port', get('port'), 0, 65535);
  const maxMessageBytes = integer('max-message-bytes', get('max-message-bytes'), 1024, 1024 * 1024 * 1024);
  const compactAfterUpdates = integer('compact-after', get('compact-after'), 1, 1_000_000);
  const checkpointIntervalMs = duration('checkpoint-interval', get('checkpoint-interval'), 100, 24 * 3600_000);
  const logLevel = get('log-level');
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) throw new ConfigError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const publicUrl = get('public-url');
  if (publicUrl !== '' && !/^https?:\/\/[^/]+/.test(publicUrl)) throw new ConfigError('--public-url must be an http(s) URL');
  const secret = env.PLANVAS_SECRET;
  if (secret !== undefined && secret !== '' && secret.length < 16) throw new ConfigError('PLANVAS_SECRET must be at least 16 characters');
  const host = get('host');
  if (host === '') throw new ConfigError('--host must not be empty');
  const databaseUrl = optionalUrl('database-url', get('database-url'), ['postgres:', 'postgresql:'], 'a postgres:// or postgresql:// URL');
  const redisUrl = optionalUrl('redis-url', get('redis-url'), ['redis:', 'rediss:'], 'a redis:// or rediss:// URL');
  if (redisUrl !== null && databaseUrl === null) throw new ConfigError('REDIS_URL needs DATABASE_URL: several instances must share one PostgreSQL database');

  return {
    kind: 'run',
    config: {
      port,
      host,
      dataDir: path.resolve(cwd, get('data-dir')),
      secret: secret === undefined || secret === '' ? null : secret,
      maxMessageBytes,
      publicUrl: publicUrl === '' ? null : publicUrl.replace(/\/+$/, ''),
      clientDir: path.resolve(cwd, get('client-dir')),
      compactAfterUpdates,
      checkpointIntervalMs,
      logLevel: logLevel as LogLevel,
      databaseUrl,
      redisUrl,
      maxMessagesPerSecond: integer('max-messages-per-second', get('max-messages-per-second'), 0, 1_000_000),
      maxConnectionsPerBoard: integer('max-connections-per-board', get('max-connections-per-board'), 0, 10_000_000),
      maxConnectionsPerIp: integer('max-connections-per-ip', get('max-connections-per-ip'), 0, 10_000_000),
      trustProxy: boolean('trust-proxy', get('trust-proxy')),
      maxDocBytes: bytes('max-doc-bytes', get('max-doc-bytes'), 64 * 1024, 64 * 1024 * MiB),
      maxBufferedBytes: bytes('max-buffered-bytes', get('max-buffered-bytes'), 64 * 1024, 64 * 1024 * MiB),
      heartbeatMs: duration('heartbeat-interval', get('heartbeat-interval'), 100, 3600_000),
      awarenessFlushMs: duration('awareness-flush', get('awareness-flush'), 0, 10_000),
      maxHeldBytes: bytes('max-held-bytes', get('max-held-bytes'), 0, 64 * 1024 * MiB),
      storageHoldMs: duration('storage-hold-timeout', get('storage-hold-timeout'), 0, 24 * 3600_000),
      logPollMs: duration('log-poll-interval', get('log-poll-interval'), 50, 3600_000),
    },
  };
}

/** '' means not set (null); otherwise a URL with one of `schemes`. The message never repeats the URL: it may hold a password. */
function optionalUrl(name: string, raw: string, schemes: readonly string[], what: string): string | null {
  const value = raw.trim();
  if (value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`--${name} must be ${what}; the value given is not a URL`);
  }
  if (!schemes.includes(url.protocol)) throw new ConfigError(`--${name} must be ${what}, got a ${url.protocol}// URL`);
  if (url.hostname === '' && !url.searchParams.has('host')) throw new ConfigError(`--${name} must name a host`);
  return value;
}

/** 1/true/yes/on or 0/false/no/off (any case). */
function boolean(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`--${name} must be true or false, got "${raw}"`);
}

/** A byte count, bare or with a binary suffix (K/KiB, M/MiB, G/GiB; KB/MB/GB are read as binary too), within [min, max]. */
function bytes(name: string, raw: string, min: number, max: number): number {
  const m = /^(\d+)\s*(k|kb|kib|m|mb|mib|g|gb|gib|b)?$/i.exec(raw.trim());
  if (!m) throw new ConfigError(`--${name} must be a size such as 1048576, 512KiB or 64MiB, got "${raw}"`);
  const unit = (m[2] ?? 'b').toLowerCase()[0] as 'b' | 'k' | 'm' | 'g';
  const n = Number(m[1]) * { b: 1, k: 1024, m: MiB, g: 1024 * MiB }[unit];
  if (n < min || n > max) throw new ConfigError(`--${name} must be between ${min} and ${max} bytes, got "${raw}"`);
  return n;
}

/** '500ms', '30s', '5m', '1h' or a bare number of seconds, in milliseconds, within [minMs, maxMs]. */
function duration(name: string, raw: string, minMs: number, maxMs: number): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(raw.trim());
  if (!m) throw new ConfigError(`--${name} must be a duration such as 500ms, 30s or 5m, got "${raw}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = Number(m[1]) * unit;
  if (ms < minMs || ms > maxMs) throw new ConfigError(`--${name} must be between ${minMs} ms and ${maxMs / 3600_000} h, got "${raw}"`);
  return ms;
}

function integer(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new ConfigError(`--${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}
