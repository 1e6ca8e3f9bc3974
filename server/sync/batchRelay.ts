import * as Y from 'yjs';
import { encodeSyncUpdate } from './frames.ts';

/** A document update as applied, and who it came from (a peer, or the server's own origin). */
export interface AppliedUpdate {
  update: Uint8Array;
  origin: unknown;
}

/** What the batch relay needs of a peer: identity (compared with `origin`) and a send. */
export interface RelayTarget {
  send(frame: Uint8Array): void;
}

/**
 * Most updates merged into one frame. Y.mergeUpdates is linear for a few dozen small updates
 * (~10–20 µs each on the bench machine) but grows worse than linearly for long lists, so a
 * longer batch goes out as several merged frames, in order.
 */
export const MAX_MERGED_UPDATES = 64;
/** Larger updates (a reconnecting client's offline work) are relayed as they are, never merged. */
export const MAX_MERGED_UPDATE_BYTES = 16 * 1024;
/**
 * A merge costs about as much server CPU as this many frames sent per merged update (the
 * merge of k updates against the frames it saves every receiver that sent none of them):
 * merging pays only when (receivers - senders) * (k - 1) >= MERGE_COST_IN_FRAMES * k.
 */
export const MERGE_COST_IN_FRAMES = 3;

/**
 * Relays the updates one storeHeld batch applied (in that order) to `peers`, each to every
 * peer except the one it came from:
 *
 * - one update: one frame to every other peer, exactly as a single relay;
 * - several: a peer that sent none of them gets one frame with Y.mergeUpdates of them (a run
 *   of at most MAX_MERGED_UPDATES small updates; larger ones stay separate frames, in order);
 *   a peer that sent some gets the others, each as its own frame, never its own update.
 *
 * Every frame carries whole updates from this batch only, so a receiver never sees a later
 * batch before an earlier one; a merged update integrates like its parts in any order.
 * When merging would cost more than the frames it saves (few receivers), every update goes
 * out on its own, as before.
 */
export function relayBatch(applied: readonly AppliedUpdate[], peers: Iterable<RelayTarget>, merge: (updates: Uint8Array[]) => Uint8Array = Y.mergeUpdates): void {
  if (applied.length === 0) return;
  const encoded: Array<Uint8Array | undefined> = [];
  const single = (i: number): Uint8Array => (encoded[i] ??= encodeSyncUpdate(applied[i]!.update));
  const senders = new Set(applied.map((a) => a.origin));
  const receivers = [...peers];
  const bystanders = receivers.filter((peer) => !senders.has(peer));
  const k = applied.length;
  if (k === 1 || bystanders.length * (k - 1) < MERGE_COST_IN_FRAMES * k) {
    for (let i = 0; i < k; i++) for (const peer of receivers) if (peer !== applied[i]!.origin) peer.send(single(i));
    return;
  }
  for (const frame of mergedFrames(applied, single, merge)) for (const peer of bystanders) peer.send(frame);
  for (const peer of receivers) {
    if (!senders.has(peer)) continue;
    for (let i = 0; i < k; i++) if (applied[i]!.origin !== peer) peer.send(single(i));
  }
}

/** The batch as frames for a peer that sent none of it: runs of small updates merged, large ones alone, in order. */
function mergedFrames(applied: readonly AppliedUpdate[], single: (i: number) => Uint8Array, merge: (updates: Uint8Array[]) => Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let run: number[] = [];
  const flush = () => {
    if (run.length === 1) frames.push(single(run[0]!));
    else if (run.length > 1) frames.push(...mergedOrAlone(run, applied, single, merge));
    run = [];
  };
  applied.forEach((a, i) => {
    if (a.update.byteLength > MAX_MERGED_UPDATE_BYTES) {
      flush();
      frames.push(single(i));
      return;
    }
    run.push(i);
    if (run.length === MAX_MERGED_UPDATES) flush();
  });
  flush();
  return frames;
}

/** One frame of the merged run; should the merge throw (it does not for updates Yjs itself encoded), the run's updates one by one. */
function mergedOrAlone(run: readonly number[], applied: readonly AppliedUpdate[], single: (i: number) => Uint8Array, merge: (updates: Uint8Array[]) => Uint8Array): Uint8Array[] {
  try {
    return [encodeSyncUpdate(merge(run.map((i) => applied[i]!.update)))];
  } catch {
    return run.map(single);
  }
}
