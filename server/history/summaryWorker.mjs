// Worker thread entry for version summaries (server/history/summariser.ts): decoding and
// diffing whole board states takes about a second on a 10k-task board, which on the main
// thread would hold up every board's relays. Plain JS so it starts under node alone; the TS
// module is loaded through tsx, as scripts/start.mjs does for the server.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { summariseStates } = await import('./summarise.ts');

parentPort.on('message', ({ id, before, after }) => {
  try {
    parentPort.postMessage({ id, ok: true, summary: summariseStates(before ?? null, after) });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
parentPort.postMessage({ ready: true });
