// The ceiling: a bare ws relay that broadcasts every message of a room (the URL path) to the
// room's other sockets. It does not speak Yjs (no sync answers, no document).
// `PORT=n node bench/servers/raw-relay.mjs`
import http from 'node:http';
import { WebSocketServer } from 'ws';

const port = Number(process.env.PORT);
const rooms = new Map();
const server = http.createServer((_req, res) => res.end('raw relay'));
const wss = new WebSocketServer({ server, maxPayload: 64 * 1024 * 1024 });
wss.on('connection', (ws, req) => {
  const room = (req.url ?? '/').split('?')[0];
  let peers = rooms.get(room);
  if (!peers) rooms.set(room, (peers = new Set()));
  peers.add(ws);
  ws.on('error', () => {});
  ws.on('message', (data, isBinary) => {
    for (const peer of peers) if (peer !== ws && peer.readyState === 1) peer.send(data, { binary: isBinary });
  });
  ws.on('close', () => {
    peers.delete(ws);
    if (peers.size === 0) rooms.delete(room);
  });
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
