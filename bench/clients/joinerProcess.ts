import { performance } from 'node:perf_hooks';
import { openClient, withTimeout, type LightClient } from './light.ts';
import type { ServerHandle } from '../servers/launch.ts';
import type { JoinOrder, JoinReport } from './joiners.ts';

/**
 * Child process of bench/clients/joiners.ts: opens the joins it is told to, at once, and reports
 * how long each took to sync, measured on its own clock from the moment it started them.
 */
const process_ = process as NodeJS.Process & { send(message: JoinReport): void };

process.on('message', (order: JoinOrder) => {
  const target: Pick<ServerHandle, 'name' | 'protocol' | 'wsUrl'> = { name: order.server.name, protocol: order.server.protocol, wsUrl: () => order.url };
  const started = performance.now();
  const clients: LightClient[] = Array.from({ length: order.count }, () => openClient(target, order.room, { task: false }));
  withTimeout(Promise.all(clients.map((c) => c.synced)), order.timeoutMs, `${order.count} joins`).then(
    (done) => {
      process_.send({ ok: true, ms: done.map((t) => t - started) });
      for (const c of clients) c.close();
    },
    (err: Error) => {
      process_.send({ ok: false, error: err.message });
      for (const c of clients) c.close();
    },
  );
});
