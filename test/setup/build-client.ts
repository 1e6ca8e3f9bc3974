import { buildClientIfNeeded } from '../../scripts/build-if-needed.mjs';

/**
 * Vitest global setup: the end-to-end tests serve dist/client, so build it when it is
 * missing or older than its sources (the same rule as `npm start`).
 */
export default async function setup(): Promise<void> {
  await buildClientIfNeeded({ log: (msg) => process.stderr.write(`[build-client] ${msg}\n`) });
}
