import { useEffect, useState } from 'react';
import { setBoardSetting } from '../../../shared/doc/planOps.ts';
import { isIsoDate } from '../../../shared/schema/validators.ts';
import type { BoardSession } from '../../board/session.ts';
import type { PlanModel } from '../../plan/planModel.ts';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const ORDER = [1, 2, 3, 4, 5, 6, 0];

/** The board's working calendar: project start, working weekdays, holidays. Shared by everyone on the board. */
export function CalendarSettings({ session, plan, onClose }: { session: BoardSession; plan: PlanModel; onClose(): void }) {
  const { meta } = plan;
  const readOnly = session.readOnly;
  const [holiday, setHoliday] = useState('');
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const set = (field: Parameters<typeof setBoardSetting>[1], value: unknown) => setBoardSetting(session.doc, field, value, session.localOrigin);

  return (
    <div className="popover calendar-settings" role="dialog" aria-label="Working calendar">
      <div className="popover-header">
        <strong>Working calendar</strong>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <label className="field">
        <span className="field-label">Project start</span>
        <input className="input" type="date" disabled={readOnly} value={plan.projectStart()} onChange={(e) => isIsoDate(e.target.value) && set('projectStart', e.target.value)} />
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
    </div>
  );
}
