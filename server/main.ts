import { ConfigError, parseConfig } from './config.ts';
import { createLogger } from './log.ts';
import { startServer } from './server.ts';

/**
 * Entry point: `node --import tsx server/main.ts [--port N] [--data-dir DIR] ...` (npm start
 * builds the client first). Logs JSON lines on stdout; the `listening` line carries `port`.
 * SIGTERM/SIGINT: close sockets with 1001, flush every board, close the database, exit 0.
 */
let parsed;
try {
  parsed = parseConfig(process.argv.slice(2), process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
if (parsed.kind === 'help') {
  process.stdout.write(`${parsed.text}\n`);
  process.exit(0);
}

const config = parsed.config;
const logger = createLogger(config.logLevel);

// Unexpected errors are logged as structured lines and still crash: a bug must not be masked.
process.on('uncaughtException', (err, origin) => {
  logger.error('uncaught exception', { err, origin });
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  logger.error('unhandled rejection', { err: reason });
  process.exit(1);
});

const server = await startServer(config, logger).catch((err: unknown) => {
  logger.error('failed to start', { err });
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  });
}
