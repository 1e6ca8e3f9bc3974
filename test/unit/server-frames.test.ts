import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { createTask } from '../../shared/doc/ops.ts';
import { FrameError, decodeClientFrame, encodeSyncStep2, isEmptyUpdate } from '../../server/sync/frames.ts';

/** Frames exactly as the stock y-websocket client writes them. */
function clientFrame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

function docWithTask(): Y.Doc {
  const doc = new Y.Doc();
  createTask(doc, { title: 'frame' });
  return doc;
}

describe('decodeClientFrame: what the stock client sends', () => {
  it('sync step 1', () => {
    const doc = docWithTask();
    const msg = decodeClientFrame(clientFrame((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeSyncStep1(e, doc))));
    expect(msg.kind).toBe('sync-step1');
    if (msg.kind === 'sync-step1') expect(msg.stateVector).toEqual(Y.encodeStateVector(doc));
  });

  it('sync step 2 and update', () => {
    const doc = docWithTask();
    const step2 = decodeClientFrame(clientFrame((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeSyncStep2(e, doc))));
    expect(step2.kind).toBe('sync-step2');
    const update = Y.encodeStateAsUpdate(doc);
    const msg = decodeClientFrame(clientFrame((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeUpdate(e, update))));
    expect(msg).toEqual({ kind: 'update', update });
  });

  it('awareness, including a null state (client left)', () => {
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ user: { name: 'Ann' }, cursor: { x: 1, y: 2 } });
    const frame = clientFrame((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
    });
    const msg = decodeClientFrame(frame);
    expect(msg.kind).toBe('awareness');
    if (msg.kind === 'awareness') expect(msg.entries).toMatchObject([{ clientId: doc.clientID, state: { user: { name: 'Ann' }, cursor: { x: 1, y: 2 } } }]);
    awareness.setLocalState(null);
    const left = decodeClientFrame(clientFrame((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
    }));
    if (left.kind === 'awareness') expect(left.entries[0]?.state).toBeNull();
    awareness.destroy();
  });

  it('query awareness', () => {
    expect(decodeClientFrame(Uint8Array.of(3))).toEqual({ kind: 'query-awareness' });
  });
});

describe('decodeClientFrame: refuses anything else with FrameError', () => {
  const update = Y.encodeStateAsUpdate(docWithTask());
  const step2 = encodeSyncStep2(update);
  it.each([
    ['empty', new Uint8Array(0)],
    ['unknown message type', Uint8Array.of(4)],
    ['auth (server-to-client only)', Uint8Array.of(2, 0, 0)],
    ['unknown sync type', Uint8Array.of(0, 3, 0)],
    ['sync without payload', Uint8Array.of(0, 1)],
    ['payload length past the end', Uint8Array.of(0, 1, 50, 1, 2)],
    ['truncated update', step2.slice(0, step2.length - 3)],
    ['trailing byte', Uint8Array.from([...step2, 0])],
    ['update that is not a Yjs update', Uint8Array.of(0, 2, 4, 9, 9, 9, 9)],
    ['state vector that is not one', Uint8Array.of(0, 0, 3, 0xff, 0xff, 0xff)],
    ['awareness with bad JSON', clientFrame((e) => { encoding.writeVarUint(e, 1); encoding.writeVarUint8Array(e, clientFrame((a) => { encoding.writeVarUint(a, 1); encoding.writeVarUint(a, 1); encoding.writeVarUint(a, 0); encoding.writeVarString(a, '{'); })); })],
    ['awareness with a non-object state', clientFrame((e) => { encoding.writeVarUint(e, 1); encoding.writeVarUint8Array(e, clientFrame((a) => { encoding.writeVarUint(a, 1); encoding.writeVarUint(a, 1); encoding.writeVarUint(a, 0); encoding.writeVarString(a, '42'); })); })],
    ['awareness claiming a million entries', clientFrame((e) => { encoding.writeVarUint(e, 1); encoding.writeVarUint8Array(e, clientFrame((a) => encoding.writeVarUint(a, 1_000_000))); })],
    ['a varint longer than 53 bits', Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)],
  ])('%s', (_name, bytes) => {
    expect(() => decodeClientFrame(bytes)).toThrow(FrameError);
  });

  it('never throws anything but FrameError on random bytes (seeded)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeClientFrame(bytes);
        } catch (err) {
          return err instanceof FrameError;
        }
        return true;
      }),
      { seed: 20261121, numRuns: 3000 },
    );
  });

  it('never throws anything but FrameError on mutated valid frames (seeded)', () => {
    fc.assert(
      fc.property(fc.nat(step2.length - 1), fc.integer({ min: 0, max: 255 }), (at, value) => {
        const bytes = step2.slice();
        bytes[at] = value;
        try {
          decodeClientFrame(bytes);
        } catch (err) {
          return err instanceof FrameError;
        }
        return true;
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});

describe('isEmptyUpdate', () => {
  it('is true for an update with nothing in it, false for real content', () => {
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(new Y.Doc()))).toBe(true);
    const doc = docWithTask();
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(doc))).toBe(false);
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)))).toBe(true);
  });
});
