/**
 * MS Project XML (MSPDI): `parseMspdi` (validate a whole file, report what cannot be used),
 * `applyMspdi` (add it to a board in one transaction) and `exportMspdi` (a board as a file
 * MS Project opens). See each function, and codes.ts for the format's codes and limits.
 */
export { parseMspdi } from './parse.ts';
export { applyMspdi, type MspdiImportResult } from './apply.ts';
export { exportMspdi, EXPORT_MINUTES_PER_DAY, TASK_ELEMENT_ORDER } from './export.ts';
export { MAX_MSPDI_BYTES, MAX_MSPDI_LINKS, MAX_MSPDI_TASKS, MSPDI_NAMESPACE } from './codes.ts';
export { lagDays, durationDays, parseIsoDuration, formatIsoDuration } from './duration.ts';
export type { MspdiPlan, MspdiTask, MspdiLink, MspdiBaseline, MspdiParseResult } from './types.ts';
