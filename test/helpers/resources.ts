import type { RawSocket, TestClient } from './clients.ts';
import type { TestServer } from './server.ts';

/**
 * Servers, clients and raw sockets a test file opens, closed together in `afterAll`:
 * clients first (no reconnect storms), then sockets, then servers.
 */
export function trackResources() {
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  const sockets: RawSocket[] = [];
  return {
    servers,
    clients,
    sockets,
    async cleanup(): Promise<void> {
      for (const c of clients) c.destroy();
      for (const r of sockets) r.ws.terminate();
      for (const s of servers) await s.close();
    },
  };
}
