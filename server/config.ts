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
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export class ConfigError extends Error {}

export type ParsedCommand = { kind: 'help'; text: string } | { kind: 'run'; config: Config };

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
] as const;

type OptionName = (typeof OPTIONS)[number]['flag'];

export function helpText(): string {
  const lines = ['Usage: npm start -- [options]', '', 'Options (flag, environment variable, default):'];
  for (const o of OPTIONS) {
    lines.push(`  --${o.flag.padEnd(20)} ${o.env.padEnd(27)} ${o.def === '' ? '(none)' : o.def}`);
    lines.push(`      ${o.help}`);
  }
  lines.push(`  ${'(no flag)'.padEnd(22)} ${'PLANVAS_SECRET'.padEnd(27)} (none)`);
  lines.push('      token signing secret; default: generated once into <data-dir>/secret (mode 0600)');
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
    },
  };
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
