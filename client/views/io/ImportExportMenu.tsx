import { useCallback, useRef, useState } from 'react';
import type { BoardSession } from '../../board/session.ts';
import type { PlanModel } from '../../plan/planModel.ts';
import { describeImport, exportCsv, importCsvFile } from './planFiles.ts';
import { useDismiss } from '../../app/useDismiss.ts';

/**
 * Header button "Import / Export": a popover with "Import CSV…" (hidden for view-only links),
 * "Export CSV" and the outcome of the last import (its bad rows, first 20, or the counts).
 */
export function ImportExportMenu({ session, plan }: { session: BoardSession; plan: PlanModel }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<ReturnType<typeof describeImport> | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useDismiss(open, rootRef, useCallback(() => setOpen(false), []));

  async function onFile(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    try {
      setMessage(describeImport(await importCsvFile(session, file)));
    } finally {
      setBusy(false);
      if (inputRef.current) inputRef.current.value = '';
    }
  }

  return (
    <div className="io-menu" ref={rootRef}>
      <button type="button" className="button small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        Import / Export
      </button>
      {open && (
        <div className="popover io-popover" role="dialog" aria-label="Import or export the plan">
          {!session.readOnly && (
            <>
              <button type="button" className="io-item" disabled={busy} onClick={() => inputRef.current?.click()}>
                Import CSV…
              </button>
              <input
                ref={inputRef}
                type="file"
                accept=".csv,text/csv"
                hidden
                data-testid="import-csv-input"
                onChange={(e) => void onFile(e.currentTarget.files?.[0])}
              />
            </>
          )}
          <button type="button" className="io-item" onClick={() => exportCsv(plan)}>
            Export CSV
          </button>
          {message && (
            <div className={`io-result ${message.ok ? 'ok' : 'error'}`} role="status">
              <strong>{message.title}</strong>
              {message.lines.length > 0 && (
                <ul>
                  {message.lines.map((line, i) => (
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          {!session.readOnly && <p className="io-hint">MS Project columns: ID, Name, Duration, Start, Finish, Predecessors, % Complete, Resource Names, Cost, Milestone, Outline Level.</p>}
        </div>
      )}
    </div>
  );
}
