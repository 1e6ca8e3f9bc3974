import { describe, expect, it } from 'vitest';
import { SeqTracker } from '../../server/sync/seqTracker.ts';

describe('SeqTracker (which log rows a room has applied)', () => {
  it('on a gap-free log, rows applied out of order wait above the gap and close it when it fills', () => {
    const t = new SeqTracker(10, true);
    t.applied(12);
    t.applied(13);
    expect(t.synced).toBe(10);
    expect(t.hasGap).toBe(true);
    expect(t.has(12)).toBe(true);
    expect(t.has(11)).toBe(false);
    expect(t.newest).toBe(13);
    t.applied(11);
    expect(t.synced).toBe(13);
    expect(t.hasGap).toBe(false);
  });

  it('isBehind tells whether any row up to the head is missing', () => {
    const t = new SeqTracker(5, true);
    expect(t.isBehind(5)).toBe(false);
    expect(t.isBehind(6)).toBe(true);
    t.applied(7);
    expect(t.isBehind(7)).toBe(true); // 6 missing
    t.applied(6);
    expect(t.isBehind(7)).toBe(false);
    expect(t.isBehind(1_000_000)).toBe(true);
  });

  it('caughtUpTo (a log read) covers everything below it and keeps rows held above it', () => {
    const t = new SeqTracker(0, true);
    t.applied(4);
    t.applied(9);
    t.caughtUpTo(3);
    expect(t.synced).toBe(4);
    t.caughtUpTo(8);
    expect(t.synced).toBe(9);
    expect(t.hasGap).toBe(false);
    t.caughtUpTo(2); // never moves backwards
    expect(t.synced).toBe(9);
  });

  it('on a log with skipped numbers (SQLite, one process), an applied row moves synced to it', () => {
    const t = new SeqTracker(10, false);
    t.applied(40);
    expect(t.synced).toBe(40);
    expect(t.hasGap).toBe(false);
    expect(t.isBehind(41)).toBe(true);
    expect(t.isBehind(40)).toBe(false);
  });
});
