import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { MAX_MERGED_UPDATES, MAX_MERGED_UPDATE_BYTES, relayBatch, type AppliedUpdate } from '../../server/sync/batchRelay.ts';

/** A receiver that records the updates of the frames it is sent. */
function receiver() {
  const updates: Uint8Array[] = [];
  return {
    updates,
    send(frame: Uint8Array) {
      const d = decoding.createDecoder(frame);
      expect(decoding.readVarUint(d)).toBe(0); // sync
      expect(decoding.readVarUint(d)).toBe(2); // update
      updates.push(decoding.readVarUint8Array(d));
    },
  };
}

/** `n` real updates, each from its own client doc (a key set on a shared map). */
function updatesFrom(n: number, valueBytes = 8): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => {
    const doc = new Y.Doc();
    doc.getMap('m').set(`k${i}`, 'x'.repeat(valueBytes));
    return Y.encodeStateAsUpdate(doc);
  });
}

const docOf = (updates: readonly Uint8Array[]): Y.Doc => {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
};

describe('relayBatch', () => {
  it('relays one update as one frame to every peer but its sender', () => {
    const [a, b, c] = [receiver(), receiver(), receiver()];
    const [u] = updatesFrom(1);
    relayBatch([{ update: u!, origin: a }], [a, b, c]);
    expect(a.updates).toEqual([]);
    expect(b.updates).toEqual([u]);
    expect(c.updates).toEqual([u]);
  });

  it('sends bystanders one merged update and senders the others’ updates alone, never their own', () => {
    const senders = [receiver(), receiver(), receiver()];
    const bystanders = Array.from({ length: 10 }, receiver);
    const updates = updatesFrom(4);
    // The first sender made two of the edits.
    const applied: AppliedUpdate[] = updates.map((update, i) => ({ update, origin: senders[Math.max(0, i - 1)] }));
    relayBatch(applied, [...senders, ...bystanders]);
    const whole = docOf(updates).getMap('m').toJSON();
    for (const b of bystanders) {
      expect(b.updates).toHaveLength(1);
      expect(docOf(b.updates).getMap('m').toJSON()).toEqual(whole);
    }
    expect(senders[0]!.updates).toEqual([updates[2], updates[3]]);
    expect(senders[1]!.updates).toEqual([updates[0], updates[1], updates[3]]);
    expect(senders[2]!.updates).toEqual([updates[0], updates[1], updates[2]]);
  });

  it('does not merge when it would save fewer frames than it costs (few bystanders)', () => {
    const [a, b, c] = [receiver(), receiver(), receiver()];
    const updates = updatesFrom(2);
    let merges = 0;
    relayBatch(
      [
        { update: updates[0]!, origin: a },
        { update: updates[1]!, origin: b },
      ],
      [a, b, c],
      (u) => (merges++, Y.mergeUpdates(u)),
    );
    expect(merges).toBe(0);
    expect(c.updates).toEqual(updates);
    expect(a.updates).toEqual([updates[1]]);
    expect(b.updates).toEqual([updates[0]]);
  });

  it('keeps large updates out of merges and splits long batches, in order', () => {
    const bystanders = Array.from({ length: 8 }, receiver);
    const small = updatesFrom(MAX_MERGED_UPDATES + 3);
    const [large] = updatesFrom(1, MAX_MERGED_UPDATE_BYTES + 1);
    const sequence = [...small.slice(0, 2), large!, ...small.slice(2)];
    relayBatch(
      sequence.map((update) => ({ update, origin: 'someone else' })),
      bystanders,
    );
    for (const b of bystanders) {
      // [2 merged] [large alone] [64 merged] [1 alone]
      expect(b.updates).toHaveLength(4);
      expect(b.updates[1]).toEqual(large);
      expect(b.updates[3]).toEqual(small[small.length - 1]);
      expect(docOf(b.updates).getMap('m').toJSON()).toEqual(docOf(sequence).getMap('m').toJSON());
    }
  });

  it('falls back to one frame per update if a merge throws', () => {
    const bystanders = Array.from({ length: 8 }, receiver);
    const updates = updatesFrom(3);
    relayBatch(
      updates.map((update) => ({ update, origin: null })),
      bystanders,
      () => {
        throw new Error('boom');
      },
    );
    for (const b of bystanders) expect(b.updates).toEqual(updates);
  });
});
