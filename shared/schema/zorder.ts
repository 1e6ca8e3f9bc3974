import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

/**
 * z-order is a fractional-index string per shape (never an array position), so two people
 * reordering at once converge. Ties (two peers picking the same key concurrently) are broken
 * by id, so every client draws the same order.
 */
export const DEFAULT_Z = 'a0';

const ORDER_KEY = /^[a-zA-Z][0-9a-zA-Z]*$/;

/** A z key is usable when fractional-indexing accepts it as a neighbour. */
export function isValidZ(z: unknown): z is string {
  if (typeof z !== 'string' || z.length === 0 || z.length > 64 || !ORDER_KEY.test(z)) return false;
  try {
    generateKeyBetween(z, null);
    return true;
  } catch {
    return false;
  }
}

/** Key above every key in `existing` (ignores unusable keys). */
export function zAbove(existing: Iterable<string>): string {
  return generateKeyBetween(maxZ(existing), null);
}

/** Key below every key in `existing` (ignores unusable keys). */
export function zBelow(existing: Iterable<string>): string {
  return generateKeyBetween(null, minZ(existing));
}

/** `n` ascending keys above every key in `existing`. */
export function nKeysAbove(existing: Iterable<string>, n: number): string[] {
  return generateNKeysBetween(maxZ(existing), null, n);
}

/** `n` ascending keys below every key in `existing`. */
export function nKeysBelow(existing: Iterable<string>, n: number): string[] {
  return generateNKeysBetween(null, minZ(existing), n);
}

/** Draw order: by z key, then by id so concurrent equal keys still agree everywhere. */
export function compareZ(a: { z: string; id: string }, b: { z: string; id: string }): number {
  if (a.z < b.z) return -1;
  if (a.z > b.z) return 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function maxZ(existing: Iterable<string>): string | null {
  let max: string | null = null;
  for (const z of existing) if (isValidZ(z) && (max === null || z > max)) max = z;
  return max;
}

function minZ(existing: Iterable<string>): string | null {
  let min: string | null = null;
  for (const z of existing) if (isValidZ(z) && (min === null || z < min)) min = z;
  return min;
}

/**
 * A key strictly between `before` and `after` (either may be null for "no neighbour").
 * Equal or inverted neighbours (concurrent moves picked the same key) fall back to a key
 * just above `before`, which the id tie-break then orders.
 */
export function keyBetween(before: string | null, after: string | null): string {
  const lo = before !== null && isValidZ(before) ? before : null;
  const hi = after !== null && isValidZ(after) ? after : null;
  if (lo !== null && hi !== null && lo >= hi) return generateKeyBetween(lo, null);
  return generateKeyBetween(lo, hi);
}

/** Order by a rank key ('' = unranked, after every ranked one), then by id. */
export function compareRank(a: string, aId: string, b: string, bId: string): number {
  if (a !== b) {
    if (a === '') return 1;
    if (b === '') return -1;
    return a < b ? -1 : 1;
  }
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}
