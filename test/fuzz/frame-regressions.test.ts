import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { missingDependency } from '../../server/sync/dependencies.ts';
import { FrameError, decodeClientFrame } from '../../server/sync/frames.ts';
import * as decoding from 'lib0/decoding';
import { PINNED_FRAMES } from './regressions.ts';

/**
 * The exact frames behind fuzz findings (regressions.ts), against the board state they need:
 * fast and deterministic, unlike a whole fuzz run.
 */
function boardFor(authors: ReadonlyArray<{ clientId: number; clocks: number }>): Y.Doc {
  const board = new Y.Doc();
  for (const { clientId, clocks } of authors) {
    const author = new Y.Doc();
    author.clientID = clientId;
    for (let i = 0; i < clocks; i++) author.getMap('tasks').set('k', i);
    Y.applyUpdate(board, Y.encodeStateAsUpdate(author));
  }
  return board;
}

/** The update inside a sync frame, read without the server's checks. */
function rawUpdate(frame: Uint8Array): Uint8Array {
  const d = decoding.createDecoder(frame);
  decoding.readVarUint(d);
  decoding.readVarUint(d);
  return decoding.readVarUint8Array(d);
}

describe('frames the fuzz test found', () => {
  for (const pinned of PINNED_FRAMES) {
    it(`${pinned.name}: refused by the ${pinned.refusedBy}`, () => {
      const frame = Uint8Array.from(Buffer.from(pinned.hex, 'hex'));
      const board = boardFor(pinned.authors);
      if (pinned.refusedBy === 'decoder') {
        expect(() => decodeClientFrame(frame)).toThrow(FrameError);
        // Why it matters: the board would not survive it.
        expect(() => Y.applyUpdate(boardFor(pinned.authors), rawUpdate(frame))).toThrow();
      } else {
        const msg = decodeClientFrame(frame);
        expect(msg.kind === 'update' || msg.kind === 'sync-step2').toBe(true);
        expect(missingDependency(rawUpdate(frame), (c) => Y.getState(board.store, c))).not.toBeNull();
        // Why it matters: Yjs would keep it pending in the live document.
        Y.applyUpdate(board, rawUpdate(frame));
        expect(board.store.pendingStructs).not.toBeNull();
      }
    });
  }
});
