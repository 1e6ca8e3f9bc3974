import type * as Y from 'yjs';
import { exportPlanCsv } from '../../../shared/formats/csv/index.ts';
import { readBoard } from '../../../shared/doc/read.ts';
import { exportBoardJson } from '../../../shared/formats/json/index.ts';
import { exportMspdi } from '../../../shared/formats/mspdi/index.ts';
import { downloadBlob } from '../../export/download.ts';
import type { PlanModel } from '../../plan/planModel.ts';

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
