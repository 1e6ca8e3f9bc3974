import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Room, ServerHandle } from '../servers/launch.ts';

/**
 * A light benchmark client: a real Y.Doc for its own edits (real Yjs updates in the board
 * schema: one task Y.Map per client), speaking the y-websocket protocol (or Hocuspocus's
 * framing: document name prefix + auth message) over `ws`. Unlike the stock provider it does
 * not integrate remote updates into its doc: it only scans them for the edit marker, so one
 * harness core can drive hundreds of clients. 'sink' clients stop parsing frames once synced
 * (the bytes are still read from the socket) so large rooms do not saturate the harness.
 */
export const MARK = '@@';
const DOT = '.'.charCodeAt(0);
const ZERO = '0'.charCodeAt(0);

export interface LightClient {
  cid: number;
  room: Room;
  doc: Y.Doc;
  ws: WebSocket;
  /** performance.now() when the server's sync step 2 arrived (relay: when the socket opened). */
  synced: Promise<number>;
  /** Called for each edit marker (`@@<sender cid>.<n>@@`) in a received frame. */
  onMarker: ((senderCid: number, n: number, now: number) => void) | null;
  /** Applies the next edit to this client's task and sends it; returns the marker. */
  edit(n: number): string;
  /**
   * Applies edit `n` to this client's doc now and returns the frame that carries it, unsent
   * (the same bytes edit(n) would send), so a load run can do its Yjs work before it measures.
   * Frames must be sent in the order they were prepared.
   */
  prepareEdit(n: number): Uint8Array;
  /** Sends a frame made by prepareEdit. */
  sendFrame(frame: Uint8Array): void;
  sendUpdate(update: Uint8Array): void;
  sendAwareness(x: number, y: number): void;
  /** Stop parsing incoming frames (bytes still drained). */
  sink(): void;
  close(): void;
}

let nextCid = 1;

export function openClient(server: Pick<ServerHandle, 'name' | 'protocol' | 'wsUrl'>, room: Room, opts: { task?: boolean; applyStep2?: boolean } = {}): LightClient {
  const cid = nextCid++;
  const doc = new Y.Doc();
  const hp = server.protocol === 'hocuspocus';
  const ws = new WebSocket(server.wsUrl(room), { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  ws.binaryType = 'nodebuffer';
  ws.on('error', () => {});
  let awarenessClock = 0;
  let task: Y.Map<unknown> | null = null;
  // While prepareEdit runs, the doc's update is framed into `prepared` instead of being sent.
  let preparing = false;
  let prepared: Uint8Array | null = null;

  const frame = (write: (e: encoding.Encoder) => void): Uint8Array => {
    const e = encoding.createEncoder();
    if (hp) encoding.writeVarString(e, room.id);
    write(e);
    return encoding.toUint8Array(e);
  };
  const send = (data: Uint8Array) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(data);
  };
  const updateFrame = (update: Uint8Array) =>
    frame((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, update);
    });
  const applyEdit = (n: number): string => {
    const marker = `${MARK}${cid}.${n}${MARK}`;
    doc.transact(() => {
      task!.set('x', n % 5000);
      task!.set('title', marker);
    });
    return marker;
  };
  const client: LightClient = {
    cid,
    room,
    doc,
    ws,
    synced: null as unknown as Promise<number>,
    onMarker: null,
    edit: applyEdit,
    prepareEdit(n) {
      preparing = true;
      try {
        applyEdit(n);
      } finally {
        preparing = false;
      }
      const f = prepared;
      prepared = null;
      if (!f) throw new Error(`client ${cid}: edit ${n} made no update (task not created yet?)`);
      return f;
    },
    sendFrame: send,
    sendUpdate(update) {
      send(updateFrame(update));
    },
    sendAwareness(x, y) {
      const state = JSON.stringify({ user: { name: `bench ${cid}`, color: '#888' }, cursor: { x, y } });
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 1);
      encoding.writeVarUint(inner, doc.clientID);
      encoding.writeVarUint(inner, ++awarenessClock);
      encoding.writeVarString(inner, state);
      send(frame((e) => {
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
      }));
    },
    sink() {
      const sock = (ws as unknown as { _socket?: import('node:net').Socket })._socket;
      if (!sock) return;
      sock.removeAllListeners('data');
      sock.on('data', () => {});
    },
    close() {
      ws.terminate();
      doc.destroy();
    },
  };

  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === 'remote') return;
    if (preparing) prepared = updateFrame(update);
    else client.sendUpdate(update);
  });

  client.synced = new Promise<number>((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => reject(new Error(`${server.name}: upgrade refused ${res.statusCode}`)));
    ws.once('close', () => reject(new Error(`${server.name}: closed before sync`)));
    ws.once('open', () => {
      if (hp) {
        send(frame((e) => {
          encoding.writeVarUint(e, 2);
          encoding.writeVarUint(e, 0);
          encoding.writeVarString(e, '');
        }));
      }
      send(frame((e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
      }));
      if (server.protocol === 'relay') resolve(performance.now());
    });
    ws.on('message', (data: Buffer) => {
      const now = performance.now();
      // Fast path: an update carrying markers (a server may merge several edits into one frame).
      if (client.onMarker) {
        for (let at = data.indexOf(MARK); at !== -1; ) {
          const end = data.indexOf(MARK, at + 2);
          if (end === -1) break;
          // Digits read in place: no string per sample (less garbage in the measured window).
          let sender = 0;
          let n = 0;
          let digits = 0;
          let dot = -1;
          for (let i = at + 2; i < end; i++) {
            const b = data[i]!;
            if (b === DOT && dot === -1 && digits > 0) {
              dot = i;
              sender = n;
              n = 0;
              digits = 0;
            } else if (b >= ZERO && b <= ZERO + 9) {
              n = n * 10 + b - ZERO;
              digits++;
            } else {
              dot = -2;
              break;
            }
          }
          if (dot < 0 || digits === 0) {
            // Two '@' bytes of other binary data: the second pair may open a real marker.
            at = end;
            continue;
          }
          client.onMarker(sender, n, now);
          at = data.indexOf(MARK, end + 2);
        }
      }
      // A document update (sync message 0, type 2) needs no answer: skip decoding it.
      if (!hp && data[0] === 0 && data[1] === 2) return;
      const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      try {
        if (hp) decoding.readVarString(d);
        const type = decoding.readVarUint(d);
        if (type !== 0 && type !== 4) return;
        const syncType = decoding.readVarUint(d);
        if (syncType === 0) {
          const sv = decoding.readVarUint8Array(d);
          send(frame((e) => {
            encoding.writeVarUint(e, 0);
            encoding.writeVarUint(e, 1);
            encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc, sv));
          }));
        } else if (syncType === 1) {
          if (opts.applyStep2) Y.applyUpdate(doc, decoding.readVarUint8Array(d), 'remote');
          resolve(now);
        }
      } catch {
        // not a frame this client understands (e.g. a relayed one): ignore
      }
    });
  });
  void client.synced.catch(() => {});

  if (opts.task !== false) {
    void client.synced.then(() => {
      const entity = new Y.Map<unknown>();
      doc.transact(() => {
        doc.getMap('tasks').set(`bench-task-${cid}`, entity);
        entity.set('title', `task ${cid}`);
        entity.set('x', 0);
        entity.set('y', cid * 40);
        entity.set('w', 160);
        entity.set('h', 60);
      });
      task = entity;
    }, () => {});
  }
  return client;
}

/** Opens `boards` rooms with `perBoard` clients each; resolves when every client is synced. */
export async function openBoards(server: ServerHandle, boards: number, perBoard: number, timeoutMs = 30_000): Promise<LightClient[][]> {
  const rooms: Room[] = [];
  for (let b = 0; b < boards; b++) rooms.push(await server.createRoom());
  const groups: LightClient[][] = [];
  const all: Promise<number>[] = [];
  for (const room of rooms) {
    const group: LightClient[] = [];
    for (let i = 0; i < perBoard; i++) {
      const c = openClient(server, room);
      group.push(c);
      all.push(c.synced);
      // A little pacing so hundreds of upgrades do not all land in one tick.
      if (all.length % 50 === 0) await sleep(5);
    }
    groups.push(group);
  }
  await withTimeout(Promise.all(all), timeoutMs, `${server.name}: ${boards * perBoard} clients to sync`);
  await sleep(200); // let task creation reach every peer
  return groups;
}

export function closeAll(groups: LightClient[][]): void {
  for (const g of groups) for (const c of g) c.close();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
