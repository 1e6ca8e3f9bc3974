import * as awarenessProtocol from 'y-protocols/awareness';
import { encodeAwareness } from './frames.ts';

/**
 * Coalesces a board's presence traffic: every awareness change (a cursor moved, someone
 * joined or left) is noted, and once per `flushMs` one frame carrying the newest state of
 * every changed client goes to the room's peers. Ten people moving cursors at 60 Hz cost the
 * room ~1/flushMs frames per peer instead of 600 per second each; a client's later state
 * replaces its earlier one, so nothing a peer needs is lost (awareness is last-writer-wins).
 *
 * Changes made by this instance's own clients are also handed to `publish` (the fan-out), in
 * the same coalesced rhythm; changes that came from another instance are not sent back.
 *
 * @example relay.note([clientId], true) // relayed to peers and published on the next flush
 */
export class AwarenessRelay {
  private readonly changed = new Set<number>();
  private readonly toPublish = new Set<number>();
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;

  constructor(
    private readonly awareness: awarenessProtocol.Awareness,
    private readonly flushMs: number,
    private readonly sendToPeers: (frame: Uint8Array) => void,
    private readonly publish: (update: Uint8Array) => void,
  ) {}

  note(clientIds: readonly number[], publish: boolean): void {
    for (const id of clientIds) {
      this.changed.add(id);
      if (publish) this.toPublish.add(id);
    }
    if (this.timer !== null || this.changed.size === 0) return;
    this.timer = this.flushMs <= 0 ? setImmediate(() => this.flush()) : setTimeout(() => this.flush(), this.flushMs);
  }

  /** Sends what is pending now (also called before the room closes). */
  flush(): void {
    this.clearTimer();
    const changed = this.known(this.changed);
    const toPublish = this.known(this.toPublish);
    this.changed.clear();
    this.toPublish.clear();
    if (changed.length > 0) this.sendToPeers(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
    if (toPublish.length > 0) this.publish(awarenessProtocol.encodeAwarenessUpdate(this.awareness, toPublish));
    // A client that left needs no clock any more once its removal went out; y-protocols keeps them forever.
    for (const id of [...changed, ...toPublish]) if (!this.awareness.states.has(id)) this.awareness.meta.delete(id);
  }

  stop(): void {
    this.clearTimer();
    this.changed.clear();
    this.toPublish.clear();
  }

  /** Ids the awareness still has a clock for (encodeAwarenessUpdate throws on others). */
  private known(ids: Set<number>): number[] {
    return [...ids].filter((id) => this.awareness.meta.has(id));
  }

  private clearTimer(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = null;
  }
}
