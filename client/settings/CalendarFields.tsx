import { useState } from 'react';
import { setBoardSetting } from '../../shared/doc/planOps.ts';
import type { BoardMeta } from '../../shared/schema/entities.ts';
import { isIsoDate } from '../../shared/schema/validators.ts';
import type { BoardSession } from '../board/session.ts';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** Weeks start on Monday in the picker, as in MS Project's default calendar. */
const ORDER = [1, 2, 3, 4, 5, 6, 0];

/**
 * The board's working calendar as form fields: project start, working weekdays, holidays.
 * Every change is a Yjs edit with the local origin (live for everyone, undoable). Used by
 * the timeline's calendar popover and the Settings dialog.
 *
 * @example <CalendarFields session={session} meta={plan.meta} projectStart={plan.projectStart()} />
 */
export function CalendarFields({ session, meta, projectStart }: { session: BoardSession; meta: BoardMeta; projectStart: string }) {
  const readOnly = session.readOnly;
  const [holiday, setHoliday] = useState('');
  // Each change is its own undo step (a form commit, not part of a typing or dragging gesture).
  const set = (field: Parameters<typeof setBoardSetting>[1], value: unknown) => {
    session.undoManager.stopCapturing();
    setBoardSetting(session.doc, field, value, session.localOrigin);
  };

  return (
    <>
      <label className="field">
        <span className="field-label">Project start</span>
        <input className="input" type="date" disabled={readOnly} value={projectStart} onChange={(e) => isIsoDate(e.target.value) && set('projectStart', e.target.value)} />
      </label>
      <fieldset className="field weekday-picker" disabled={readOnly}>
        <legend className="field-label">Working days</legend>
        {ORDER.map((d) => {
          const on = meta.workingDays.includes(d);
          return (
            <label key={d} className={`weekday${on ? ' on' : ''}`}>
              <input
                type="checkbox"
                checked={on}
                onChange={() => {
                  const next = on ? meta.workingDays.filter((x) => x !== d) : [...meta.workingDays, d];
                  // At least one working weekday: the validator refuses an empty week.
                  if (next.length > 0) set('workingDays', next);
                }}
              />
              {WEEKDAYS[d]}
            </label>
          );
        })}
      </fieldset>
      <div className="field">
        <span className="field-label">Holidays</span>
        <ul className="holiday-list">
          {meta.holidays.length === 0 && <li className="muted">None</li>}
          {meta.holidays.map((h) => (
            <li key={h}>
              {h}
              {!readOnly && (
                <button type="button" className="icon-button" aria-label={`Remove ${h}`} onClick={() => set('holidays', meta.holidays.filter((x) => x !== h))}>
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
        {!readOnly && (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (isIsoDate(holiday)) set('holidays', [...meta.holidays, holiday]);
              setHoliday('');
            }}
          >
            <input className="input small" type="date" value={holiday} aria-label="New holiday" onChange={(e) => setHoliday(e.target.value)} />
            <button type="submit" className="button small" disabled={!isIsoDate(holiday)}>
              Add
            </button>
          </form>
        )}
      </div>
    </>
  );
}
