import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { AcceptedClocks, missingDependency } from '../../server/sync/dependencies.ts';
import { mulberry32 } from '../helpers/random.ts';

const stateOf = (doc: Y.Doc) => (client: number) => Y.getState(doc.store, client);
const hasPending = (doc: Y.Doc) => doc.store.pendingStructs !== null || doc.store.pendingDs !== null;

/** The update `edit` makes on `doc`. */
function edit(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  change(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

describe('missingDependency: can the board integrate an update now?', () => {
  it('accepts an update built on what the board has, and re-sent content', () => {
    const server = new Y.Doc();
    const client = new Y.Doc();
    const first = edit(client, (d) => d.getArray('a').insert(0, [1, 2, 3]));
    expect(missingDependency(first, stateOf(server))).toBeNull();
    Y.applyUpdate(server, first);
    const second = edit(client, (d) => d.getArray('a').insert(1, ['x']));
    expect(missingDependency(second, stateOf(server))).toBeNull();
    // A whole-state step 2 overlapping what the server has.
    expect(missingDependency(Y.encodeStateAsUpdate(client), stateOf(server))).toBeNull();
  });

  it('refuses an edit whose predecessor by the same author never arrived (a clock gap)', () => {
    const server = new Y.Doc();
    const client = new Y.Doc();
    edit(client, (d) => d.getMap('m').set('k', 1)); // never sent
    const second = edit(client, (d) => d.getMap('m').set('k', 2));
    expect(missingDependency(second, stateOf(server))).toMatch(/clocks start at/);
  });

  it("refuses an item placed next to another author's item the board has never seen", () => {
    const server = new Y.Doc();
    const a = new Y.Doc();
    const b = new Y.Doc();
    const fromA = edit(a, (d) => d.getArray('a').insert(0, ['a']));
    Y.applyUpdate(b, fromA); // b has it, the server does not
    const fromB = edit(b, (d) => d.getArray('a').insert(1, ['b']));
    expect(missingDependency(fromB, stateOf(server))).toMatch(/refers to/);
    Y.applyUpdate(server, fromA);
    expect(missingDependency(fromB, stateOf(server))).toBeNull();
  });

  it('refuses deletions of items the board does not have', () => {
    const server = new Y.Doc();
    const a = new Y.Doc();
    const insert = edit(a, (d) => d.getArray('a').insert(0, [1, 2]));
    const del = edit(a, (d) => d.getArray('a').delete(0, 2));
    expect(missingDependency(del, stateOf(server))).toMatch(/deletes/);
    Y.applyUpdate(server, insert);
    expect(missingDependency(del, stateOf(server))).toBeNull();
  });

  it('refuses an update rewritten to start at a huge clock', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('k', 1);
    const update = Y.encodeStateAsUpdate(doc);
    const d = decoding.createDecoder(update);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, decoding.readVarUint(d));
    encoding.writeVarUint(e, decoding.readVarUint(d));
    encoding.writeVarUint(e, decoding.readVarUint(d));
    decoding.readVarUint(d);
    encoding.writeVarUint(e, 2 ** 40);
    encoding.writeUint8Array(e, decoding.readTailAsUint8Array(d));
    expect(missingDependency(encoding.toUint8Array(e), stateOf(new Y.Doc()))).toMatch(/clocks start at 1099511627776/);
  });

  it('agrees with Yjs: random edits delivered in random order are accepted exactly when they leave nothing pending', () => {
    const random = mulberry32(7);
    let accepted = 0;
    let refused = 0;
    for (let round = 0; round < 60; round++) {
      const authors = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
      const updates: Uint8Array[] = [];
      for (let i = 0; i < 12; i++) {
        const author = authors[Math.floor(random() * authors.length)]!;
        // Authors see some of each other's edits, so updates build on other authors' items.
        for (const other of authors) if (other !== author && random() < 0.5) Y.applyUpdate(author, Y.encodeStateAsUpdate(other));
        updates.push(
          edit(author, (d) => {
            const arr = d.getArray<number>('a');
            const r = random();
            if (r < 0.5 || arr.length === 0) arr.insert(Math.floor(random() * (arr.length + 1)), [i]);
            else if (r < 0.8) arr.delete(Math.floor(random() * arr.length), 1);
            else d.getMap('m').set(`k${Math.floor(random() * 3)}`, i);
          }),
        );
      }
      const server = new Y.Doc();
      for (const update of updates.sort(() => random() - 0.5)) {
        const why = missingDependency(update, stateOf(server));
        const probe = new Y.Doc();
        Y.applyUpdate(probe, Y.encodeStateAsUpdate(server));
        Y.applyUpdate(probe, update);
        expect(hasPending(probe), `missingDependency said ${why}`).toBe(why !== null);
        if (why === null) {
          Y.applyUpdate(server, update);
          accepted++;
        } else refused++;
      }
    }
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(50);
  });
});

describe('AcceptedClocks: edits accepted in one batch build on each other', () => {
  it("accepts a client's second edit while its first is held, not yet applied", () => {
    const server = new Y.Doc();
    const client = new Y.Doc();
    const first = edit(client, (d) => d.getArray('a').insert(0, ['a']));
    const second = edit(client, (d) => d.getArray('a').insert(1, ['b']));
    const clocks = new AcceptedClocks(server);
    expect(missingDependency(second, clocks.stateOf)).not.toBeNull();
    expect(missingDependency(first, clocks.stateOf)).toBeNull();
    clocks.add(first);
    expect(missingDependency(second, clocks.stateOf)).toBeNull();
    clocks.add(second);
    for (const u of [first, second]) Y.applyUpdate(server, u);
    clocks.clear();
    expect(hasPending(server)).toBe(false);
    expect(clocks.stateOf(client.clientID)).toBe(2);
  });
  it('notes the same clocks from a decoded update as from its bytes (no second decode in the room)', () => {
    const random = mulberry32(7);
    const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    const updates: Uint8Array[] = [];
    for (const d of docs) d.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 300; i++) {
      const d = docs[Math.floor(random() * docs.length)]!;
      const text = d.getText('t');
      if (random() < 0.3 && text.length > 0) text.delete(Math.floor(random() * text.length), 1);
      else text.insert(Math.floor(random() * (text.length + 1)), random() < 0.5 ? 'ab' : 'xyz');
      if (random() < 0.2) d.getMap('m').set(`k${i % 7}`, i);
    }
    // Merged updates too: several clients and runs of structs in one.
    for (let i = 0; i + 5 <= updates.length; i += 5) updates.push(Y.mergeUpdates(updates.slice(i, i + 5)));
    const fromBytes = new AcceptedClocks(new Y.Doc());
    const fromDecoded = new AcceptedClocks(new Y.Doc());
    for (const u of updates) {
      fromBytes.add(u);
      fromDecoded.add(Y.decodeUpdate(u));
    }
    for (const d of docs) {
      expect(fromDecoded.stateOf(d.clientID)).toBe(fromBytes.stateOf(d.clientID));
      expect(fromDecoded.stateOf(d.clientID)).toBe(Y.getState(d.store, d.clientID));
    }
  });
});
