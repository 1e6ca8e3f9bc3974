import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { createTask } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import type { CreateBoardResponse } from '../../shared/protocol/api.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import { connectClient, openRawSocket, sameState, waitFor, type TestClient } from '../helpers/clients.ts';
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts';

const MAX = 64 * 1024;

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/** A real, valid update (a task) wrapped as a sync step 2, for truncation. */
function validStep2(): Uint8Array {
  const doc = new Y.Doc();
  createTask(doc, { title: 'x'.repeat(200) });
  const update = Y.encodeStateAsUpdate(doc);
  return frame((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, update);
  });
}

const GARBAGE: Array<{ name: string; data: Uint8Array | string; binary?: boolean; code: number }> = [
  { name: 'random bytes', data: Uint8Array.from(Buffer.from('9c1f3a77e0d2c54b8806ff12aa3e5d7701c9b4e2', 'hex')), code: CloseCode.invalidPayload },
  { name: 'truncated sync step 2', data: validStep2().slice(0, 40), code: CloseCode.invalidPayload },
  { name: 'unknown message type', data: Uint8Array.of(9, 0, 0), code: CloseCode.invalidPayload },
  { name: 'unknown sync type', data: Uint8Array.of(0, 7, 0), code: CloseCode.invalidPayload },
  { name: 'auth message from a client', data: Uint8Array.of(2, 0), code: CloseCode.invalidPayload },
  { name: 'trailing bytes after a message', data: Uint8Array.of(3, 0, 0), code: CloseCode.invalidPayload },
  { name: 'empty frame', data: new Uint8Array(0), code: CloseCode.invalidPayload },
  {
    name: 'an update that fails Y.decodeUpdate',
    data: frame((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, Uint8Array.of(5, 200, 1, 7, 7, 7));
    }),
    code: CloseCode.invalidPayload,
  },
  {
    name: 'awareness with invalid JSON',
    data: frame((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(
        e,
        frame((a) => {
          encoding.writeVarUint(a, 1);
          encoding.writeVarUint(a, 4242);
          encoding.writeVarUint(a, 1);
          encoding.writeVarString(a, '{"user": {"name": "half');
        }),
      );
    }),
    code: CloseCode.invalidPayload,
  },
  {
    name: 'sync step 1 with a garbage state vector',
    data: frame((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint8Array(e, Uint8Array.of(3, 0xff, 0xff, 0xff));
    }),
    code: CloseCode.invalidPayload,
  },
  { name: 'a varint that overflows 53 bits', data: Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), code: CloseCode.invalidPayload },
  {
    name: 'awareness with a clock beyond 2^53',
    data: frame((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, Uint8Array.of(1, 5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 2, 0x7b, 0x7d));
    }),
    code: CloseCode.invalidPayload,
  },
  {
    name: 'awareness state nested 10000 deep (parses, but JSON.stringify overflows when relayed)',
    data: frame((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(
        e,
        frame((a) => {
          encoding.writeVarUint(a, 1);
          encoding.writeVarUint(a, 4243);
          encoding.writeVarUint(a, 1);
          encoding.writeVarString(a, `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`);
        }),
      );
    }),
    code: CloseCode.invalidPayload,
  },
  {
    name: 'a document value nested 5000 deep (decodes, but breaks re-encoding and loading)',
    data: frame((e) => {
      let value: unknown = 1;
      for (let i = 0; i < 10; i++) value = [value];
      const doc = new Y.Doc();
      doc.getMap('m').set('a', value);
      const hex = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('hex');
      const at = hex.indexOf('7501'.repeat(10));
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, Buffer.from(hex.slice(0, at) + '7501'.repeat(5000) + hex.slice(at + 40), 'hex'));
    }),
    code: CloseCode.invalidPayload,
  },
  { name: 'text frame', data: 'hello', code: CloseCode.unsupportedData },
  { name: 'text frame with invalid UTF-8', data: Uint8Array.of(0xff, 0xfe, 0xfd), binary: false, code: CloseCode.invalidPayload },
  { name: 'oversized frame', data: new Uint8Array(MAX + 1), code: CloseCode.messageTooBig },
];

describe('hostile frames close only the offending connection', () => {
  let server: TestServer;
  let board: CreateBoardResponse;
  let a: TestClient;
  let b: TestClient;

  beforeAll(async () => {
    server = await startTestServer({ maxMessageBytes: MAX });
    board = await createBoard(server.url, 'Hostile');
    a = connectClient(server.wsUrl, board.id, board.editToken);
    b = connectClient(server.wsUrl, board.id, board.editToken);
    await Promise.all([a.synced, b.synced]);
  });
  afterAll(async () => {
    a?.destroy();
    b?.destroy();
    await server?.close();
  });

  it.each(GARBAGE)('$name -> close $code, other clients keep syncing', async ({ data, binary, code }) => {
    const raw = await openRawSocket(`${server.wsUrl}/${board.id}?token=${board.editToken}`);
    await waitFor(() => raw.frames.length > 0, 'server step 1 (joined)');
    const before = readBoard(a.doc).tasks.size;
    if (typeof data === 'string') raw.ws.send(data);
    else raw.ws.send(data, { binary: binary ?? true });
    const closed = await raw.closed;
    expect(closed.code).toBe(code);

    // Nothing reached the document or the peers, and the others still sync both ways.
    expect(readBoard(a.doc).tasks.size).toBe(before);
    const id = createTask(a.doc, { title: 'still alive' });
    await waitFor(() => readBoard(b.doc).tasks.has(id), 'b receives a');
    const back = createTask(b.doc, { title: 'and back' });
    await waitFor(() => readBoard(a.doc).tasks.has(back), 'a receives b');
    expect(sameState(a.doc, b.doc)).toBe(true);
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
    expect(a.closeCodes).toEqual([]);
  });

  it('an awareness update from a bad socket does not half-apply before failing', async () => {
    const raw = await openRawSocket(`${server.wsUrl}/${board.id}?token=${board.editToken}`);
    await waitFor(() => raw.frames.length > 0, 'joined');
    // First entry valid, second broken: the whole frame is refused, the first never shows up.
    raw.ws.send(
      frame((e) => {
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint8Array(
          e,
          frame((u) => {
            encoding.writeVarUint(u, 2);
            encoding.writeVarUint(u, 777001);
            encoding.writeVarUint(u, 1);
            encoding.writeVarString(u, '{"user":{"name":"ghost"}}');
            encoding.writeVarUint(u, 777002);
            encoding.writeVarUint(u, 1);
            encoding.writeVarString(u, 'nope');
          }),
        );
      }),
    );
    expect((await raw.closed).code).toBe(CloseCode.invalidPayload);
    expect(server.server.rooms.peek(board.id)?.awareness.getStates().has(777001)).toBe(false);
    expect(a.provider.awareness.getStates().has(777001)).toBe(false);
  });
});

describe('broken WebSocket framing', () => {
  it('a frame with reserved bits set closes only that socket (1002) and the process survives', async () => {
    const { default: net } = await import('node:net');
    const server = await startTestServer();
    try {
      const board = await createBoard(server.url);
      const good = connectClient(server.wsUrl, board.id, board.editToken);
      await good.synced;
      const socket = net.connect(server.port, '127.0.0.1');
      let response = '';
      socket.on('data', (d) => (response += d.toString('latin1')));
      const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => {});
      socket.write(
        `GET /ws/${board.id}?token=${board.editToken} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      );
      await waitFor(() => response.includes('101 Switching Protocols'), 'handshake');
      // FIN + RSV1 + RSV2 + binary opcode, masked, 1-byte payload: RSV bits without an extension are invalid.
      socket.write(Buffer.from([0xf2, 0x81, 1, 2, 3, 4, 0x05]));
      await ended;
      // The close frame ws sent before closing: 0x88, length, then the code 1002.
      expect(response).toContain(String.fromCharCode(0x88, 0x02, 0x03, 0xea));
      const id = createTask(good.doc, { title: 'alive' });
      const other = connectClient(server.wsUrl, board.id, board.editToken);
      await other.synced;
      await waitFor(() => readBoard(other.doc).tasks.has(id), 'still syncing');
      good.destroy();
      other.destroy();
    } finally {
      await server.close();
    }
  });
});
