import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import * as Y from 'yjs';
import { readBoard } from '../../shared/doc/read.ts';
import { versionDisplayName } from '../../shared/history/versions.ts';
import type { BoardSession } from '../board/session.ts';
import type { SvgHighlight } from '../export/canvasSvg.ts';
import { canvasMeasure } from '../export/rasterize.ts';
import { BoardPreview } from './BoardPreview.tsx';
import { CanvasChangeHighlights } from './CanvasChangeHighlights.tsx';
import { RestoreConfirm } from './RestoreConfirm.tsx';
import { historyUiFor } from './historyUi.ts';
import { describeChange, previewRows } from './previewRows.ts';
import { absoluteTime } from './relativeTime.ts';
import { restoreVersion } from './restoreVersion.ts';
import { useLiveBoard } from './useLiveBoard.ts';
import { changeHighlights, readVersion, versionSvg } from './versionDrawing.ts';

/** Rows drawn at most (a 10k-task board stays responsive); the rest are counted. */
const MAX_ROWS = 500;

type PreviewMode = 'canvas' | 'tasks';

/**
 * A version being previewed, over the board: the banner ("Previewing “X” — Canvas | Tasks,
 * Compare with now | Restore | Back to live") and, read-only, either the version's canvas as a
 * picture (the default on the canvas tab) or the list of its tasks. With "Compare with now",
 * each task is marked added / removed / changed against the live document (which keeps
 * updating), in the list and outlined on the picture, and "Show on canvas" hides both so the
 * changed tasks are outlined on the live canvas. Nothing here writes to the document except
 * Restore.
 */
export function VersionPreview({ session, editToken, view }: { session: BoardSession; editToken?: string; view: string }) {
  const ui = historyUiFor(session.doc);
  const preview = useStore(ui, (s) => s.preview);
  const [onCanvas, setOnCanvas] = useState(false);
  const [chosenMode, setMode] = useState<PreviewMode | null>(null);
  const mode: PreviewMode = chosenMode ?? (view === 'canvas' ? 'canvas' : 'tasks');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const compare = preview?.compare ?? false;
  const live = useLiveBoard(session.doc, compare);
  const versionBoard = useMemo(() => (preview ? readBoard(preview.doc) : null), [preview?.doc]); // eslint-disable-line react-hooks/exhaustive-deps
  const today = new Date().toISOString().slice(0, 10);
  const rows = useMemo(() => (versionBoard ? previewRows(versionBoard, compare ? live : null, today) : []), [versionBoard, compare, live, today]);
  // The picture: the version is read and scheduled once; it is redrawn only when the outlines
  // change (not at every live edit that leaves them as they were).
  const showBoard = mode === 'canvas';
  const reading = useMemo(() => (preview && showBoard ? readVersion(preview.doc, today) : null), [preview?.doc, showBoard, today]); // eslint-disable-line react-hooks/exhaustive-deps
  const highlights = useStableHighlights(showBoard && compare && live && versionBoard ? changeHighlights(rows, versionBoard, live) : NO_HIGHLIGHTS);
  const drawing = useMemo(() => (reading ? versionSvg(reading, { highlights, measure: canvasMeasure }) : null), [reading, highlights]);

  useEffect(() => {
    setOnCanvas(false);
    setConfirming(false);
    setMode(null);
  }, [preview?.version.id]);
  if (!preview || !versionBoard) return null;

  const name = versionDisplayName(preview.version);
  const canRestore = !session.readOnly && !!editToken;
  const changed = rows.filter((r) => r.change).length;

  const restore = async () => {
    if (!editToken) return;
    setConfirming(false);
    setBusy(true);
    // The preview document is never edited, so its full state is the version's.
    const state = Y.encodeStateAsUpdate(preview.doc);
    const result = await restoreVersion(session, editToken, preview.version, state);
    setBusy(false);
    if (!result.ok) {
      ui.getState().setNotice({ text: result.error, undo: false, error: true });
      return;
    }
    ui.getState().endPreview();
    ui.getState().setNotice(
      result.changed ? { text: `Restored “${name}”`, undo: true, error: false } : { text: `The board already matches “${name}”`, undo: false, error: false },
    );
  };

  const showOnCanvas = compare && onCanvas && live !== null && view === 'canvas';
  return (
    <>
      <div className={`history-preview-layer${showOnCanvas ? ' on-canvas' : ''}`}>
        <div className="history-banner" role="region" aria-label="Version preview" data-testid="history-banner">
          <span className="history-banner-text">
            Previewing <strong>“{name}”</strong> <span className="muted">({absoluteTime(preview.version.createdAt)})</span>
            {compare && live && <span className="history-banner-count"> · {changed === 0 ? 'same as now' : `${changed} task${changed === 1 ? '' : 's'} differ from now`}</span>}
          </span>
          <span className="history-banner-actions">
            {!showOnCanvas && (
              <span className="history-mode" role="group" aria-label="Show the version as">
                {(['canvas', 'tasks'] as const).map((m) => (
                  <button key={m} type="button" className={`button small${mode === m ? ' is-active' : ''}`} aria-pressed={mode === m} data-testid={`history-mode-${m}`} onClick={() => setMode(m)}>
                    {m === 'canvas' ? 'Canvas' : 'Tasks'}
                  </button>
                ))}
              </span>
            )}
            <button type="button" className={`button small${compare ? ' is-active' : ''}`} aria-pressed={compare} data-testid="history-compare" onClick={() => ui.getState().setCompare(!compare)}>
              Compare with now
            </button>
            {compare && view === 'canvas' && (
              <button type="button" className={`button small${onCanvas ? ' is-active' : ''}`} aria-pressed={onCanvas} data-testid="history-on-canvas" onClick={() => setOnCanvas((v) => !v)}>
                {onCanvas ? (mode === 'canvas' ? 'Show the version' : 'Show list') : 'Show on canvas'}
              </button>
            )}
            {canRestore && (
              <button type="button" className="button small primary" disabled={busy} data-testid="history-restore" onClick={() => setConfirming(true)}>
                {busy ? 'Restoring…' : 'Restore'}
              </button>
            )}
            <button type="button" className="button small" data-testid="history-back" onClick={() => ui.getState().endPreview()}>
              Back to live
            </button>
          </span>
        </div>
        {!showOnCanvas && showBoard && <BoardPreview drawing={drawing} name={name} compare={compare && live !== null} />}
        {!showOnCanvas && !showBoard && (
          <div className="history-preview" data-testid="history-preview">
            <table className="history-table">
              <thead>
                <tr>
                  <th>Task</th>
                  <th>Start</th>
                  <th>Finish</th>
                  <th>Status</th>
                  {compare && <th>Compared with now</th>}
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, MAX_ROWS).map((row) => (
                  <tr key={row.id} className={row.change ? `change-${row.change.kind}` : undefined} data-testid="history-row" data-change={row.change?.kind ?? 'same'}>
                    <td>{row.title || <span className="muted">Untitled</span>}</td>
                    <td>
                      {row.start}
                      {row.nowStart && row.nowStart !== row.start && <span className="history-now"> → {row.nowStart}</span>}
                    </td>
                    <td>
                      {row.finish}
                      {row.nowFinish && row.nowFinish !== row.finish && <span className="history-now"> → {row.nowFinish}</span>}
                    </td>
                    <td>{row.status}</td>
                    {compare && <td className="history-change">{row.change ? describeChange(row.change) : ''}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
            {rows.length === 0 && <p className="history-empty">This version has no tasks.</p>}
            {rows.length > MAX_ROWS && <p className="history-empty">and {rows.length - MAX_ROWS} more tasks</p>}
            {versionBoard.notes.size > 0 && <p className="history-empty">{versionBoard.notes.size} sticky note{versionBoard.notes.size === 1 ? '' : 's'} in this version.</p>}
          </div>
        )}
      </div>
      {confirming && canRestore && <RestoreConfirm name={name} onConfirm={() => void restore()} onCancel={() => setConfirming(false)} />}
      {showOnCanvas && live && <CanvasChangeHighlights session={session} version={versionBoard} live={live} rows={rows} />}
    </>
  );
}

/** After a restore: "Restored “X” — Undo" (the restore is one undo step of this user). */
export function HistoryNotice({ session }: { session: BoardSession }) {
  const ui = historyUiFor(session.doc);
  const notice = useStore(ui, (s) => s.notice);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => ui.getState().setNotice(null), notice.error ? 15_000 : 10_000);
    return () => clearTimeout(timer);
  }, [notice, ui]);
  // The toast's Undo means "undo the restore": once this user does anything else, it would undo that instead.
  useEffect(() => {
    if (!notice?.undo) return;
    const onStep = () => ui.getState().setNotice(null);
    session.undoManager.on('stack-item-added', onStep);
    session.undoManager.on('stack-item-popped', onStep);
    return () => {
      session.undoManager.off('stack-item-added', onStep);
      session.undoManager.off('stack-item-popped', onStep);
    };
  }, [notice, session, ui]);
  if (!notice) return null;
  return (
    <div className={`toast history-toast${notice.error ? ' error' : ''}`} role={notice.error ? 'alert' : 'status'} data-testid="history-toast">
      <span>{notice.text}</span>
      {notice.undo && (
        <button
          type="button"
          className="history-toast-undo"
          onClick={() => {
            session.undoManager.undo();
            ui.getState().setNotice(null);
          }}
        >
          Undo
        </button>
      )}
      <button type="button" className="history-toast-close" aria-label="Dismiss" onClick={() => ui.getState().setNotice(null)}>
        ×
      </button>
    </div>
  );
}

const NO_HIGHLIGHTS: readonly SvgHighlight[] = [];

/** The same array as last render while the outlines are equal, so the picture is not redrawn at every live edit. */
function useStableHighlights(next: readonly SvgHighlight[]): readonly SvgHighlight[] {
  const previous = useRef(next);
  if (!sameHighlights(previous.current, next)) previous.current = next;
  return previous.current;
}

function sameHighlights(a: readonly SvgHighlight[], b: readonly SvgHighlight[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((h, i) => {
    const o = b[i]!;
    return h.id === o.id && h.kind === o.kind && h.label === o.label && h.x === o.x && h.y === o.y && h.w === o.w && h.h === o.h;
  });
}
