import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType, SyncMessageType } from '../../shared/protocol/wire.ts';

/**
 * Frame generators for the hostile-client fuzz test (frames.fuzz.test.ts): valid y-websocket
 * frames built from real Y.Docs, the same frames mutated, and plain garbage. Deterministic for
 * a given PRNG: a printed seed reproduces the same frames (the server's replies only steer the
 * "echo the server's state vector" frame, which is valid whatever it holds).
 *
 * Each frame says what a correct server must do with it:
 * - 'valid': accepted; the connection stays open (a close right after one is a false rejection);
 * - 'fatal': the connection is closed (1003 text, 1007 malformed/invalid UTF-8, 1009 too big);
 * - 'unknown': either (random bytes or a mutation may still decode: [3] is a query-awareness;
 *   an edit that builds on what the board lacks may be kept or refused).
 */
export type Expectation = 'valid' | 'fatal' | 'unknown';

export interface FuzzFrame {
  /** Generator name (reported per kind at the end of a run). */
  kind: string;
  data: Uint8Array;
  /** false: sent as a WebSocket text frame (its bytes need not be UTF-8). */
  binary: boolean;
  expect: Expectation;
}

export type Random = () => number;

export const int = (random: Random, n: number): number => Math.floor(random() * n);
export const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)]!;

export function randomBytes(random: Random, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = int(random, 256);
  return out;
}

function build(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

function syncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  return build((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, syncType);
    encoding.writeVarUint8Array(e, payload);
  });
}

function awarenessFrame(entries: ReadonlyArray<{ clientId: number; clock: number; json: string | Uint8Array }>): Uint8Array {
  const update = build((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(e, entry.clientId);
      encoding.writeVarUint(e, entry.clock);
      if (typeof entry.json === 'string') encoding.writeVarString(e, entry.json);
      else encoding.writeVarUint8Array(e, entry.json);
    }
  });
  return build((e) => {
    encoding.writeVarUint(e, MessageType.awareness);
    encoding.writeVarUint8Array(e, update);
  });
}

/** A varint lib0 refuses (more than 53 bits): 0xff × n then a terminator. */
function hugeVarint(n = 10): Uint8Array {
  const out = new Uint8Array(n + 1).fill(0xff);
  out[n] = 0x7f;
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Byte sequences that are never valid UTF-8 (stray continuation, overlong, surrogate, 0xff). */
const INVALID_UTF8 = [Uint8Array.of(0x80), Uint8Array.of(0xc0, 0xaf), Uint8Array.of(0xed, 0xa0, 0x80), Uint8Array.of(0xff, 0xfe), Uint8Array.of(0xf4, 0x90, 0x80, 0x80)];

/** A JSON object nested `depth` deep: {"a":{"a":…1…}}. */
function nestedJson(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

function nestedArray(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Junk a hostile editor may legitimately write: numbers, odd strings, objects with wrong field types. */
function junkValue(random: Random): unknown {
  switch (int(random, 6)) {
    case 0:
      return random() * 1e12 - 5e11;
    case 1:
      return '\u0000\uffff\ud83d\ude00'.repeat(int(random, 4)) + String(int(random, 1000));
    case 2:
      return { title: int(random, 100), x: 'left', y: null, kind: 'task' };
    case 3:
      return [1, 'two', { three: [3] }];
    case 4:
      return null;
    default:
      return 'x'.repeat(int(random, 300));
  }
}

/** Options a test passes to keep hostile frames away from what it asserts on. */
export interface FactoryOptions {
  /** Client ids never used in hand-made delete sets (the honest clients'). */
  avoidClientIds: ReadonlySet<number>;
  /** The server's maximum message size: an oversized frame is one byte more. */
  maxMessageBytes: number;
  /** Client id of this lane's own document (its edits carry it; a test checks view lanes' ids). */
  laneClientId: number;
}

/**
 * One hostile lane: its own Y.Doc (its "edits"), its own awareness id, and the generators.
 * A lane outlives its connections: after a close it reconnects and goes on.
 */
export class FrameFactory {
  readonly laneDoc: Y.Doc;
  /** The state vector the server announced in its sync step 1 on the current connection. */
  serverStateVector: Uint8Array = Y.encodeStateVector(new Y.Doc());
  private awarenessId: number;
  private awarenessClock = 0;
  private readonly generators: ReadonlyArray<readonly [number, string, () => FuzzFrame | Omit<FuzzFrame, 'kind'>]>;
  private readonly totalWeight: number;

  constructor(
    private readonly random: Random,
    private readonly opts: FactoryOptions,
  ) {
    this.laneDoc = new Y.Doc();
    this.laneDoc.clientID = opts.laneClientId;
    this.awarenessId = this.freshClientId();
    const r = random;
    // [weight, kind, generator]. About 90% valid (so a connection carries a dozen or more frames
    // before a malformed one ends it, and opening connections does not dominate the run).
    this.generators = [
      // --- valid, useless ---
      [80, 'query-awareness', () => ({ data: Uint8Array.of(MessageType.queryAwareness), binary: true, expect: 'valid' })],
      [70, 'step1-echo', () => ({ data: syncFrame(SyncMessageType.step1, this.serverStateVector), binary: true, expect: 'valid' })],
      [3, 'step1-random-sv', () => ({ data: syncFrame(SyncMessageType.step1, this.randomStateVector()), binary: true, expect: 'valid' })],
      [70, 'awareness-own', () => ({ data: this.ownAwareness(), binary: true, expect: 'valid' })],
      [40, 'lane-update', () => ({ data: syncFrame(SyncMessageType.update, this.laneEdit()), binary: true, expect: 'valid' })],
      [10, 'lane-step2', () => ({ data: syncFrame(SyncMessageType.step2, Y.encodeStateAsUpdate(this.laneDoc)), binary: true, expect: 'valid' })],
      [10, 'empty-update', () => ({ data: syncFrame(SyncMessageType.update, Y.encodeStateAsUpdate(new Y.Doc())), binary: true, expect: 'valid' })],
      [12, 'awareness-many-ids', () => ({ data: this.manyIdsAwareness(), binary: true, expect: 'valid' })],
      [3, 'awareness-null-flood', () => ({ data: this.nullFlood(), binary: true, expect: 'valid' })],
      // --- well-formed, hostile to the document: a server may keep them (an edit token may
      // write) or refuse them before storing (they build on what the board lacks: close 1007) ---
      [6, 'missing-deps-update', () => ({ data: syncFrame(pick(r, [SyncMessageType.update, SyncMessageType.step2]), this.orphanUpdate()), binary: true, expect: 'unknown' })],
      [3, 'huge-client-id-update', () => ({ data: syncFrame(SyncMessageType.update, this.hugeClientIdUpdate()), binary: true, expect: 'valid' })],
      [3, 'huge-clock-update', () => ({ data: syncFrame(SyncMessageType.update, this.hugeClockUpdate()), binary: true, expect: 'unknown' })],
      [6, 'foreign-delete-set', () => ({ data: syncFrame(SyncMessageType.update, this.foreignDeleteSet()), binary: true, expect: 'unknown' })],
      // --- malformed: must close the connection ---
      [3, 'text-frame', () => ({ data: new TextEncoder().encode(pick(r, ['hello', '{"type":"sync"}', '\u0000', 'é'.repeat(int(r, 50))])), binary: false, expect: 'fatal' })],
      [1, 'text-invalid-utf8', () => ({ data: concat(Uint8Array.of(0x41), pick(r, INVALID_UTF8)), binary: false, expect: 'fatal' })],
      [2, 'unknown-message-type', () => ({ data: concat(build((e) => encoding.writeVarUint(e, pick(r, [MessageType.auth, 4, 5, 99, 1 + int(r, 2 ** 20) + 4]))), randomBytes(r, int(r, 8))), binary: true, expect: 'fatal' })],
      [1, 'unknown-sync-type', () => ({ data: syncFrame(3 + int(r, 1000), randomBytes(r, int(r, 8))), binary: true, expect: 'fatal' })],
      [2, 'huge-varint', () => ({ data: this.hugeVarintFrame(), binary: true, expect: 'fatal' })],
      [2, 'wrong-length-prefix', () => ({ data: this.wrongLengthPrefix(), binary: true, expect: 'fatal' })],
      [2, 'truncated', () => ({ data: this.truncated(), binary: true, expect: 'fatal' })],
      [2, 'trailing-bytes', () => ({ data: concat(this.validFrame(), randomBytes(r, 1 + int(r, 16))), binary: true, expect: 'fatal' })],
      [1, 'empty-frame', () => ({ data: new Uint8Array(0), binary: true, expect: 'fatal' })],
      [2, 'awareness-invalid-utf8', () => ({ data: this.invalidUtf8Awareness(), binary: true, expect: 'fatal' })],
      [1, 'awareness-deep-json', () => ({ data: awarenessFrame([{ clientId: this.awarenessId, clock: ++this.awarenessClock, json: nestedJson(pick(r, [65, 200, 5000])) }]), binary: true, expect: 'fatal' })],
      [1, 'awareness-not-json', () => ({ data: awarenessFrame([{ clientId: this.awarenessId, clock: ++this.awarenessClock, json: pick(r, ['{', '[1,2]', '42', '"s"', '{"a":1}x']) }]), binary: true, expect: 'fatal' })],
      [1, 'update-deep-value', () => ({ data: syncFrame(SyncMessageType.update, this.deepValueUpdate()), binary: true, expect: 'fatal' })],
      [1, 'garbage-update-payload', () => ({ data: syncFrame(pick(r, [SyncMessageType.update, SyncMessageType.step2]), concat(Uint8Array.of(1 + int(r, 5)), randomBytes(r, 2 + int(r, 30)))), binary: true, expect: 'unknown' })],
      // --- anything ---
      [4, 'random-bytes', () => ({ data: randomBytes(r, 1 + (r() < 0.9 ? int(r, 64) : int(r, 4096))), binary: true, expect: 'unknown' })],
      [5, 'bit-flip', () => ({ data: this.bitFlip(), binary: true, expect: 'unknown' })],
      [0.05, 'oversized', () => ({ data: new Uint8Array(opts.maxMessageBytes + 1), binary: true, expect: 'fatal' })],
    ];
    this.totalWeight = this.generators.reduce((sum, [w]) => sum + w, 0);
  }

  /** The next frame, drawn by weight. */
  next(): FuzzFrame {
    let x = this.random() * this.totalWeight;
    for (const [weight, kind, gen] of this.generators) {
      x -= weight;
      if (x < 0) return { ...gen(), kind };
    }
    const [, kind, gen] = this.generators[0]!;
    return { ...gen(), kind };
  }

  /** Every generator kind (for reporting). */
  kinds(): string[] {
    return this.generators.map(([, kind]) => kind);
  }

  /** Called on every new connection: a reconnecting client announces a new awareness id. */
  newConnection(): void {
    this.awarenessId = this.freshClientId();
    this.awarenessClock = 0;
  }

  /**
   * What a reconnecting client sends first: everything its lane doc holds, as sync step 2,
   * so a lane edit lost with a closed connection does not leave later ones pending forever.
   */
  catchUpFrame(): Uint8Array {
    return syncFrame(SyncMessageType.step2, Y.encodeStateAsUpdate(this.laneDoc));
  }

  private freshClientId(): number {
    for (;;) {
      const id = int(this.random, 2 ** 32);
      if (!this.opts.avoidClientIds.has(id) && id !== this.opts.laneClientId) return id;
    }
  }

  /** A real edit of the lane doc (junk entries in the tasks map, now and then the title), as an update. */
  private laneEdit(): Uint8Array {
    const before = Y.encodeStateVector(this.laneDoc);
    const r = this.random;
    this.laneDoc.transact(() => {
      const key = `fuzz-${this.opts.laneClientId}-${int(r, 4)}`;
      const choice = int(r, 10);
      if (choice === 0) this.laneDoc.getMap('meta').set('title', `fuzz ${String(junkValue(r)).slice(0, 40)}`);
      else if (choice === 1) {
        const entity = new Y.Map<unknown>();
        entity.set('title', junkValue(r));
        entity.set('x', junkValue(r));
        entity.set('description', new Y.Text('\ud800 lone surrogate'));
        this.laneDoc.getMap('tasks').set(key, entity);
      } else this.laneDoc.getMap('tasks').set(key, junkValue(r));
    });
    return Y.encodeStateAsUpdate(this.laneDoc, before);
  }

  private ownAwareness(): Uint8Array {
    const r = this.random;
    const state = int(r, 20) === 0 ? 'null' : JSON.stringify({ user: { name: `fuzz ${int(r, 100)}`, color: '#ff00ff' }, cursor: { x: r() * 1000, y: r() * 1000 } });
    return awarenessFrame([{ clientId: this.awarenessId, clock: ++this.awarenessClock, json: state }]);
  }

  /** Up to 1000 entries (the decoder's limit) for random ids: new states, removals of unknown ids. */
  private manyIdsAwareness(): Uint8Array {
    const r = this.random;
    const n = 1 + int(r, r() < 0.8 ? 20 : 1000);
    const entries = [];
    for (let i = 0; i < n; i++) {
      entries.push({ clientId: this.freshClientId(), clock: 1 + int(r, 10), json: r() < 0.5 ? 'null' : '{"user":{"name":"ghost"}}' });
    }
    return awarenessFrame(entries);
  }

  /** 1000 removals of ids nobody announced: nothing to remove, but a naive server remembers every id. */
  private nullFlood(): Uint8Array {
    return awarenessFrame(Array.from({ length: 1000 }, () => ({ clientId: this.freshClientId(), clock: 1, json: 'null' })));
  }

  private randomStateVector(): Uint8Array {
    const r = this.random;
    return build((e) => {
      const n = int(r, 5);
      encoding.writeVarUint(e, n);
      for (let i = 0; i < n; i++) {
        encoding.writeVarUint(e, int(r, 2 ** 32));
        encoding.writeVarUint(e, int(r, r() < 0.5 ? 100 : 2 ** 40));
      }
    });
  }

  /** An edit whose predecessor is never sent: the server cannot integrate it (missing dependency). */
  private orphanUpdate(): Uint8Array {
    const doc = new Y.Doc();
    doc.clientID = this.freshClientId();
    const map = doc.getMap('tasks');
    map.set(`orphan-${doc.clientID}`, 'first (never sent)');
    const sv = Y.encodeStateVector(doc);
    map.set(`orphan-${doc.clientID}`, junkValue(this.random));
    const update = Y.encodeStateAsUpdate(doc, sv);
    doc.destroy();
    return update;
  }

  private hugeClientIdUpdate(): Uint8Array {
    const doc = new Y.Doc();
    doc.clientID = pick(this.random, [2 ** 53 - 1, 2 ** 32, 2 ** 32 + int(this.random, 2 ** 20), 2 ** 40 + int(this.random, 2 ** 30)]);
    doc.getMap('tasks').set(`big-${doc.clientID}`, junkValue(this.random));
    const update = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    return update;
  }

  /** A one-struct update rewritten to start at a huge clock (it can never integrate). */
  private hugeClockUpdate(): Uint8Array {
    const doc = new Y.Doc();
    doc.clientID = this.freshClientId();
    doc.getMap('tasks').set(`clock-${doc.clientID}`, 1);
    const update = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    const d = decoding.createDecoder(update);
    const clients = decoding.readVarUint(d);
    const structs = decoding.readVarUint(d);
    const client = decoding.readVarUint(d);
    decoding.readVarUint(d); // clock 0
    const rest = decoding.readTailAsUint8Array(d);
    return build((e) => {
      encoding.writeVarUint(e, clients);
      encoding.writeVarUint(e, structs);
      encoding.writeVarUint(e, client);
      encoding.writeVarUint(e, pick(this.random, [2 ** 53 - 2, 2 ** 31, 1 + int(this.random, 2 ** 40)]));
      encoding.writeUint8Array(e, rest);
    });
  }

  /** No structs, only deletions of ranges of random clients that may not exist. */
  private foreignDeleteSet(): Uint8Array {
    const r = this.random;
    return build((e) => {
      encoding.writeVarUint(e, 0);
      const clients = 1 + int(r, 3);
      encoding.writeVarUint(e, clients);
      for (let c = 0; c < clients; c++) {
        encoding.writeVarUint(e, this.freshClientId());
        const ranges = 1 + int(r, 3);
        encoding.writeVarUint(e, ranges);
        for (let i = 0; i < ranges; i++) {
          encoding.writeVarUint(e, int(r, r() < 0.5 ? 100 : 2 ** 40));
          encoding.writeVarUint(e, 1 + int(r, r() < 0.5 ? 10 : 2 ** 30));
        }
      }
    });
  }

  private deepValueUpdate(): Uint8Array {
    const doc = new Y.Doc();
    doc.clientID = this.freshClientId();
    doc.getMap('tasks').set('deep', nestedArray(pick(this.random, [65, 100, 500])));
    const update = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    return update;
  }

  private invalidUtf8Awareness(): Uint8Array {
    const bad = pick(this.random, INVALID_UTF8);
    const json = concat(new TextEncoder().encode('{"user":{"name":"'), bad, new TextEncoder().encode('"}}'));
    return awarenessFrame([{ clientId: this.awarenessId, clock: ++this.awarenessClock, json }]);
  }

  /** A valid frame of any kind (the base for mutations). */
  private validFrame(): Uint8Array {
    switch (int(this.random, 5)) {
      case 0:
        return syncFrame(SyncMessageType.step1, this.serverStateVector);
      case 1:
        return this.ownAwareness();
      case 2:
        return syncFrame(SyncMessageType.update, this.laneEdit());
      case 3:
        return syncFrame(SyncMessageType.step2, this.orphanUpdate());
      default:
        return this.manyIdsAwareness();
    }
  }

  /** Huge varints where a message type, a sync type, a length or an awareness count goes. */
  private hugeVarintFrame(): Uint8Array {
    const r = this.random;
    const big = hugeVarint(9 + int(r, 6));
    switch (int(r, 5)) {
      case 0:
        return concat(big, randomBytes(r, int(r, 8)));
      case 1:
        return concat(Uint8Array.of(MessageType.sync), big, randomBytes(r, int(r, 8)));
      case 2:
        return concat(Uint8Array.of(MessageType.sync, pick(r, [0, 1, 2])), big, randomBytes(r, int(r, 8)));
      case 3:
        return concat(Uint8Array.of(MessageType.awareness), big, randomBytes(r, int(r, 8)));
      default: {
        // An awareness update whose entry count is huge.
        const inner = concat(big, randomBytes(r, int(r, 8)));
        return concat(build((e) => {
          encoding.writeVarUint(e, MessageType.awareness);
          encoding.writeVarUint(e, inner.length);
        }), inner);
      }
    }
  }

  /**
   * A valid sync or awareness frame whose outer length prefix is wrong: longer than the bytes
   * that follow (runs past the end) or shorter (leaves trailing bytes).
   */
  private wrongLengthPrefix(): Uint8Array {
    const r = this.random;
    const useSync = r() < 0.6;
    const payload = useSync ? this.laneEdit() : build((e) => encoding.writeVarUint(e, 0));
    const header = useSync ? Uint8Array.of(MessageType.sync, SyncMessageType.update) : Uint8Array.of(MessageType.awareness);
    let length: number;
    do {
      length = r() < 0.5 ? payload.length + 1 + int(r, r() < 0.5 ? 16 : 2 ** 30) : int(r, payload.length);
    } while (length === payload.length);
    return concat(header, build((e) => encoding.writeVarUint(e, length)), payload);
  }

  /** A valid frame cut short (at least its last byte goes, so a length prefix runs past the end). */
  private truncated(): Uint8Array {
    const frame = syncFrame(pick(this.random, [SyncMessageType.update, SyncMessageType.step2]), this.orphanUpdate());
    return frame.slice(0, 1 + int(this.random, frame.length - 1));
  }

  private bitFlip(): Uint8Array {
    const frame = this.validFrame().slice();
    const flips = 1 + int(this.random, 4);
    for (let i = 0; i < flips; i++) frame[int(this.random, frame.length)]! ^= 1 << int(this.random, 8);
    return frame;
  }
}
