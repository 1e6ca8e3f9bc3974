/**
 * Plan CSV in MS Project's columns: `parsePlanCsv` (validate a whole file, every bad row
 * reported), `applyPlanRows` (add it to a board in one transaction) and `exportPlanCsv`.
 */
export { PLAN_COLUMNS, MAX_PLAN_BYTES, MAX_PLAN_ROWS, type PlanColumn } from './columns.ts';
export { parsePlanCsv, type PlanCsvError, type PlanCsvResult } from './parse.ts';
export type { PlanRow } from './row.ts';
export type { PredecessorRef } from './cells.ts';
export { applyPlanRows } from './apply.ts';
export { exportPlanCsv, type PlanExportInput } from './export.ts';
