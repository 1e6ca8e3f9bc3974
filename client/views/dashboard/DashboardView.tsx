import type { BoardSession } from '../../board/session.ts';
import type { PlanModel } from '../../plan/planModel.ts';

/** Placeholder until the view lands. */
export function DashboardView({ session, plan }: { session: BoardSession; plan: PlanModel }) {
  void session;
  void plan;
  return <div className="view-placeholder">Coming soon</div>;
}
