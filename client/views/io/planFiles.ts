import { applyPlanRows, exportPlanCsv, parsePlanCsv, type PlanCsvError } from '../../../shared/formats/csv/index.ts';
import type { BoardSession } from '../../board/session.ts';
import type { PlanModel } from '../../plan/planModel.ts';

export type ImportResult = { ok: true; tasks: number; dependencies: number; projectStart?: string } | { ok: false; errors: PlanCsvError[] };

/**
 * Imports a plan CSV into the open board: reads the file, validates every row first (a file
 * with any bad row imports nothing), then adds it in one transaction with the session's
 * local origin, so the whole import is one undo step. Refused for view-only sessions.
 *
 * @example const result = await importCsvFile(session, input.files[0])
 */
export async function importCsvFile(session: BoardSession, file: Blob): Promise<ImportResult> {
  if (session.readOnly) return { ok: false, errors: [{ row: 0, message: 'this is a view-only link; importing needs the edit link' }] };
  let text: string;
  try {
    text = await file.text();
  } catch {
    return { ok: false, errors: [{ row: 0, message: 'the file could not be read' }] };
  }
  const parsed = parsePlanCsv(text);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const counts = applyPlanRows(session.doc, parsed.rows, session.localOrigin);
  return { ok: true, ...counts };
}

/** Downloads the plan as "<board title>.csv" (UTF-8 with a byte-order mark, for Excel). */
export function exportCsv(plan: PlanModel): void {
  const csv = exportPlanCsv({ tasks: plan.board.tasks, deps: plan.board.liveDeps(), meta: plan.meta, today: plan.today() });
  const blob = new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = `${fileNameOf(plan.meta.title)}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
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
