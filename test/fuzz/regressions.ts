/**
 * What the fuzz test (frames.fuzz.test.ts) found, pinned so it stays fixed.
 *
 * - PINNED_SEEDS run before the random seed of every fuzz run. A seed replays the same frames
 *   only until the server's timing changes a connection's length, so a seed is kept with a
 *   modest frame count (the file's time) and the exact frame it found goes in PINNED_FRAMES.
 *   Reproduce one alone:
 *   PLANVAS_FUZZ_SEED=<seed> PLANVAS_FUZZ_FRAMES=<frames> npx vitest run test/fuzz/frames.fuzz.test.ts
 * - PINNED_FRAMES are the exact frames behind a finding, with the board state they need, for a
 *   fast deterministic check (frame-regressions.test.ts).
 */
export interface PinnedSeed {
  seed: number;
  frames: number;
  found: string;
}

export const PINNED_SEEDS: readonly PinnedSeed[] = [
  {
    seed: 3,
    frames: 10_000,
    found:
      'a bit-flipped orphan edit holding an empty item (00011a0101e0c0…, pinned below) was stored, then failed to apply; ' +
      'before that, missing-dependency edits kept pending in the live document slowed the run to 143 frames/s',
  },
];

export interface PinnedFrame {
  name: string;
  /** What went wrong before the fix. */
  found: string;
  /** The whole WebSocket frame, hex. */
  hex: string;
  /** The board before the frame: each author's edit count (every edit one clock). */
  authors: ReadonlyArray<{ clientId: number; clocks: number }>;
  /** How the server must answer now: refuse at decoding, or refuse before storing. */
  refusedBy: 'decoder' | 'dependency-check';
}

export const PINNED_FRAMES: readonly PinnedFrame[] = [
  {
    name: 'an item whose left neighbour is its own author’s later clock (bit flip of a lane edit)',
    found:
      'decoded fine, was appended to the log, then Y.applyUpdate threw "Unexpected case" ("stored update failed to apply"); ' +
      'loading the board from that log throws the same, so after a crash the board never loads again',
    hex: '0002250101f107ae03a8f107ed03017b4249f42537265a9c01f30704008103960301980314ad0301',
    authors: [{ clientId: 1009, clocks: 430 }],
    refusedBy: 'decoder',
  },
  {
    name: 'an empty item after a clock gap (bit flip of an orphan edit, seed 3)',
    found: 'decoded fine, was appended to the log, then Y.applyUpdate threw "Unexpected case" ("stored update failed to apply"), as above',
    hex: '00011a0101e0c0edbc0601a860c0edbc0600017e01e0c0edbc86010001',
    authors: [],
    refusedBy: 'decoder',
  },
  {
    name: 'a deletion of length 0 of a client the board does not have (minimal form of a seed-6 bit flip)',
    found: 'decoded fine, was appended to the log, then Y.applyUpdate threw "Unexpected case" in writeDsLen ("stored update failed to apply")',
    hex: '00020700019221010500',
    authors: [],
    refusedBy: 'decoder',
  },
  {
    name: 'an edit whose predecessor by the same author never arrived',
    found:
      'stored and kept by Yjs as "pending" in the live document; every later edit, sync answer and join then merges ' +
      'the whole pending set, so a stream of them grows memory and slows the board without bound',
    hex: '0002220101fd87faca0601a8fd87faca0600017bc24ef084fdc5080501fd87faca06010001',
    authors: [],
    refusedBy: 'dependency-check',
  },
];
