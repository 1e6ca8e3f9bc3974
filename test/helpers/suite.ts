import { afterAll } from 'vitest';
import { connectClient, type TestClient } from './clients.ts';
import { boardApiUrl, makeTempDir, removeTempDir, type TestServer } from './server.ts';

/**
 * What a REST or sync suite keeps around its server: a data dir that outlives a restart, the
 * clients its tests open, and the board URL builder. The suite starts the server itself (in
 * its beforeAll, on `dataDir`), so a test may close it and start another on the same dir;
 * the afterAll registered here destroys the clients, closes whichever server is current by
 * then and removes the dir.
 *
 * @example
 * let server: TestServer;
 * const { dataDir, url, client } = serverSuite(() => server);
 * beforeAll(async () => {
 *   server = await startTestServer({ dataDir });
 * });
 */
export function serverSuite(current: () => TestServer | undefined) {
  const dataDir = makeTempDir();
  const clients: TestClient[] = [];
  const server = (): TestServer => {
    const s = current();
    if (!s) throw new Error('the suite server is used before beforeAll started it');
    return s;
  };
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await current()?.close();
    removeTempDir(dataDir);
  });
  /** A stock y-websocket client on the current server, destroyed after the suite. */
  const connect = (boardId: string, token: string): TestClient => {
    const c = connectClient(server().wsUrl, boardId, token);
    clients.push(c);
    return c;
  };
  return {
    dataDir,
    /** Every client the suite opened (a test may add its own or destroy them early). */
    clients,
    connect,
    /** Like `connect`, resolved once the client has the server's state. */
    async client(boardId: string, token: string): Promise<TestClient> {
      const c = connect(boardId, token);
      await c.synced;
      return c;
    },
    /** boardApiUrl on the current server. */
    url: (boardId: string, route = '', token?: string, query = '') => boardApiUrl(server().url, boardId, route, token, query),
  };
}
