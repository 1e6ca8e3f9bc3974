import type * as Y from 'yjs';
import { connectClient, type RawSocket, type TestClient } from './clients.ts';
import { startTestServer, type ServerOptions, type TestServer } from './server.ts';

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
    /** Starts an in-process test server, closed by `cleanup`. */
    async start(opts: ServerOptions = {}): Promise<TestServer> {
      const s = await startTestServer(opts);
      servers.push(s);
      return s;
    },
    /** Connects a y-websocket client to `s`, destroyed by `cleanup`. */
    client(s: TestServer, boardId: string, token: string, opts: { doc?: Y.Doc } = {}): TestClient {
      const c = connectClient(s.wsUrl, boardId, token, opts);
      clients.push(c);
      return c;
    },
    async cleanup(): Promise<void> {
      for (const c of clients) c.destroy();
      for (const r of sockets) r.ws.terminate();
      for (const s of servers) await s.close();
    },
  };
}
