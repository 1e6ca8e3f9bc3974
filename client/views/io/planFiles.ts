import type * as Y from 'yjs';
import { exportPlanCsv, type PlanCsvError } from '../../../shared/formats/csv/index.ts';
import { readBoard } from '../../../shared/doc/read.ts';
import { exportBoardJson } from '../../../shared/formats/json/index.ts';
import { exportMspdi } from '../../../shared/formats/mspdi/index.ts';
import { downloadBlob } from '../../export/download.ts';
import type { PlanModel } from '../../plan/planModel.ts';

/** The outcome shown for a dropped file that cannot be imported (BoardPage's floating note). */
export type ImportResult = { ok: true; tasks: number; dependencies: number; projectStart?: string } | { ok: false; errors: PlanCsvError[] };

/**
 * Exports are built here, from the local document, with the same shared exporters as the
 * server's GET /export: they work offline and for view-only links.
 */

/** Downloads the plan as "<board title>.csv" (UTF-8 with a byte-order mark, for Excel). */
export function exportCsv(plan: PlanModel): void {
  const csv = exportPlanCsv({ tasks: plan.board.tasks, deps: plan.board.liveDeps(), meta: plan.meta, today: plan.today() });
  downloadBlob(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }), `${fileNameOf(plan.meta.title)}.csv`);
}

/** Downloads the whole board as "<board title>.json" (the Planvas board file, shared/formats/json). */
export function exportJson(doc: Y.Doc, title: string): void {
  const json = exportBoardJson(doc, new Date().toISOString());
  downloadBlob(new Blob([json], { type: 'application/json;charset=utf-8' }), `${fileNameOf(title)}.json`);
}

/** Downloads the plan as "<board title>.xml" in MS Project's XML format (MSPDI), which MS Project opens. */
export function exportMspdiFile(doc: Y.Doc, title: string, today: string): void {
  const xml = exportMspdi({ board: readBoard(doc), today });
  downloadBlob(new Blob([xml], { type: 'application/xml;charset=utf-8' }), `${fileNameOf(title)}.xml`);
}

/** A board title made safe as a file name. */
export function fileNameOf(title: string): string {
  return title.replace(/[\p{Cc}"\\/:*?<>|]/gu, '_').trim().replace(/^\.+/, '').slice(0, 100) || 'board';
}

/** "Imported 3 tasks and 2 links", or the bad rows (the first `limit`, then "and N more"). */
export function describeImport(result: ImportResult, limit = 20): { ok: boolean; title: string; lines: string[] } {
  if (result.ok) {
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const lines = result.projectStart ? [`The project start moved back to ${result.projectStart}, where the imported plan begins.`] : [];
    return { ok: true, title: `Imported ${plural(result.tasks, 'task')} and ${plural(result.dependencies, 'link')}`, lines };
  }
  const rows = result.errors.filter((e) => e.row > 1);
  const title = rows.length > 0 ? `The file has ${rows.length} bad row${rows.length === 1 ? '' : 's'}; nothing was imported` : 'Nothing was imported';
  const lines = result.errors.slice(0, limit).map((e) => (e.row > 0 ? `row ${e.row}: ${e.message}` : e.message));
  if (result.errors.length > limit) lines.push(`and ${result.errors.length - limit} more`);
  return { ok: false, title, lines };
}
