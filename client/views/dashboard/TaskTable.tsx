import type { FlaggedTask } from '../../../shared/planning/metrics.ts';
import { formatShortDate, reasonText } from './format.ts';

/**
 * Overdue or at-risk tasks. A row is a button for the keyboard too: choosing it selects the
 * task for everyone watching this user's presence (and for the inspector on the other views).
 */
export function TaskTable({ rows, empty, onSelect, testId }: { rows: FlaggedTask[]; empty: string; onSelect(id: string): void; testId: string }) {
  if (rows.length === 0) {
    return (
      <p className="dash-empty-small" data-testid={testId}>
        {empty}
      </p>
    );
  }
  return (
    <div className="dash-table-wrap">
      <table className="dash-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Assignees</th>
            <th scope="col">Finish</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr
              key={t.id}
              tabIndex={0}
              data-task-id={t.id}
              onClick={() => onSelect(t.id)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onSelect(t.id);
                }
              }}
            >
              <td className="dash-task-title">{t.title || 'Untitled task'}</td>
              <td>{t.assignees.length > 0 ? t.assignees.join(', ') : <span className="dash-muted">—</span>}</td>
              <td className="dash-nowrap">{formatShortDate(t.finish)}</td>
              <td>
                {t.reasons.map((r) => (
                  <span key={r.kind} className={`dash-reason dash-reason-${r.kind}`}>
                    {reasonText(r)}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
