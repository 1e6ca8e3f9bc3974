import { useState } from 'react';
import { captureBaseline } from '../../../shared/planning/baseline.ts';
import { saveBaseline } from '../../../shared/doc/planOps.ts';
import type { BoardSession } from '../../board/session.ts';
import type { PlanModel } from '../../plan/planModel.ts';
import { BaselineSelect } from './BaselineSelect.tsx';
import { CalendarSettings } from './CalendarSettings.tsx';
import type { TimeScaleName } from './timeScale.ts';

interface Props {
  session: BoardSession;
  plan: PlanModel;
  scale: TimeScaleName;
  onScale(scale: TimeScaleName): void;
  baselineId: string | null;
  onBaseline(id: string | null): void;
  onToday(): void;
  onMessage(message: string): void;
}

/** Scale, today, baselines (show one, save a new one) and the board calendar. */
export function TimelineToolbar(props: Props) {
  const { session, plan } = props;
  const [naming, setNaming] = useState<string | null>(null);
  const [calendarOpen, setCalendarOpen] = useState(false);
  const schedule = plan.schedule();

  const save = () => {
    const name = naming?.trim() || `Baseline ${plan.baselines.length + 1}`;
    const id = saveBaseline(session.doc, name, captureBaseline(plan.schedule()), new Date().toISOString(), session.localOrigin);
    setNaming(null);
    props.onBaseline(id);
    props.onMessage(`Saved “${name}”: the timeline now draws it under the bars.`);
  };

  return (
    <div className="timeline-toolbar" role="toolbar" aria-label="Timeline">
      <div className="segmented" role="radiogroup" aria-label="Scale">
        {(['day', 'week', 'month'] as const).map((s) => (
          <button key={s} type="button" role="radio" aria-checked={props.scale === s} className={props.scale === s ? 'active' : ''} onClick={() => props.onScale(s)}>
            {s[0]!.toUpperCase() + s.slice(1)}
          </button>
        ))}
      </div>
      <button type="button" className="button small" onClick={props.onToday}>
        Today
      </button>
      <span className="toolbar-gap" />
      <span className="timeline-summary muted">
        {schedule.projectStart} → <strong>{schedule.projectFinish}</strong> · {schedule.projectDuration} working day{schedule.projectDuration === 1 ? '' : 's'}
      </span>
      <label className="toolbar-field">
        <span>Baseline</span>
        <BaselineSelect className="input small" baselines={plan.baselines} value={props.baselineId} onChange={props.onBaseline} label="Baseline shown" />
      </label>
      {!session.readOnly &&
        (naming === null ? (
          <button type="button" className="button small" onClick={() => setNaming(`Baseline ${plan.baselines.length + 1}`)}>
            Save baseline
          </button>
        ) : (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              save();
            }}
          >
            <input className="input small" autoFocus value={naming} aria-label="Baseline name" maxLength={200} onChange={(e) => setNaming(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setNaming(null)} />
            <button type="submit" className="button small primary">
              Save
            </button>
          </form>
        ))}
      <button type="button" className="button small" aria-expanded={calendarOpen} onClick={() => setCalendarOpen((o) => !o)}>
        Calendar
      </button>
      {calendarOpen && <CalendarSettings session={session} plan={plan} onClose={() => setCalendarOpen(false)} />}
    </div>
  );
}
