import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import type { ImportFlow, ImportState } from './importFlow.ts';
import { LOCAL_IMPORT_MAX_BYTES, describeReady } from './importFlow.ts';
import { IMPORT_FORMAT_LABELS } from './importFormats.ts';

/**
 * The import dialog: progress while a file is read and checked, then what will be imported
 * and what cannot be used (Import / Cancel), or every problem when nothing can be imported.
 * Shown for the Import/Export menu and for a dropped file alike.
 */
export function ImportDialog({ flow }: { flow: ImportFlow }) {
  const state = useStore(flow.store);
  const primaryRef = useRef<HTMLButtonElement>(null);
  useEffect(() => primaryRef.current?.focus(), [state.phase]);
  if (state.phase === 'idle') return null;

  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && flow.cancel()}>
      <div className="modal import-dialog" role="dialog" aria-modal="true" aria-labelledby="import-dialog-title" data-testid="import-dialog" data-phase={state.phase}>
        <Body state={state} />
        <div className="modal-actions">
          {state.phase === 'ready' ? (
            <>
              <button type="button" className="button" onClick={flow.cancel}>
                Cancel
              </button>
              <button ref={primaryRef} type="button" className={describeReady(state.prepared).replaces ? 'button danger-solid' : 'button primary'} onClick={flow.confirm}>
                {describeReady(state.prepared).replaces ? 'Replace board content' : 'Import'}
              </button>
            </>
          ) : (
            <button ref={primaryRef} type="button" className="button" onClick={flow.cancel}>
              {state.phase === 'reading' || state.phase === 'checking' ? 'Cancel' : state.phase === 'applying' ? 'Hide' : 'Close'}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

function Body({ state }: { state: Exclude<ImportState, { phase: 'idle' }> }) {
  switch (state.phase) {
    case 'reading': {
      const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
      return (
        <>
          <h2 id="import-dialog-title">Reading {state.fileName}…</h2>
          <Progress value={state.total > 0 ? state.loaded / state.total : null} label={`${mb(state.loaded)} of ${mb(state.total)} MB`} />
        </>
      );
    }
    case 'checking': {
      const p = state.progress;
      const label = p === null ? 'Starting…' : p.total === null ? `Checking ${p.unit}…` : `Checked ${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} ${p.unit}`;
      return (
        <>
          <h2 id="import-dialog-title">
            Checking {state.fileName} ({IMPORT_FORMAT_LABELS[state.format]})…
          </h2>
          <Progress value={p && p.total ? p.done / p.total : null} label={label} />
          <p className="muted">Everything is checked before anything is imported.</p>
        </>
      );
    }
    case 'ready': {
      const { title, lines, replaces } = describeReady(state.prepared);
      const warnings = state.prepared.warnings;
      return (
        <>
          <h2 id="import-dialog-title">{title}</h2>
          <p className="muted">From {state.fileName}</p>
          {lines.map((line) => (
            <p key={line} className={replaces ? 'import-replace-warning' : undefined}>
              {line}
            </p>
          ))}
          {state.prepared.updateBytes > LOCAL_IMPORT_MAX_BYTES && (
            <p className="muted">This file is large, so the server imports it for everyone in one step; Undo will not take it back.</p>
          )}
          {warnings.length > 0 && (
            <div className="io-result warn" data-testid="import-warnings">
              <strong>
                {warnings.length} problem{warnings.length === 1 ? '' : 's'}: these parts of the file will not be used as written
              </strong>
              <ProblemList lines={warnings} />
            </div>
          )}
        </>
      );
    }
    case 'applying':
      return (
        <>
          <h2 id="import-dialog-title">Importing {state.fileName}…</h2>
          <Progress value={null} label="The server is adding the plan to the board; everyone sees it when it is done." />
        </>
      );
    case 'failed':
      return (
        <>
          <h2 id="import-dialog-title">{state.title}</h2>
          <p className="muted">{state.fileName}: fix the file and import it again. Nothing on the board changed.</p>
          <div className="io-result error" role="alert">
            <ProblemList lines={state.lines} />
          </div>
        </>
      );
    case 'done':
      return (
        <>
          <h2 id="import-dialog-title">{state.title}</h2>
          <p role="status">{state.lines.join(' ')}</p>
        </>
      );
  }
}

function ProblemList({ lines }: { lines: string[] }) {
  return (
    <ul>
      {lines.map((line, i) => (
        <li key={i}>{line}</li>
      ))}
    </ul>
  );
}

/** A progress bar; `value` null = indeterminate (the total is not known). */
function Progress({ value, label }: { value: number | null; label: string }) {
  return (
    <div className="import-progress" data-testid="import-progress">
      <progress max={1} value={value ?? undefined} aria-label={label} />
      <span>{label}</span>
    </div>
  );
}
