import * as Y from 'yjs';
import type { DecodedUpdate } from './frames.ts';

/**
 * Whether a client's update can be integrated into the board now, checked before it is stored.
 *
 * Yjs keeps an update it cannot integrate (a clock gap, an item whose left/right neighbour or
 * parent it has never seen, a deletion of unknown items) as "pending" inside the document and
 * merges every later update into that pending set and every sync answer with it. A hostile
 * editor that sends such updates makes the board's memory and the cost of every later edit and
 * every join grow without bound (found by test/fuzz). An honest client never needs the server
 * to keep one: everything it has came through the server, and the one way it sends an edit
 * ahead of the edit it builds on (edits made while it reconnects, before its sync step 2) is
 * followed by that step 2, which carries both.
 *
 * A reference back into the author's own later clock is no dependency Yjs waits for: it makes
 * integration throw, so an update holding one would be stored and then fail every load.
 *
 * @param stateOf the document's next clock for a client (Y.getState(doc.store, client))
 * @returns why the update cannot be integrated now, or null when it can
 * @example const why = missingDependency(update, (c) => Y.getState(doc.store, c))
 */
export function missingDependency(update: Uint8Array | DecodedUpdate, stateOf: (client: number) => number): string | null {
  // The frame decoder has usually decoded it already (ClientMessage.decoded): not twice per edit.
  const { structs, ds } = update instanceof Uint8Array ? Y.decodeUpdate(update) : update;
  /** Per client, the clock range this update brings: [from, to). */
  const brought = new Map<number, { from: number; to: number }>();
  for (const struct of structs) {
    const { client, clock } = struct.id;
    if (struct instanceof Y.Skip) return `a gap in client ${client}'s clocks at ${clock}`;
    const range = brought.get(client);
    if (range) {
      if (clock !== range.to) return `a gap in client ${client}'s clocks at ${range.to}`;
      range.to += struct.length;
    } else {
      const state = stateOf(client);
      if (clock > state) return `client ${client}'s clocks start at ${clock}; the board has up to ${state}`;
      brought.set(client, { from: clock, to: clock + struct.length });
    }
  }
  const known = (id: Y.ID): boolean => {
    if (id.clock < stateOf(id.client)) return true;
    const range = brought.get(id.client);
    return range !== undefined && id.clock >= range.from && id.clock < range.to;
  };
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const refs = [struct.origin, struct.rightOrigin, struct.parent instanceof Y.ID ? struct.parent : null];
    for (const ref of refs) {
      if (!ref) continue;
      const ok = ref.client === struct.id.client ? ref.clock < struct.id.clock : known(ref);
      if (!ok) return `an item refers to ${ref.client}:${ref.clock}, which the board does not have`;
    }
  }
  for (const [client, deletions] of ds.clients) {
    const knownEnd = Math.max(stateOf(client), brought.get(client)?.to ?? 0);
    for (const { clock, len } of deletions) {
      if (clock + len > knownEnd) return `deletes ${client}:${clock}+${len}, beyond what the board has`;
    }
  }
  return null;
}

/**
 * The clocks a board will have once the edits accepted but not yet applied (held for storing,
 * in order) are applied: checking a client's second edit against the document alone would
 * refuse it whenever its first edit is still in the same batch.
 *
 * @example
 *   const clocks = new AcceptedClocks(doc);
 *   if (missingDependency(update, clocks.stateOf) === null) clocks.add(update); // then hold it
 *   ...; applyUpdate(doc, update); clocks.clear(); // once the held edits are applied or dropped
 */
export class AcceptedClocks {
  private readonly ahead = new Map<number, number>();

  constructor(private readonly doc: Y.Doc) {}

  readonly stateOf = (client: number): number => Math.max(Y.getState(this.doc.store, client), this.ahead.get(client) ?? 0);

  /**
   * Notes an update that passed missingDependency and will be applied after the ones before it.
   * Given decoded (as decodeClientFrame leaves it), no second decode: each client's clock after
   * its last struct, as Y.parseUpdateMeta(update).to gives it.
   */
  add(update: Uint8Array | DecodedUpdate): void {
    if (update instanceof Uint8Array) {
      for (const [client, clock] of Y.parseUpdateMeta(update).to) this.advance(client, clock);
      return;
    }
    for (const struct of update.structs) this.advance(struct.id.client, struct.id.clock + struct.length);
  }

  private advance(client: number, clock: number): void {
    if (clock > (this.ahead.get(client) ?? 0)) this.ahead.set(client, clock);
  }

  /** The held edits were applied (or dropped): the document's own clocks are the truth again. */
  clear(): void {
    this.ahead.clear();
  }
}
