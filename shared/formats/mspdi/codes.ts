import type { DependencyType } from '../../schema/entities.ts';

/**
 * Codes and limits of MS Project's XML Data Interchange format (MSPDI), as published in the
 * Project XML schema (mspdi_pj12.xsd and its successors; namespace below). Kept in one place
 * so the reader and the writer cannot disagree.
 */
export const MSPDI_NAMESPACE = 'http://schemas.microsoft.com/project';

/** Limits of one import: a file over them is refused before anything is written. */
export const MAX_MSPDI_BYTES = 20 * 1024 * 1024;
export const MAX_MSPDI_TASKS = 20_000;
export const MAX_MSPDI_LINKS = 100_000;
/** Elements nested deeper than this are not an MS Project file (its deepest path is ~7). */
export const MAX_MSPDI_DEPTH = 40;

/** PredecessorLink/Type: 0 = FF, 1 = FS, 2 = SF, 3 = SS. */
export const LINK_TYPE_FROM_CODE: Readonly<Record<number, DependencyType>> = { 0: 'FF', 1: 'FS', 2: 'SF', 3: 'SS' };
export const LINK_TYPE_CODE: Readonly<Record<DependencyType, number>> = { FF: 0, FS: 1, SF: 2, SS: 3 };

/**
 * Duration / LagFormat units. 3 m, 4 em, 5 h, 6 eh, 7 d, 8 ed, 9 w, 10 ew, 11 mo, 12 emo,
 * 19 %, 20 e%, 21 null; the same + 32 are the "estimated" (?) variants (35 m? … 53).
 */
export const FORMAT_DAYS = 7;
const ELAPSED = new Set([4, 6, 8, 10, 12, 20]);
const PERCENT = new Set([19, 20]);

/** The unit without its "estimated" flag. */
function base(format: number): number {
  return format >= 35 ? format - 32 : format;
}

export function isElapsedFormat(format: number): boolean {
  return ELAPSED.has(base(format));
}

export function isPercentFormat(format: number): boolean {
  return PERCENT.has(base(format));
}

/** Task/ConstraintType: 0 As Soon As Possible, 2 Must Start On, 4 Start No Earlier Than, … */
export const CONSTRAINT_ASAP = 0;
export const CONSTRAINT_MSO = 2;
export const CONSTRAINT_SNET = 4;

/** Assignment/ResourceUID of "no resource" in files saved by MS Project. */
export const NULL_RESOURCE_UID = -65535;
