import type { Suite } from '../types.ts';

/** Every suite, in the order the table shows them. Suites register here as they land. */
export const SUITES: Suite[] = [];
