import { useState, useSyncExternalStore } from 'react';
import type { BoardSession, PresencePublisher } from '../board/session.ts';
import type { LocalPresencePublisher } from '../sync/presencePublisher.ts';
import type { PlanModel } from '../plan/planModel.ts';
import { BaselineSelect } from '../views/timeline/BaselineSelect.tsx';
import { exportCanvasPng, exportCanvasSvg, exportTimelinePdf, type CanvasScope, type ExportOutcome } from './exportActions.ts';
import type { PaperSize } from './pdfLayout.ts';

const NO_SELECTION: readonly string[] = [];
const noSubscription = () => () => {};

/** This user's canvas selection, when the session's presence publisher keeps it (the app's does). */
function useExportSelection(presence: PresencePublisher): readonly string[] {
  const local = 'subscribeSelection' in presence ? (presence as LocalPresencePublisher) : null;
  return useSyncExternalStore(local?.subscribeSelection ?? noSubscription, local?.getSelection ?? (() => NO_SELECTION));
}

/**
 * The image and PDF entries of the Import / Export menu: PNG and SVG of the canvas or of the
 * selection, and the timeline as a paged PDF (paper size and an optional baseline). They only
 * read the plan, so they are offered on view-only links too.
 */
export function ImageExportItems({ session, plan }: { session: BoardSession; plan: PlanModel }) {
  const selection = useExportSelection(session.presence);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ExportOutcome | null>(null);
  const [paper, setPaper] = useState<PaperSize>('a4');
  const [baselineId, setBaselineId] = useState<string | null>(null);
  const selected: CanvasScope = { kind: 'selection', ids: selection };
  const whole: CanvasScope = { kind: 'canvas' };

  async function run(action: () => ExportOutcome | Promise<ExportOutcome>) {
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome(await action());
    } finally {
      setBusy(false);
    }
  }

  const item = (label: string, detail: string, action: () => ExportOutcome | Promise<ExportOutcome>, disabled = false) => (
    <button type="button" className="io-item" disabled={busy || disabled} onClick={() => void run(action)}>
      {label} <span className="io-detail">{detail}</span>
    </button>
  );
  const noSelection = selection.length === 0;
  const selectionDetail = noSelection ? 'select shapes on the canvas first' : `the ${selection.length} selected item${selection.length === 1 ? '' : 's'}`;

  return (
    <div className="export-items" role="group" aria-label="Images and PDF">
      {item('PNG of the canvas', 'the whole board as an image, 2× resolution', () => exportCanvasPng(plan, whole))}
      {item('SVG of the canvas', 'the whole board as a vector drawing', () => exportCanvasSvg(plan, whole))}
      {item('PNG of the selection', selectionDetail, () => exportCanvasPng(plan, selected), noSelection)}
      {item('SVG of the selection', selectionDetail, () => exportCanvasSvg(plan, selected), noSelection)}
      {item('PDF of the timeline', 'task grid and Gantt bars, paged for printing', () => exportTimelinePdf(plan, { paper, baselineId }))}
      <div className="export-pdf-options">
        <label>
          Paper
          <select value={paper} onChange={(e) => setPaper(e.currentTarget.value === 'letter' ? 'letter' : 'a4')} aria-label="PDF paper size">
            <option value="a4">A4 landscape</option>
            <option value="letter">Letter landscape</option>
          </select>
        </label>
        {plan.baselines.length > 0 && (
          <label>
            Baseline
            <BaselineSelect baselines={plan.baselines} value={baselineId} onChange={setBaselineId} label="PDF baseline" />
          </label>
        )}
      </div>
      {busy && (
        <div className="io-result" role="status">
          Exporting…
        </div>
      )}
      {outcome && (
        <div className={`io-result ${outcome.ok ? 'ok' : 'error'}`} role="status" data-testid="export-result">
          {outcome.message}
        </div>
      )}
    </div>
  );
}
