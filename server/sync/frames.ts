import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType, SyncMessageType } from '../../shared/protocol/wire.ts';

/**
 * Codec for y-websocket frames, with no socket and no document: the server decodes every
 * client frame here, defensively, before anything reaches a room. See docs/protocol.md.
 *
 * @example
 *   const msg = decodeClientFrame(bytes); // throws FrameError on anything malformed
 *   if (msg.kind === 'update') ...
 */
export type ClientMessage =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'sync-step2'; update: Uint8Array; decoded?: DecodedUpdate }
  | { kind: 'update'; update: Uint8Array; decoded?: DecodedUpdate }
  | { kind: 'awareness'; update: Uint8Array; entries: AwarenessEntry[] }
  | { kind: 'query-awareness' };

/** An update's structs and deletions, as Y.decodeUpdate reads them (kept so the room need not decode it again). */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The parsed JSON state; null means "this client left". */
  state: unknown;
}

/** The frame is not a valid y-websocket message; the connection closes with 1007. */
export class FrameError extends Error {
  override name = 'FrameError';
}

/** Upper bound on awareness entries in one frame (a client normally sends one). */
const MAX_AWARENESS_ENTRIES = 1000;

/**
 * Deepest nesting of arrays/objects accepted in a document value (ContentAny, ContentJSON,
 * ContentEmbed, ContentFormat) or an awareness state. Planvas documents are flat; the limit
 * exists because lib0 and JSON encode recursively: a value nested thousands deep decodes here
 * but can overflow the stack later (re-encoding for a new joiner, compaction, loading the
 * stored log), which would make the board unservable. Far below any stack limit on purpose.
 */
export const MAX_VALUE_DEPTH = 64;

export function decodeClientFrame(frame: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    let msg: ClientMessage;
    switch (type) {
      case MessageType.sync: {
        const syncType = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (syncType === SyncMessageType.step1) {
          Y.decodeStateVector(payload); // throws on garbage
          msg = { kind: 'sync-step1', stateVector: payload };
        } else if (syncType === SyncMessageType.step2 || syncType === SyncMessageType.update) {
          const decoded = Y.decodeUpdate(payload); // throws on garbage or truncation
          assertShallowUpdate(decoded);
          msg = { kind: syncType === SyncMessageType.step2 ? 'sync-step2' : 'update', update: payload, decoded };
        } else {
          throw new FrameError(`unknown sync message type ${syncType}`);
        }
        break;
      }
      case MessageType.awareness: {
        const update = decoding.readVarUint8Array(decoder);
        msg = { kind: 'awareness', update, entries: decodeAwarenessUpdate(update) };
        break;
      }
      case MessageType.queryAwareness:
        msg = { kind: 'query-awareness' };
        break;
      default:
        throw new FrameError(`unknown message type ${type}`);
    }
    // lib0 readers stop at the end of a value; trailing bytes mean a framing bug or a forgery.
    if (decoding.hasContent(decoder)) throw new FrameError('trailing bytes after the message');
    return msg;
  } catch (err) {
    if (err instanceof FrameError) throw err;
    throw new FrameError(`malformed frame: ${(err as Error).message}`);
  }
}

/** Decodes a whole awareness update first, so a bad entry cannot half-apply the rest. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > MAX_AWARENESS_ENTRIES) throw new FrameError(`too many awareness entries (${count})`);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    let state: unknown;
    try {
      state = JSON.parse(json);
    } catch {
      throw new FrameError('awareness state is not JSON');
    }
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw new FrameError('awareness state is not an object or null');
    // Relaying re-encodes the state with JSON.stringify, which recurses (JSON.parse does not).
    if (depthExceeds(state, MAX_VALUE_DEPTH)) throw new FrameError(`awareness state nested deeper than ${MAX_VALUE_DEPTH}`);
    entries.push({ clientId, clock, state });
  }
  if (decoding.hasContent(decoder)) throw new FrameError('trailing bytes after the awareness update');
  return entries;
}

/** Re-encodes awareness entries as an awareness update (used to relay only the entries a peer may set). */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, JSON.stringify(e.state));
  }
  return encoding.toUint8Array(encoder);
}

function assertShallowUpdate(decoded: ReturnType<typeof Y.decodeUpdate>): void {
  // Yjs never encodes an empty deletion either; one for a client the board does not have yet
  // makes Y.applyUpdate throw (re-encoding the deletions it must keep), after the room stored it.
  for (const ranges of decoded.ds.clients.values()) {
    for (const range of ranges) if (range.len < 1) throw new FrameError(`a deletion of length ${range.len}`);
  }
  for (const struct of decoded.structs) {
    // Yjs never encodes an empty struct; integrating one that must wait (a gap before it)
    // throws after the room stored it (found by test/fuzz), like a forward reference below.
    if (struct.length < 1) throw new FrameError(`a struct of length ${struct.length}`);
    if (!(struct instanceof Y.Item)) continue;
    assertNoForwardReference(struct);
    const content: unknown = struct.content;
    let value: unknown;
    if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) value = content.arr;
    else if (content instanceof Y.ContentEmbed) value = content.embed;
    else if (content instanceof Y.ContentFormat) value = content.value;
    else continue;
    if (depthExceeds(value, MAX_VALUE_DEPTH)) throw new FrameError(`document value nested deeper than ${MAX_VALUE_DEPTH}`);
  }
}

/**
 * An item can only be placed next to, or inside, something that existed when it was made: a
 * reference to its own author's clock at or after its own is a forgery. Yjs does not wait for
 * such a reference (it waits only for other authors' clocks) and throws while integrating it,
 * after the room has stored the update, so every later load of the board would throw too
 * (found by test/fuzz: a bit-flipped 37-byte update).
 */
function assertNoForwardReference(item: Y.Item): void {
  const { client, clock } = item.id;
  for (const ref of [item.origin, item.rightOrigin, item.parent instanceof Y.ID ? item.parent : null]) {
    if (ref && ref.client === client && ref.clock >= clock) throw new FrameError(`an item refers to its own author's later clock (${ref.clock} >= ${clock})`);
  }
}

/** True when `value` has arrays/objects nested more than `max` deep. Iterative: safe on any input. */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object' || v instanceof Uint8Array) continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** True when an update carries nothing (no structs, no deletions): not worth storing or relaying. */
export function isEmptyUpdate(update: Uint8Array | DecodedUpdate): boolean {
  const { structs, ds } = update instanceof Uint8Array ? Y.decodeUpdate(update) : update;
  return structs.length === 0 && ds.clients.size === 0;
}

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return encodeSync(SyncMessageType.step1, stateVector);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return encodeSync(SyncMessageType.step2, update);
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return encodeSync(SyncMessageType.update, update);
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

function encodeSync(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}
