import { parsePlanCsv, type PlanRow } from '../../../shared/formats/csv/index.ts';
import { parseBoardJson, type BoardFileCounts } from '../../../shared/formats/json/index.ts';
import { applyMspdi, parseMspdi, type MspdiPlan } from '../../../shared/formats/mspdi/index.ts';
import { applyPlanRows } from '../../../shared/formats/csv/index.ts';
import * as Y from 'yjs';
import type { ImportFormat } from './importFormats.ts';

/**
 * The validating half of an import, with no document and no DOM, so it runs in the import
 * Web Worker (importWorker.ts) and, where workers are unavailable, on the main thread. The
 * result is structured-cloneable: CSV rows, an MS Project plan, or a JSON board as an encoded
 * Yjs update.
 */
export type PreparedImport =
  | ({ ok: true; format: 'csv'; rows: PlanRow[]; counts: { tasks: number; dependencies: number } } & Sized)
  | ({ ok: true; format: 'json'; update: Uint8Array; counts: BoardFileCounts } & Sized)
  | ({ ok: true; format: 'mspdi'; plan: MspdiPlan; counts: { tasks: number; dependencies: number; baselines: number } } & Sized)
  | { ok: false; errors: string[] };

interface Sized {
  warnings: string[];
  /**
   * About how many bytes the import adds to the document as one Yjs update. An update larger
   * than one WebSocket message may carry cannot be synced; such imports go through the server.
   */
  updateBytes: number;
}

export interface PrepareProgress {
  done: number;
  /** null while the total is not known (the bar is then indeterminate). */
  total: number | null;
  /** What is counted: "rows", "entities", "tasks". */
  unit: string;
}

export function prepareImport(format: ImportFormat, text: string, onProgress: (p: PrepareProgress) => void): PreparedImport {
  switch (format) {
    case 'csv': {
      // The CSV parser validates in one go; announce how many rows it is checking.
      onProgress({ done: 0, total: null, unit: `${countLines(text).toLocaleString('en-US')} rows` });
      const parsed = parsePlanCsv(text);
      if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => (e.row > 0 ? `row ${e.row}: ${e.message}` : e.message)) };
      const dependencies = parsed.rows.reduce((n, r) => n + r.predecessors.length, 0);
      const updateBytes = measureUpdate((doc) => applyPlanRows(doc, parsed.rows));
      return { ok: true, format, rows: parsed.rows, counts: { tasks: parsed.rows.length, dependencies }, warnings: [], updateBytes };
    }
    case 'json': {
      const parsed = parseBoardJson(text, { onProgress: (done, total) => onProgress({ done, total, unit: 'entities' }) });
      if (!parsed.ok) return parsed;
      const update = Y.encodeStateAsUpdate(parsed.source);
      parsed.source.destroy();
      return { ok: true, format, update, counts: parsed.counts, warnings: parsed.warnings, updateBytes: update.length };
    }
    case 'mspdi': {
      // The XML parser validates in one go; announce the size of the job.
      onProgress({ done: 0, total: null, unit: `${(text.match(/<Task>/g) ?? []).length.toLocaleString('en-US')} tasks` });
      const parsed = parseMspdi(text);
      if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => (e.task ? `task ${e.task}: ${e.message}` : e.message)) };
      const { plan } = parsed;
      const counts = { tasks: plan.tasks.length, dependencies: plan.links.length, baselines: plan.baselines.length };
      return { ok: true, format, plan, counts, warnings: parsed.warnings, updateBytes: measureUpdate((doc) => applyMspdi(doc, plan)) };
    }
  }
}

/** Size of the update an import writes, measured on an empty scratch document. */
function measureUpdate(apply: (doc: Y.Doc) => unknown): number {
  const doc = new Y.Doc();
  let bytes = 0;
  doc.on('update', (update: Uint8Array) => (bytes += update.length));
  apply(doc);
  doc.destroy();
  return bytes;
}

/** Data rows of a CSV, roughly (line breaks inside quoted values count too): for the progress label only. */
function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return Math.max(0, n - (text.endsWith('\n') ? 1 : 0));
}
