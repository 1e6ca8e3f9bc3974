import { useEscapeKey } from '../../app/useDismiss.ts';
import type { BoardSession } from '../../board/session.ts';
import type { PlanModel } from '../../plan/planModel.ts';
import { CalendarFields } from '../../settings/CalendarFields.tsx';

/** The board's working calendar: project start, working weekdays, holidays. Shared by everyone on the board. */
export function CalendarSettings({ session, plan, onClose }: { session: BoardSession; plan: PlanModel; onClose(): void }) {
  useEscapeKey(onClose);
  return (
    <div className="popover calendar-settings" role="dialog" aria-label="Working calendar">
      <div className="popover-header">
        <strong>Working calendar</strong>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <CalendarFields session={session} meta={plan.meta} projectStart={plan.projectStart()} />
    </div>
  );
}
