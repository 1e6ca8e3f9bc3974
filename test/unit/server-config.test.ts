import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, ConfigError, helpText, parseConfig, redactUrl, withDefaults, type Config } from '../../server/config.ts';
import { ROOT } from '../helpers/server.ts';

function run(argv: string[], env: Record<string, string> = {}): Config {
  const parsed = parseConfig(argv, env, '/srv/planvas');
  if (parsed.kind !== 'run') throw new Error('expected a run config');
  return parsed.config;
}

describe('configuration', () => {
  it('has the documented defaults', () => {
    expect(run([])).toEqual({
      port: 8787,
      host: '0.0.0.0',
      dataDir: '/srv/planvas/data',
      secret: null,
      maxMessageBytes: 2 * 1024 * 1024,
      publicUrl: null,
      clientDir: '/srv/planvas/dist/client',
      compactAfterUpdates: 500,
      checkpointIntervalMs: 300_000,
      logLevel: 'info',
      databaseUrl: null,
      redisUrl: null,
      maxMessagesPerSecond: 300,
      maxConnectionsPerBoard: 500,
      maxConnectionsPerIp: 200,
      trustProxy: false,
      maxDocBytes: 64 * 1024 * 1024,
      maxBufferedBytes: 32 * 1024 * 1024,
      heartbeatMs: 30_000,
      awarenessFlushMs: 30,
      maxHeldBytes: 16 * 1024 * 1024,
      storageHoldMs: 30_000,
      logPollMs: 2_000,
    });
  });

  it('reads the issue-5 settings from the environment', () => {
    const c = run([], {
      DATABASE_URL: 'postgresql://planvas:s3cret@db.internal:5432/planvas',
      REDIS_URL: 'rediss://:pw@cache:6380/1',
      PLANVAS_MAX_MESSAGES_PER_SECOND: '0',
      PLANVAS_MAX_CONNECTIONS_PER_BOARD: '50',
      PLANVAS_MAX_CONNECTIONS_PER_IP: '7',
      PLANVAS_TRUST_PROXY: '1',
      PLANVAS_MAX_DOC_BYTES: '512KiB',
      PLANVAS_MAX_BUFFERED_BYTES: '2MiB',
      PLANVAS_HEARTBEAT_INTERVAL: '500ms',
      PLANVAS_AWARENESS_FLUSH: '0',
      PLANVAS_MAX_HELD_BYTES: '1G',
      PLANVAS_STORAGE_HOLD_TIMEOUT: '2m',
      PLANVAS_LOG_POLL_INTERVAL: '250ms',
    });
    expect(c).toMatchObject({
      databaseUrl: 'postgresql://planvas:s3cret@db.internal:5432/planvas',
      redisUrl: 'rediss://:pw@cache:6380/1',
      maxMessagesPerSecond: 0,
      maxConnectionsPerBoard: 50,
      maxConnectionsPerIp: 7,
      trustProxy: true,
      maxDocBytes: 512 * 1024,
      maxBufferedBytes: 2 * 1024 * 1024,
      heartbeatMs: 500,
      awarenessFlushMs: 0,
      maxHeldBytes: 1024 * 1024 * 1024,
      storageHoldMs: 120_000,
      logPollMs: 250,
    });
    expect(run(['--trust-proxy', 'false'], { PLANVAS_TRUST_PROXY: 'true' }).trustProxy).toBe(false);
    expect(run(['--database-url', 'postgres://h/db']).databaseUrl).toBe('postgres://h/db');
  });

  it('REDIS_URL without DATABASE_URL is refused with the reason', () => {
    expect(() => parseConfig([], { REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      'REDIS_URL needs DATABASE_URL: several instances must share one PostgreSQL database',
    );
  });

  it.each([
    [{ DATABASE_URL: 'mysql://u:p@h/db' }, '--database-url'],
    [{ DATABASE_URL: 'not a url' }, '--database-url'],
    [{ DATABASE_URL: 'postgres://h/db', REDIS_URL: 'http://h' }, '--redis-url'],
    [{ PLANVAS_TRUST_PROXY: 'maybe' }, '--trust-proxy'],
    [{ PLANVAS_MAX_DOC_BYTES: '64 furlongs' }, '--max-doc-bytes'],
    [{ PLANVAS_MAX_DOC_BYTES: '1' }, '--max-doc-bytes'],
    [{ PLANVAS_MAX_MESSAGES_PER_SECOND: '-5' }, '--max-messages-per-second'],
    [{ PLANVAS_HEARTBEAT_INTERVAL: '0' }, '--heartbeat-interval'],
    [{ PLANVAS_LOG_POLL_INTERVAL: 'soon' }, '--log-poll-interval'],
  ])('rejects %j naming the option', (env, option) => {
    expect(() => parseConfig([], env)).toThrow(option);
  });

  it('never repeats a database password in an error', () => {
    let message = '';
    try {
      parseConfig([], { DATABASE_URL: 'mysql://app:hunter2@h/db' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('--database-url');
    expect(message).not.toContain('hunter2');
  });

  it('redactUrl hides passwords and credential-like query parameters', () => {
    expect(redactUrl('postgres://app:hunter2@db:5432/planvas')).toBe('postgres://app:***@db:5432/planvas');
    expect(redactUrl('redis://:hunter2@cache:6379/0')).toBe('redis://:***@cache:6379/0');
    expect(redactUrl('postgres://db/planvas?sslmode=require&password=hunter2')).not.toContain('hunter2');
    expect(redactUrl('postgres://db/planvas')).toBe('postgres://db/planvas');
    expect(redactUrl('::not a url hunter2')).toBe('***');
    expect(redactUrl(null)).toBeNull();
  });

  it('withDefaults fills the optional fields of a hand-built config and keeps the given ones', () => {
    const base: Config = {
      port: 0,
      host: '127.0.0.1',
      dataDir: '/d',
      secret: null,
      maxMessageBytes: 4096,
      publicUrl: null,
      clientDir: '/c',
      compactAfterUpdates: 10,
      logLevel: 'info',
      heartbeatMs: 200,
      redisUrl: undefined,
    };
    const full = withDefaults(base);
    expect(full).toMatchObject({ ...CONFIG_DEFAULTS, heartbeatMs: 200, maxMessageBytes: 4096, redisUrl: null });
    expect(full.maxDocBytes).toBe(64 * 1024 * 1024);
  });

  it('reads the environment', () => {
    const c = run([], {
      PORT: '9000',
      HOST: '127.0.0.1',
      PLANVAS_DATA_DIR: '/var/lib/planvas',
      PLANVAS_SECRET: 'a-secret-of-enough-length',
      PLANVAS_MAX_MESSAGE_BYTES: '1048576',
      PLANVAS_PUBLIC_URL: 'https://plan.example.com/',
    });
    expect(c).toMatchObject({ port: 9000, host: '127.0.0.1', dataDir: '/var/lib/planvas', secret: 'a-secret-of-enough-length', maxMessageBytes: 1048576, publicUrl: 'https://plan.example.com' });
  });

  it('flags win over the environment', () => {
    const c = run(['--port', '0', '--data-dir', 'd', '--max-message-bytes=4096', '--host', '::1'], { PORT: '9000', PLANVAS_DATA_DIR: '/x' });
    expect(c).toMatchObject({ port: 0, dataDir: path.resolve('/srv/planvas', 'd'), maxMessageBytes: 4096, host: '::1' });
  });

  it('--help lists every option and its environment variable', () => {
    const parsed = parseConfig(['--help'], {});
    expect(parsed.kind).toBe('help');
    for (const word of ['--port', 'PORT', '--data-dir', 'PLANVAS_DATA_DIR', '--host', 'HOST', 'PLANVAS_SECRET', '--max-message-bytes', 'PLANVAS_MAX_MESSAGE_BYTES', '--public-url', 'PLANVAS_PUBLIC_URL', '--help',
      'DATABASE_URL', 'REDIS_URL', 'PLANVAS_MAX_MESSAGES_PER_SECOND', 'PLANVAS_MAX_CONNECTIONS_PER_BOARD', 'PLANVAS_MAX_CONNECTIONS_PER_IP', 'PLANVAS_TRUST_PROXY', 'PLANVAS_MAX_DOC_BYTES',
      'PLANVAS_MAX_BUFFERED_BYTES', 'PLANVAS_HEARTBEAT_INTERVAL', 'PLANVAS_AWARENESS_FLUSH', 'PLANVAS_MAX_HELD_BYTES', 'PLANVAS_STORAGE_HOLD_TIMEOUT', 'PLANVAS_LOG_POLL_INTERVAL']) {
      expect(helpText()).toContain(word);
    }
  });

  it.each([
    [['--port', 'abc']],
    [['--port', '70000']],
    [['--port', '-1']],
    [['--max-message-bytes', '10']],
    [['--public-url', 'ftp://x']],
    [['--log-level', 'loud']],
    [['--no-such-flag']],
    [['positional']],
  ])('rejects %j', (argv) => {
    expect(() => parseConfig(argv, {})).toThrow(ConfigError);
  });

  it('rejects a short PLANVAS_SECRET', () => {
    expect(() => parseConfig([], { PLANVAS_SECRET: 'short' })).toThrow(ConfigError);
  });

  it('the server entry prints --help and exits 0; a bad flag exits 2', () => {
    const help = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--data-dir');
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', 'x'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--port');
  });
});
