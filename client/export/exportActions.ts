import type { PlanModel } from '../plan/planModel.ts';
import { planDecorations } from '../plan/cardInfo.ts';
import { fileNameOf } from '../views/io/planFiles.ts';
import { buildCanvasSvg, type CanvasSvg } from './canvasSvg.ts';
import { downloadBlob } from './download.ts';
import type { PaperSize } from './pdfLayout.ts';
import { canvasMeasure, svgToPng } from './rasterize.ts';

/**
 * The export entries' actions: read the live plan, build the file, download it, and say
 * what happened in one sentence for the menu. They write nothing to the document, so view-only
 * links may use them.
 */
export interface ExportOutcome {
  ok: boolean;
  message: string;
}

/** What to export from the canvas: everything, or the shapes (and links) selected. */
export type CanvasScope = { kind: 'canvas' } | { kind: 'selection'; ids: readonly string[] };

function canvasSvgOf(plan: PlanModel, scope: CanvasScope): CanvasSvg | null {
  const { infos, tones } = planDecorations(plan);
  return buildCanvasSvg({
    title: plan.meta.title,
    tasks: plan.board.tasks.values(),
    notes: plan.board.notes.values(),
    deps: plan.board.liveDeps(),
    infos,
    tones,
    only: scope.kind === 'selection' ? new Set(scope.ids) : undefined,
    measure: canvasMeasure,
  });
}

function baseName(plan: PlanModel, scope: CanvasScope): string {
  return `${fileNameOf(plan.meta.title)}${scope.kind === 'selection' ? ' (selection)' : ''}`;
}

function nothingToExport(scope: CanvasScope): ExportOutcome {
  return { ok: false, message: scope.kind === 'selection' ? 'Select shapes on the canvas to export them.' : 'The canvas is empty: there is nothing to export.' };
}

/** Downloads "<title>.svg" (or "<title> (selection).svg"). */
export function exportCanvasSvg(plan: PlanModel, scope: CanvasScope): ExportOutcome {
  const drawing = canvasSvgOf(plan, scope);
  if (!drawing) return nothingToExport(scope);
  downloadBlob(new Blob(['<?xml version="1.0" encoding="UTF-8"?>\n', drawing.svg], { type: 'image/svg+xml;charset=utf-8' }), `${baseName(plan, scope)}.svg`);
  return { ok: true, message: `Exported ${describe(drawing)} as SVG.` };
}

/** Downloads "<title>.png" at 2 pixels per canvas unit, less for a board too large for that. */
export async function exportCanvasPng(plan: PlanModel, scope: CanvasScope): Promise<ExportOutcome> {
  const drawing = canvasSvgOf(plan, scope);
  if (!drawing) return nothingToExport(scope);
  try {
    const { blob, size } = await svgToPng(drawing.svg, drawing.width, drawing.height);
    downloadBlob(blob, `${baseName(plan, scope)}.png`);
    const reduced = size.reduced
      ? ` The board is too large for full resolution: the image is ${size.width} × ${size.height} px (${Math.round(size.scale * 100)} % scale).`
      : '';
    return { ok: true, message: `Exported ${describe(drawing)} as PNG.${reduced}` };
  } catch (error) {
    return { ok: false, message: `The PNG could not be made: ${error instanceof Error ? error.message : String(error)}.` };
  }
}

/** Downloads "<title> timeline.pdf": jsPDF and the drawing code load only now. */
export async function exportTimelinePdf(plan: PlanModel, options: { paper: PaperSize; baselineId: string | null }): Promise<ExportOutcome> {
  try {
    const { buildTimelinePdf } = await import('./pdfTimeline.ts');
    const pdf = buildTimelinePdf({
      title: plan.meta.title,
      rows: plan.outline(),
      schedule: plan.schedule(),
      deps: plan.board.liveDeps(),
      today: plan.today(),
      paper: options.paper,
      baseline: plan.baselines.find((b) => b.id === options.baselineId) ?? null,
    });
    downloadBlob(pdf.output('blob'), `${fileNameOf(plan.meta.title)} timeline.pdf`);
    const pages = pdf.getNumberOfPages();
    return { ok: true, message: `Exported the timeline as a PDF of ${pages} page${pages === 1 ? '' : 's'}.` };
  } catch (error) {
    return { ok: false, message: `The PDF could not be made: ${error instanceof Error ? error.message : String(error)}.` };
  }
}

function describe(drawing: CanvasSvg): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(drawing.shapes, 'shape')} and ${plural(drawing.links, 'link')}`;
}
