/**
 * Cross-instance fan-out: how one Planvas instance tells the others, right away, about what
 * happened on a board (edits it stored, presence changes, a deleted board, a reset link).
 *
 * The database log is the truth, not the fan-out: a room on a shared store also follows the
 * log (server/sync/logFollower.ts), so a message lost here (a Redis outage, a restart) only
 * costs latency, never an edit. Implementations: `localFanout` (one instance, nothing to
 * tell) and `redisFanout` (server/cluster/redisFanout.ts, when REDIS_URL is set).
 *
 * @example
 *   const off = fanout.subscribe(boardId, { updates, awareness, awarenessQuery, control, resync });
 *   fanout.publishUpdates(boardId, [{ seq: 42, update }]);
 */
export interface SeqUpdate {
  /** The row's seq in the board's log (gap-free per board on a shared store). */
  seq: number;
  update: Uint8Array;
}

/** Board-level events other instances must act on. */
export type ControlMessage =
  | { kind: 'deleted' }
  /** A link was reset: close connections holding a token of an older generation of `role`. */
  | { kind: 'links-rotated'; role: 'edit' | 'view'; generation: number };

export interface BoardListener {
  /** Edits another instance stored (in seq order within one message). */
  updates(batch: readonly SeqUpdate[]): void;
  /** An awareness update from clients connected to another instance. */
  awareness(update: Uint8Array): void;
  /** Another instance just loaded the board and asks for the presence of our clients. */
  awarenessQuery(): void;
  control(message: ControlMessage): void;
  /**
   * The fan-out was down and is back: messages may have been lost, catch up from the log.
   * Called once per outage, after this board's channel is subscribed again (so nothing
   * published after the catch-up's read can be missed). Not called for the first subscribe.
   */
  resync(): void;
}

export interface Fanout {
  /** False for localFanout: no other instance exists. */
  readonly enabled: boolean;
  /** This instance's id (unique per process start); messages it published are not delivered back to it. */
  readonly instanceId: string;
  /**
   * Connected to the broker right now (readiness; followers poll the log faster while false).
   * redisFanout: both connections up and every subscribed board's channel confirmed by Redis.
   */
  readonly healthy: boolean;
  /** Fire and forget: never throws, never waits for the broker (a lost message costs only latency). */
  publishUpdates(boardId: string, batch: readonly SeqUpdate[]): void;
  publishAwareness(boardId: string, update: Uint8Array): void;
  publishAwarenessQuery(boardId: string): void;
  publishControl(boardId: string, message: ControlMessage): void;
  /** Starts delivering this board's messages from other instances; returns the unsubscribe. */
  subscribe(boardId: string, listener: BoardListener): () => void;
  /** Resolves when the broker answers a PING (readiness); rejects otherwise. */
  ping(): Promise<void>;
  /** Milliseconds from publish (other instance's clock) to delivery here, of the last message; null before any. */
  readonly lastLagMs: number | null;
  close(): Promise<void>;
}

/** One instance, no broker: nothing to publish, nothing will arrive. */
export function localFanout(instanceId: string): Fanout {
  return {
    enabled: false,
    instanceId,
    healthy: true,
    publishUpdates() {},
    publishAwareness() {},
    publishAwarenessQuery() {},
    publishControl() {},
    subscribe: () => () => {},
    ping: async () => {},
    lastLagMs: null,
    close: async () => {},
  };
}
