import type { Suite } from '../types.ts';
import { canvasSuite } from './canvas.ts';
import { schedulerSuite } from './scheduler.ts';
import { fanoutSuite } from './fanout.ts';
import { coldloadSuite } from './coldload.ts';
import { memorySuite } from './memory.ts';
import { durabilitySuite } from './durability.ts';

/** Every suite, in the order the table shows them. Suites register here as they land. */
export const SUITES: Suite[] = [canvasSuite, schedulerSuite, fanoutSuite, coldloadSuite, memorySuite, durabilitySuite];
