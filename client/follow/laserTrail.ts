import { LASER_TRAIL_MS, MAX_LASER_POINTS, type LaserPoint } from '../../shared/protocol/presence.ts';

/** Samples closer together than this (ms) are merged: 40 points then cover the whole second. */
const MIN_SAMPLE_GAP_MS = LASER_TRAIL_MS / MAX_LASER_POINTS;

/**
 * The local laser trail: pointer samples with their time, of which only the last
 * LASER_TRAIL_MS (and at most MAX_LASER_POINTS) are kept. Time is passed in, so the trail is
 * plain data and testable without a clock.
 */
export class LaserTrail {
  private samples: Array<{ x: number; y: number; t: number }> = [];

  add(x: number, y: number, now: number): void {
    const last = this.samples[this.samples.length - 1];
    // Too close in time to the previous sample: move that one instead (the tip stays exact).
    if (last && now - last.t < MIN_SAMPLE_GAP_MS && this.samples.length > 1) {
      last.x = x;
      last.y = y;
      return;
    }
    this.samples.push({ x, y, t: now });
    if (this.samples.length > MAX_LASER_POINTS) this.samples.splice(0, this.samples.length - MAX_LASER_POINTS);
  }

  /** The trail as published: oldest first, each with its age in ms; empty once it has faded. */
  snapshot(now: number): LaserPoint[] {
    this.samples = this.samples.filter((s) => now - s.t <= LASER_TRAIL_MS);
    return this.samples.map((s) => ({ x: s.x, y: s.y, age: Math.max(0, now - s.t) }));
  }

  clear(): void {
    this.samples = [];
  }
}
