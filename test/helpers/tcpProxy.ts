import net from 'node:net';

/**
 * A tiny TCP proxy on 127.0.0.1 for fault tests. Two uses:
 * - between one Planvas instance and PostgreSQL, so a test can cut that instance off the
 *   database (`cut()`) without stopping PostgreSQL for everyone, and bring it back (`restore()`);
 * - in front of several instances as a dumb layer-4 load balancer: each new connection goes to
 *   the first target that accepts it (in order), so clients reconnecting after their instance
 *   died land on a live one, exactly as behind any load balancer without health checks.
 *
 * @example
 *   const proxy = await startTcpProxy([pgPort]);
 *   // DATABASE_URL=postgres://...@127.0.0.1:${proxy.port}/db
 *   proxy.cut('reset'); ...; proxy.restore();
 *   await proxy.close();
 */
export interface TcpProxy {
  /** The port clients connect to. */
  port: number;
  /** Where new connections go (first that accepts). Changing it does not move open connections. */
  targets: number[];
  /**
   * Stops forwarding. 'reset': every open connection is destroyed and new ones are accepted and
   * destroyed at once (the peer sees ECONNRESET/EOF, like a crashed server). 'blackhole': open
   * connections stop passing bytes and new ones are accepted but never answered (like a
   * partitioned network; only timeouts notice).
   */
  cut(mode: 'reset' | 'blackhole'): void;
  /** Forwards again (new connections; blackholed ones that are still open resume). */
  restore(): void;
  /** Connections currently forwarded. */
  readonly open: number;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket | null;
}

export async function startTcpProxy(targets: number[]): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let mode: 'open' | 'reset' | 'blackhole' = 'open';

  const destroy = (pair: Pair) => {
    pair.client.destroy();
    pair.upstream?.destroy();
    pairs.delete(pair);
  };

  /** Tries the targets in order; resolves with the first socket that connected, or null. */
  const connectUpstream = async (): Promise<net.Socket | null> => {
    for (const port of [...proxy.targets]) {
      const socket = await new Promise<net.Socket | null>((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port });
        s.once('connect', () => {
          s.removeAllListeners('error');
          resolve(s);
        });
        s.once('error', () => resolve(null));
      });
      if (socket) return socket;
    }
    return null;
  };

  const server = net.createServer((client) => {
    const pair: Pair = { client, upstream: null };
    pairs.add(pair);
    client.on('error', () => destroy(pair));
    client.on('close', () => destroy(pair));
    if (mode === 'reset') {
      destroy(pair);
      return;
    }
    client.pause();
    const start = () => {
      void connectUpstream().then((upstream) => {
        if (!pairs.has(pair)) {
          upstream?.destroy();
          return;
        }
        if (!upstream) {
          destroy(pair);
          return;
        }
        pair.upstream = upstream;
        upstream.on('error', () => destroy(pair));
        upstream.on('close', () => destroy(pair));
        client.pipe(upstream);
        upstream.pipe(client);
        if (mode === 'blackhole') {
          client.pause();
          upstream.pause();
        } else client.resume();
      });
    };
    if (mode === 'blackhole') waiting.add(start);
    else start();
  });
  // Connections accepted during a blackhole, started on restore().
  const waiting = new Set<() => void>();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  const proxy: TcpProxy = {
    port,
    targets: [...targets],
    cut(how) {
      mode = how;
      for (const pair of [...pairs]) {
        if (how === 'reset') destroy(pair);
        else {
          // unpipe is not needed: a paused readable stops the pipe; both directions stall.
          pair.client.pause();
          pair.upstream?.pause();
        }
      }
    },
    restore() {
      mode = 'open';
      for (const pair of pairs) {
        pair.client.resume();
        pair.upstream?.resume();
      }
      const starts = [...waiting];
      waiting.clear();
      for (const start of starts) start();
    },
    get open() {
      return pairs.size;
    },
    async close() {
      waiting.clear();
      for (const pair of [...pairs]) destroy(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
