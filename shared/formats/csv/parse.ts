import Papa from 'papaparse';
import { MAX_PLAN_BYTES, MAX_PLAN_ROWS, mapHeader, type PlanColumn } from './columns.ts';
import { checkLinks } from './links.ts';
import { MAX_PLAN_LINKS } from './columns.ts';
import { readRow, type PlanRow } from './row.ts';

export interface PlanCsvError {
  /** Spreadsheet row: 1 = the header, 2 = the first data row; 0 = the file as a whole. */
  row: number;
  message: string;
}

export type PlanCsvResult = { ok: true; rows: PlanRow[] } | { ok: false; errors: PlanCsvError[] };

/**
 * Reads a plan CSV in MS Project's columns (see columns.ts) into validated rows. Every bad row
 * is reported, each once with all of its problems, so a user can fix the file in one go; a
 * file with any error yields no rows at all. Pure.
 *
 * @example
 *   parsePlanCsv('Name,Duration\nDesign,5 days\nBuild,abc')
 *   // { ok: false, errors: [{ row: 3, message: 'Duration "abc" is not a number of days' }] }
 */
export function parsePlanCsv(input: string): PlanCsvResult {
  if (input.length > MAX_PLAN_BYTES || new TextEncoder().encode(input).length > MAX_PLAN_BYTES) {
    return fail(0, `the file is larger than ${MAX_PLAN_BYTES / 1024 / 1024} MB`);
  }
  const text = input.replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false, delimiter: guessDelimiter(text) });
  const records = parsed.data;
  const errors: PlanCsvError[] = [];
  for (const e of parsed.errors) {
    if (e.code === 'UndetectableDelimiter') continue;
    errors.push({ row: (e.row ?? 0) + 1, message: e.code === 'MissingQuotes' ? 'a quoted value is not closed (a " is missing)' : e.message });
  }
  if (errors.length > 0) return { ok: false, errors: dedupe(errors) };

  const header = records[0];
  if (!header || header.every((h) => h.trim() === '')) return fail(0, 'the file is empty');
  const { columns, duplicates } = mapHeader(header);
  if (!columns.has('Name')) return fail(1, `the header has no "Name" column (found: ${header.map((h) => JSON.stringify(h.trim())).join(', ')})`);
  if (duplicates.length > 0) return fail(1, `the header names ${duplicates.map((d) => `"${d}"`).join(', ')} more than once`);

  const rows: PlanRow[] = [];
  const byId = new Map<number, PlanRow>();
  /** ancestors[k] = the last row seen at outline level k + 1. */
  const ancestors: PlanRow[] = [];
  let dataRows = 0;
  const badIds = new Set<number>();
  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    if (record.every((v) => v.trim() === '')) continue;
    const cell = (column: PlanColumn): string => {
      const index = columns.get(column);
      return index === undefined ? '' : (record[index] ?? '').trim();
    };
    // MS Project's optional project summary row (ID 0, Outline Level 0) is the board itself.
    if (cell('Outline Level') === '0') continue;
    if (++dataRows > MAX_PLAN_ROWS) return fail(0, `the file has more than ${MAX_PLAN_ROWS.toLocaleString('en-US')} rows`);
    const rowNumber = r + 1;
    if (record.length > header.length && record.slice(header.length).some((v) => v.trim() !== '')) {
      errors.push({ row: rowNumber, message: `the row has ${record.length} values but the header has ${header.length} columns (a value with a comma must be in double quotes)` });
      continue;
    }
    const result = readRow(cell, rowNumber, dataRows);
    if (!result.ok) {
      errors.push({ row: rowNumber, message: result.messages.join('; ') });
      // Its ID still exists: links to it are not reported as dangling on top.
      const id = cell('ID') === '' ? dataRows : Number(cell('ID'));
      if (Number.isInteger(id)) badIds.add(id);
      continue;
    }
    const messages: string[] = [];
    const { row } = result;
    const clash = byId.get(row.id);
    if (clash) messages.push(`ID ${row.id} is also used by row ${clash.row}${result.explicitId ? '' : ' (rows without an ID are numbered by position)'}`);
    if (row.outlineLevel > ancestors.length + 1) {
      messages.push(`Outline Level ${row.outlineLevel} is more than one level below the row above (level ${ancestors.length})`);
    }
    if (messages.length > 0) {
      errors.push({ row: rowNumber, message: messages.join('; ') });
      continue;
    }
    ancestors.length = row.outlineLevel - 1;
    const planRow: PlanRow = { ...row, parentId: ancestors[row.outlineLevel - 2]?.id ?? null };
    ancestors.push(planRow);
    rows.push(planRow);
    byId.set(planRow.id, planRow);
  }
  if (dataRows === 0) return fail(0, 'the file has no data rows');
  // Loops of links are accepted: the board keeps them and the scheduler reports them (an
  // exported board with a loop must import again). Their number is bounded, though.
  for (const [row, messages] of checkLinks(rows, badIds, false)) errors.push({ row, message: messages.join('; ') });
  const links = rows.reduce((n, r) => n + r.predecessors.length, 0);
  if (links > MAX_PLAN_LINKS) errors.push({ row: 0, message: `the file has ${links.toLocaleString('en-US')} links; at most ${MAX_PLAN_LINKS.toLocaleString('en-US')} can be imported at once` });
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.row - b.row) };
  return { ok: true, rows };
}

/** The header line decides: MS Project writes ";" in locales whose decimal mark is ",", tabs for "text" exports. */
function guessDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const tabs = count('\t');
  const semicolons = count(';');
  const commas = count(',');
  if (tabs > commas && tabs > semicolons) return '\t';
  if (semicolons > commas) return ';';
  return ',';
}

function fail(row: number, message: string): PlanCsvResult {
  return { ok: false, errors: [{ row, message }] };
}

/** One entry per row: papaparse may report a row more than once. */
function dedupe(errors: PlanCsvError[]): PlanCsvError[] {
  const byRow = new Map<number, string[]>();
  for (const e of errors) {
    const list = byRow.get(e.row) ?? [];
    if (!list.includes(e.message)) list.push(e.message);
    byRow.set(e.row, list);
  }
  return [...byRow].sort((a, b) => a[0] - b[0]).map(([row, messages]) => ({ row, message: messages.join('; ') }));
}
