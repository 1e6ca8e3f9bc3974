import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { createTask } from '../../shared/doc/ops.ts';
import { FrameError, MAX_VALUE_DEPTH, decodeClientFrame, encodeSyncStep2, isEmptyUpdate } from '../../server/sync/frames.ts';

/** Frames exactly as the stock y-websocket client writes them. */
function clientFrame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/**
 * An update setting map 'm' key 'a' to an array nested `depth` deep (ContentAny). Past a few
 * thousand levels lib0 cannot encode it, so the nesting (any-array tag 117, length 1) is spliced in.
 */
function nestedValueUpdate(depth: number): Uint8Array {
  let value: unknown = 1;
  for (let i = 0; i < 10; i++) value = [value];
  const doc = new Y.Doc();
  doc.getMap('m').set('a', value);
  const hex = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('hex');
  const at = hex.indexOf('7501'.repeat(10));
  return Uint8Array.from(Buffer.from(hex.slice(0, at) + '7501'.repeat(depth) + hex.slice(at + 40), 'hex'));
}

function awarenessFrame(clientId: number, clock: number, json: string): Uint8Array {
  return clientFrame((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, clientFrame((a) => { encoding.writeVarUint(a, 1); encoding.writeVarUint(a, clientId); encoding.writeVarUint(a, clock); encoding.writeVarString(a, json); }));
  });
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
    expect(msg).toEqual({ kind: 'update', update, decoded: Y.decodeUpdate(update) });
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
    ['a sync step 1 whose state vector length overflows', Uint8Array.of(0, 0, 10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)],
    ['awareness with a clock beyond 2^53', clientFrame((e) => { encoding.writeVarUint(e, 1); encoding.writeVarUint8Array(e, Uint8Array.of(1, 5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 2, 0x7b, 0x7d)); })],
    ['awareness state nested too deeply (JSON.stringify would overflow when relaying)', awarenessFrame(5, 1, `${'{"a":'.repeat(MAX_VALUE_DEPTH + 1)}1${'}'.repeat(MAX_VALUE_DEPTH + 1)}`)],
    ['a document value nested too deeply', encodeSyncStep2(nestedValueUpdate(MAX_VALUE_DEPTH + 1))],
    ['a document value nested past the decoder stack', encodeSyncStep2(nestedValueUpdate(50_000))],
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

describe('nesting limit', () => {
  it('accepts document values and awareness states nested up to the limit', () => {
    expect(decodeClientFrame(encodeSyncStep2(nestedValueUpdate(MAX_VALUE_DEPTH - 2))).kind).toBe('sync-step2');
    expect(decodeClientFrame(awarenessFrame(5, 1, `${'{"a":'.repeat(MAX_VALUE_DEPTH - 1)}1${'}'.repeat(MAX_VALUE_DEPTH - 1)}`)).kind).toBe('awareness');
    expect(decodeClientFrame(awarenessFrame(5, Number.MAX_SAFE_INTEGER, '{}')).kind).toBe('awareness');
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
