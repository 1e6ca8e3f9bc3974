import { useEffect, useMemo, useRef } from 'react';
import { setBoardTitle } from '../../shared/doc/init.ts';
import { setBoardSetting } from '../../shared/doc/planOps.ts';
import { MAX_TITLE_LENGTH } from '../../shared/schema/entities.ts';
import type { BoardSession } from '../board/session.ts';
import { usePlan } from '../plan/usePlan.ts';
import { CalendarFields } from './CalendarFields.tsx';
import { DeleteBoardSection } from './DeleteBoardSection.tsx';
import { LabelInput, StatusesSection } from './StatusesSection.tsx';
import { tasksPerStatus } from './statusEdits.ts';
import { useEscapeKey } from '../app/useDismiss.ts';

/**
 * Board settings: General (title), Schedule (working calendar), Statuses and WIP limits,
 * Permissions (may viewers comment) and the danger zone (delete). Every change is a Yjs edit
 * with the local origin: live for everyone on the board and undoable with Ctrl+Z. A view
 * link sees the same dialog read-only (stakeholders may want to know the working calendar),
 * without the danger zone.
 */
export function SettingsDialog({ session, editToken, onClose }: { session: BoardSession; editToken: string | undefined; onClose(): void }) {
  const plan = usePlan(session.doc);
  const { meta } = plan;
  const readOnly = session.readOnly;
  const dialogRef = useRef<HTMLDivElement>(null);
  // Recounted when the plan changes (usePlan re-renders on every change).
  const taskCounts = useMemo(() => tasksPerStatus(session.doc), [session.doc, plan.getVersion()]); // eslint-disable-line react-hooks/exhaustive-deps

  useEscapeKey(onClose);
  useEffect(() => dialogRef.current?.focus(), []);

  return (
    <div
      className="modal-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="modal settings-dialog" role="dialog" aria-modal="true" aria-labelledby="settings-title" ref={dialogRef} tabIndex={-1}>
        <div className="settings-header">
          <h2 id="settings-title">Board settings</h2>
          <button type="button" className="icon-button" aria-label="Close settings" onClick={onClose}>
            ×
          </button>
        </div>
        {readOnly && <p className="tag settings-readonly">View only: you can see these settings but not change them.</p>}
        <div className="settings-body">
          <section className="settings-section" aria-labelledby="settings-general">
            <h3 id="settings-general">General</h3>
            <label className="field">
              <span className="field-label">Title</span>
              <LabelInput
                label={meta.title}
                readOnly={readOnly}
                ariaLabel="Board title"
                maxLength={MAX_TITLE_LENGTH}
                onCommit={(title) => {
                  session.undoManager.stopCapturing();
                  setBoardTitle(session.doc, title, session.localOrigin);
                }}
              />
            </label>
          </section>

          <section className="settings-section" aria-labelledby="settings-schedule">
            <h3 id="settings-schedule">Schedule</h3>
            <p className="muted small-text">Durations and dates in the timeline count working days of this calendar.</p>
            <CalendarFields session={session} meta={meta} projectStart={plan.projectStart()} />
          </section>

          <section className="settings-section" aria-labelledby="settings-statuses">
            <h3 id="settings-statuses">Statuses and WIP limits</h3>
            <StatusesSection session={session} meta={meta} taskCounts={taskCounts} />
          </section>

          <section className="settings-section" aria-labelledby="settings-permissions">
            <h3 id="settings-permissions">Permissions</h3>
            <label className="check-row">
              <input
                type="checkbox"
                disabled={readOnly}
                checked={meta.viewersMayComment}
                onChange={(e) => {
                  session.undoManager.stopCapturing();
                  setBoardSetting(session.doc, 'viewersMayComment', e.target.checked, session.localOrigin);
                }}
              />
              <span>
                Viewers may comment
                <span className="muted small-text block">People with the view-only link can add and reply to comments, and change nothing else.</span>
              </span>
            </label>
          </section>

          {!readOnly && (
            <section className="settings-section danger" aria-labelledby="settings-danger">
              <h3 id="settings-danger">Danger zone</h3>
              <DeleteBoardSection boardId={session.boardId} title={meta.title} editToken={editToken} />
            </section>
          )}
        </div>
      </div>
    </div>
  );
}
