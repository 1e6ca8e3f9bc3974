import { nanoid } from 'nanoid';

/**
 * Ids of boards and of every entity in a board: nanoid's URL-safe alphabet, 21 characters
 * (~126 bits), so they are unguessable and safe in paths, file names and Y.Map keys.
 *
 * @example newId() // 'V1StGXR8_Z5jdHi6B-myT'
 */
export const ID_LENGTH = 21;

/** Exactly the alphabet and length `newId` produces; anything else is refused. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{21}$/;

export function newId(): string {
  return nanoid(ID_LENGTH);
}

/** True for a string that could be a board or entity id (no path tricks, no control bytes). */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
