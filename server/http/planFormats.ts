import type * as Y from 'yjs';
import { readBoard } from '../../shared/doc/read.ts';
import { MAX_PLAN_BYTES, applyPlanRows, exportPlanCsv, parsePlanCsv, type PlanRow } from '../../shared/formats/csv/index.ts';
import { BOARD_FILE_LIMITS, exportBoardJson, importBoardJson, parseBoardJson } from '../../shared/formats/json/index.ts';
import { MAX_MSPDI_BYTES, applyMspdi, exportMspdi, parseMspdi, type MspdiPlan } from '../../shared/formats/mspdi/index.ts';

/**
 * The file formats of GET /export and POST /import, as data: adding a format is one entry in
 * each table. Parsing validates a whole file without touching any board; only `apply` writes,
 * inside the board's room, in one transaction. Contract: docs/api.md.
 */

export interface PlanExporter {
  contentType: string;
  extension: string;
  write(doc: Y.Doc, today: string, now: string): string;
}

export const EXPORTERS: Record<string, PlanExporter> = {
  csv: {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    // The byte-order mark makes Excel read the file as UTF-8 (names with accents); parsePlanCsv skips it.
    write: (doc, today) => '\uFEFF' + exportPlanCsv({ ...readBoard(doc), today }),
  },
  json: {
    contentType: 'application/json; charset=utf-8',
    extension: 'json',
    write: (doc, _today, now) => exportBoardJson(doc, now),
  },
  mspdi: {
    contentType: 'application/xml; charset=utf-8',
    extension: 'xml',
    write: (doc, today) => exportMspdi({ board: readBoard(doc), today }),
  },
};

/** What an importer's parse found: a value to apply, or every problem (nothing is written). */
export type ParsedImport<P> =
  | { ok: true; value: P; warnings: string[] }
  | { ok: false; error: string; problems: unknown[]; extra?: Record<string, unknown> };

export interface PlanImporter<P> {
  /** Media types (no parameters, lower case) this format may arrive as, beyond GENERIC_FILE_TYPES. */
  contentTypes: readonly string[];
  /** Larger bodies get 413 before parsing. */
  maxBytes: number;
  parse(text: string): ParsedImport<P>;
  /** Writes the parsed file into the board in one transaction; returns counts for the response. */
  apply(doc: Y.Doc, value: P, origin: unknown): Record<string, number | string | undefined>;
  /** Frees what parse allocated (a Y.Doc), whether or not it was applied. */
  dispose?(value: P): void;
}

/** Types any format may come as: what browsers and curl send for a file they do not know. */
export const GENERIC_FILE_TYPES: readonly string[] = ['text/plain', 'application/octet-stream'];

const csv: PlanImporter<PlanRow[]> = {
  // Windows browsers send .csv files as application/vnd.ms-excel.
  contentTypes: ['text/csv', 'application/csv', 'application/vnd.ms-excel'],
  maxBytes: MAX_PLAN_BYTES,
  parse(text) {
    const parsed = parsePlanCsv(text);
    if (parsed.ok) return { ok: true, value: parsed.rows, warnings: [] };
    const fileLevel = parsed.errors.length === 1 && parsed.errors[0]!.row <= 1;
    const error = fileLevel ? parsed.errors[0]!.message : `the file has ${parsed.errors.length} bad row${parsed.errors.length === 1 ? '' : 's'}; nothing was imported`;
    const problems = parsed.errors.map((e) => (e.row > 0 ? `row ${e.row}: ${e.message}` : e.message));
    // `rows` is the CSV import's original error shape (docs/api.md), kept for existing clients.
    return { ok: false, error, problems, extra: { rows: parsed.errors } };
  },
  apply: (doc, rows, origin) => ({ ...applyPlanRows(doc, rows, origin) }),
};

const json: PlanImporter<Y.Doc> = {
  contentTypes: ['application/json'],
  maxBytes: BOARD_FILE_LIMITS.maxBytes,
  parse(text) {
    const parsed = parseBoardJson(text);
    if (parsed.ok) return { ok: true, value: parsed.source, warnings: parsed.warnings };
    const error = parsed.errors.length === 1 ? parsed.errors[0]! : `the file has ${parsed.errors.length} problems; nothing was imported`;
    return { ok: false, error, problems: parsed.errors };
  },
  apply: (doc, source, origin) => ({ ...importBoardJson(doc, source, origin) }),
  dispose: (source) => source.destroy(),
};

const mspdi: PlanImporter<MspdiPlan> = {
  contentTypes: ['application/xml', 'text/xml', 'application/vnd.ms-project'],
  maxBytes: MAX_MSPDI_BYTES,
  parse(text) {
    const parsed = parseMspdi(text);
    if (parsed.ok) return { ok: true, value: parsed.plan, warnings: parsed.warnings };
    const error = parsed.errors.length === 1 ? parsed.errors[0]!.message : `the file has ${parsed.errors.length} problems; nothing was imported`;
    return { ok: false, error, problems: parsed.errors };
  },
  apply: (doc, plan, origin) => ({ ...applyMspdi(doc, plan, origin) }),
};

/** A table entry of any format (the value type only matters between its own parse and apply). */
type AnyImporter = PlanImporter<unknown>;
const entry = <P>(importer: PlanImporter<P>): AnyImporter => importer as unknown as AnyImporter;

export const IMPORTERS: Record<string, AnyImporter> = {
  csv: entry(csv),
  json: entry(json),
  mspdi: entry(mspdi),
};

/** The largest body any importer accepts (the request body limit; each format then checks its own). */
export function maxImportBytes(): number {
  return Math.max(...Object.values(IMPORTERS).map((i) => i.maxBytes));
}

/** True when `contentType` (a header value, maybe with parameters, maybe absent) may carry `importer`'s files. */
export function acceptsContentType(importer: AnyImporter, contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '') return true;
  return GENERIC_FILE_TYPES.includes(type) || importer.contentTypes.includes(type);
}
