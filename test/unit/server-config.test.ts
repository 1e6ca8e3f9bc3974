import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, parseConfig, type Config } from '../../server/config.ts';
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
    });
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
    for (const word of ['--port', 'PORT', '--data-dir', 'PLANVAS_DATA_DIR', '--host', 'HOST', 'PLANVAS_SECRET', '--max-message-bytes', 'PLANVAS_MAX_MESSAGE_BYTES', '--public-url', 'PLANVAS_PUBLIC_URL', '--help']) {
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
