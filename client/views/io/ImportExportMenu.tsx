import { useCallback, useEffect, useRef, useState } from 'react';
import type { BoardSession } from '../../board/session.ts';
import type { PlanModel } from '../../plan/planModel.ts';
import { useDismiss } from '../../app/useDismiss.ts';
import { CalendarSubscribe } from './CalendarSubscribe.tsx';
import { ImportDialog } from './ImportDialog.tsx';
import { DropOverlay } from './DropOverlay.tsx';
import { importFlowFor } from './importFlow.ts';
import { IMPORT_ACCEPT } from './importFormats.ts';
import { exportCsv, exportJson, exportMspdiFile } from './planFiles.ts';
import { ImageExportItems } from '../../export/ImageExportItems.tsx';

/**
 * Header button "Import / Export": one "Import…" entry for CSV, Planvas JSON and MS Project
 * XML (hidden for view-only links), exports built from the local document (they work offline
 * and for viewers), and the calendar subscription link. The import dialog (progress, what
 * will be imported, problems) is rendered here for the menu and for dropped files alike.
 */
export function ImportExportMenu({ session, plan }: { session: BoardSession; plan: PlanModel }) {
  const [open, setOpen] = useState(false);
  const [calendarOpen, setCalendarOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const calendarRef = useRef<HTMLElement>(null);
  const flow = importFlowFor(session);

  useDismiss(open, rootRef, useCallback(() => setOpen(false), []));
  // The menu scrolls in a short window: bring the opened calendar link into view.
  useEffect(() => {
    if (open && calendarOpen) calendarRef.current?.scrollIntoView({ block: 'nearest' });
  }, [open, calendarOpen]);

  function onFile(file: File | undefined) {
    if (inputRef.current) inputRef.current.value = '';
    if (!file) return;
    setOpen(false);
    flow.start(file);
  }

  const exportAndClose = (write: () => void) => () => {
    write();
    setOpen(false);
  };

  return (
    <div className="io-menu" ref={rootRef}>
      <button type="button" className="button small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        Import / Export
      </button>
      {/* Outside the popover: a dropped file opens it with the menu closed. */}
      {!session.readOnly && (
        <input ref={inputRef} type="file" accept={IMPORT_ACCEPT} hidden data-testid="import-file-input" onChange={(e) => onFile(e.currentTarget.files?.[0])} />
      )}
      <ImportDialog flow={flow} />
      {!session.readOnly && <DropOverlay session={session} />}
      {open && (
        <div className="popover io-popover" role="dialog" aria-label="Import or export the plan">
          {!session.readOnly && (
            <section className="io-section" aria-label="Import">
              <h3 className="io-heading">Import</h3>
              <button type="button" className="io-item" onClick={() => inputRef.current?.click()}>
                Import CSV, JSON or MS Project XML…
              </button>
              <p className="io-hint">
                CSV and MS Project XML add tasks to the board; a Planvas JSON file replaces the board’s content. You see what will be imported before anything changes. You can also drop a file on the board.
              </p>
            </section>
          )}
          <section className="io-section" aria-label="Export">
            <h3 className="io-heading">Export</h3>
            <button type="button" className="io-item" onClick={exportAndClose(() => exportCsv(plan))}>
              Export CSV <span className="io-detail">MS Project columns, for spreadsheets</span>
            </button>
            <button type="button" className="io-item" onClick={exportAndClose(() => exportJson(session.doc, plan.meta.title))}>
              Export JSON <span className="io-detail">the whole board, to import elsewhere</span>
            </button>
            <button type="button" className="io-item" onClick={exportAndClose(() => exportMspdiFile(session.doc, plan.meta.title, plan.today()))}>
              Export MS Project XML <span className="io-detail">opens in MS Project 2003–2019</span>
            </button>
            <ImageExportItems session={session} plan={plan} />
          </section>
          <section className="io-section" aria-label="Calendar" ref={calendarRef}>
            <button type="button" className="io-item" aria-expanded={calendarOpen} onClick={() => setCalendarOpen((o) => !o)}>
              Subscribe to calendar (iCal)…
            </button>
            {calendarOpen && <CalendarSubscribe boardId={session.boardId} readOnly={session.readOnly} />}
          </section>
        </div>
      )}
    </div>
  );
}
