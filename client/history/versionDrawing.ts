import type * as Y from 'yjs';
import type { BoardSnapshot } from '../../shared/doc/read.ts';
import { BoardModel } from '../canvas/boardModel.ts';
import { buildCanvasSvg, type CanvasSvg, type SvgHighlight } from '../export/canvasSvg.ts';
import type { TextMeasure } from '../export/svgText.ts';
import { planDecorations, type CardPlanInfo, type LinkTone } from '../plan/cardInfo.ts';
import { PlanModel } from '../plan/planModel.ts';
import { changeParts, type PlanChange } from './planChanges.ts';
import type { PreviewRow } from './previewRows.ts';

/**
 * A version's canvas as a picture: the version's document drawn by the SVG exporter, with
 * the cards the canvas would show (scheduled dates, progress, badges) and, when comparing
 * with now, the tasks that differ outlined in the history colours. Reads the version's
 * document only (its models are never started, so they observe and write nothing). Pure
 * apart from that reading: no DOM.
 */
export interface VersionReading {
  title: string;
  board: BoardModel;
  infos: ReadonlyMap<string, CardPlanInfo>;
  tones: ReadonlyMap<string, LinkTone>;
}

/** Reads and schedules the version once (the expensive part); drawings reuse it. */
export function readVersion(doc: Y.Doc, today: string): VersionReading {
  const board = new BoardModel(doc);
  const plan = new PlanModel(doc, board, () => today);
  const { infos, tones } = planDecorations(plan);
  return { title: plan.meta.title, board, infos, tones };
}

/** The version drawn as SVG (null when its canvas is empty and nothing is outlined). */
export function versionSvg(reading: VersionReading, options: { highlights?: readonly SvgHighlight[]; measure?: TextMeasure; now?: Date } = {}): CanvasSvg | null {
  return buildCanvasSvg({
    title: reading.title,
    tasks: reading.board.tasks.values(),
    notes: reading.board.notes.values(),
    deps: reading.board.liveDeps(),
    infos: reading.infos,
    tones: reading.tones,
    highlights: options.highlights,
    measure: options.measure,
    now: options.now,
  });
}

/** The short label of a change, shown on its outline: "added since", "renamed · moved". */
export function changeLabel(change: PlanChange): string {
  if (change.kind === 'added') return 'added since';
  if (change.kind === 'removed') return 'removed since';
  return changeParts(change).join(' · ') || 'changed';
}

/**
 * The outlines of a version compared with now: a changed or removed task where it was in the
 * version (that is the picture shown), a task added since where it is now (a ghost: the
 * version does not have it). `rows` come from previewRows, so the list and the picture agree.
 */
export function changeHighlights(rows: readonly PreviewRow[], version: BoardSnapshot, live: BoardSnapshot): SvgHighlight[] {
  const out: SvgHighlight[] = [];
  for (const { id, change } of rows) {
    if (!change) continue;
    const task = change.kind === 'added' ? live.tasks.get(id) : version.tasks.get(id);
    if (!task) continue;
    // The version does not draw an added task: its outline names it.
    const label = change.kind === 'added' ? `${changeLabel(change)}: ${task.title || 'Untitled task'}` : changeLabel(change);
    out.push({ id, kind: change.kind, label, x: task.x, y: task.y, w: task.w, h: task.h });
  }
  return out;
}
