/**
 * The plan CSV columns, named as MS Project's "Export to Excel/CSV" names them, so a file
 * saved from MS Project (or ProjectLibre, or a spreadsheet with those headers) imports as is.
 * Export writes them in this order; import matches headers case-insensitively, ignoring
 * surrounding spaces, and ignores columns it does not know.
 */
export const PLAN_COLUMNS = [
  'ID',
  'Name',
  'Duration',
  'Start',
  'Finish',
  'Predecessors',
  '% Complete',
  'Resource Names',
  'Cost',
  'Milestone',
  'Outline Level',
  // Not in the list but an MS Project column: the cost so far. Last, so the eleven
  // named columns come first and in their order.
  'Actual Cost',
] as const;

export type PlanColumn = (typeof PLAN_COLUMNS)[number];

/** Limits of one import: larger files are refused before they are parsed. */
export const MAX_PLAN_ROWS = 10_000;
export const MAX_PLAN_BYTES = 5 * 1024 * 1024;
/** Links per row and per file: a 5 MB file listing every ID as every row's predecessor must not make millions of links. */
export const MAX_PREDECESSORS_PER_ROW = 100;
export const MAX_PLAN_LINKS = 2 * MAX_PLAN_ROWS;

/** The header key a column is matched by: lower case, trimmed, inner spaces collapsed. */
export function headerKey(name: string): string {
  return name.replace(/^\uFEFF/, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Where each known column is in a header row (missing columns are absent from the map).
 * A column named twice is reported: which of the two was meant is anyone's guess.
 */
export function mapHeader(header: readonly string[]): { columns: Map<PlanColumn, number>; duplicates: PlanColumn[] } {
  const byKey = new Map(PLAN_COLUMNS.map((c) => [headerKey(c), c] as const));
  const columns = new Map<PlanColumn, number>();
  const duplicates: PlanColumn[] = [];
  header.forEach((name, index) => {
    const column = byKey.get(headerKey(name));
    if (!column) return;
    if (columns.has(column)) duplicates.push(column);
    else columns.set(column, index);
  });
  return { columns, duplicates };
}
