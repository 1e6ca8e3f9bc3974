import { useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { dashboardMetrics, type DashboardMetrics } from '../../../shared/planning/metrics.ts';
import type { Baseline } from '../../../shared/schema/entities.ts';
import type { BoardSession } from '../../board/session.ts';
import type { PlanModel } from '../../plan/planModel.ts';
import { BurndownChart } from './BurndownChart.tsx';
import { AssigneeProgressChart, BudgetChart, StatusChart, type CostGrouping } from './charts.tsx';
import { formatDate, formatMoney, formatVariance } from './format.ts';
import { TaskTable } from './TaskTable.tsx';
import { WorkloadChart } from './WorkloadChart.tsx';

/** The picker's value: the newest baseline (default, follows new saves), none, or one baseline id. */
const NEWEST = '';
const NONE = 'none';

function newest(baselines: readonly Baseline[]): Baseline | null {
  let best: Baseline | null = null;
  for (const b of baselines) if (!best || b.createdAt > best.createdAt) best = b;
  return best;
}

/** The dashboard's numbers for the plan at `_version` (passed so that it is the memo key). */
function metricsOf(plan: PlanModel, _version: number, baseline: Baseline | null, today: string): DashboardMetrics {
  return dashboardMetrics({ tasks: [...plan.board.tasks.values()], schedule: plan.schedule(), statuses: plan.meta.statuses, baseline, today });
}

/**
 * Project health at a glance: KPIs, charts and the tasks that need attention, all computed
 * by the pure kernel in shared/planning/metrics.ts and recomputed on every plan change. Read
 * only for everyone (selecting a task is presence, not an edit), so viewers see the same.
 */
export function DashboardView({ session, plan }: { session: BoardSession; plan: PlanModel }) {
  const version = useSyncExternalStore(plan.subscribe, plan.getVersion);
  const [choice, setChoice] = useState<string>(NEWEST);
  const [grouping, setGrouping] = useState<CostGrouping>('assignee');
  // A chosen baseline that someone deleted falls back to the newest.
  const picked = plan.baselines.find((b) => b.id === choice);
  const value = picked ? choice : choice === NONE ? NONE : NEWEST;
  const baseline = value === NONE ? null : (picked ?? newest(plan.baselines));
  const today = plan.today();
  // `version` changes with every edit of tasks, links, meta or baselines: the memo's key.
  const metrics = useMemo(() => metricsOf(plan, version, baseline, today), [plan, version, baseline, today]);
  const select = (id: string) => session.presence.setSelection([id]);

  return (
    <div className="dashboard" data-testid="dashboard">
      <div className="dash-toolbar">
        <h2 className="dash-title">Dashboard</h2>
        <label className="dash-picker">
          Baseline{' '}
          <select value={value} onChange={(e) => setChoice(e.target.value)} disabled={plan.baselines.length === 0}>
            <option value={NEWEST}>{plan.baselines.length === 0 ? 'No baselines saved' : `Newest (${newest(plan.baselines)?.name ?? ''})`}</option>
            {[...plan.baselines]
              .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
              .map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name} — {formatDate(b.createdAt.slice(0, 10))}
                </option>
              ))}
            {plan.baselines.length > 0 && <option value={NONE}>None</option>}
          </select>
        </label>
      </div>
      {metrics.leafCount === 0 ? (
        <div className="dash-empty">No tasks yet — add tasks on the canvas or the timeline.</div>
      ) : (
        <Dashboard metrics={metrics} baseline={baseline} grouping={grouping} setGrouping={setGrouping} onSelect={select} />
      )}
    </div>
  );
}

function Dashboard(props: { metrics: DashboardMetrics; baseline: Baseline | null; grouping: CostGrouping; setGrouping(g: CostGrouping): void; onSelect(id: string): void }) {
  const { metrics: m, baseline, grouping } = props;
  const hasMoney = m.costs.budget > 0 || m.costs.actualCost > 0;
  const overBudget = m.costs.actualCost - m.costs.budget;
  return (
    <div className="dash-grid">
      <div className="dash-kpis">
        <Kpi testId="kpi-progress" label="Overall progress" value={`${Math.round(m.progress.percent)}%`}>
          <div className="dash-meter" aria-hidden="true">
            <div style={{ width: `${Math.min(100, m.progress.percent)}%` }} />
          </div>
        </Kpi>
        <Kpi testId="kpi-done" label="Tasks done" value={`${m.progress.done} / ${m.progress.total}`}>
          {m.overdue.length > 0 ? <span className="dash-bad">{m.overdue.length} overdue</span> : <span className="dash-muted">none overdue</span>}
        </Kpi>
        <Kpi testId="kpi-finish" label="Project finish" value={formatDate(m.projectFinish)}>
          {baseline && m.finishVariance !== null ? (
            <span className={m.finishVariance > 0 ? 'dash-bad' : 'dash-good'}>
              {formatVariance(m.finishVariance)} vs {baseline.name}
            </span>
          ) : (
            <span className="dash-muted">no baseline to compare</span>
          )}
        </Kpi>
        <Kpi testId="kpi-budget" label="Actual cost / budget" value={`${formatMoney(m.costs.actualCost)} / ${formatMoney(m.costs.budget)}`}>
          {!hasMoney ? (
            <span className="dash-muted">no costs entered</span>
          ) : overBudget > 0 ? (
            <span className="dash-bad">{formatMoney(overBudget)} over budget</span>
          ) : (
            <span className="dash-good">{formatMoney(-overBudget)} under budget</span>
          )}
        </Kpi>
      </div>

      <Card title="Tasks by status" testId="chart-status">
        <div className="dash-chart">
          <StatusChart byStatus={m.byStatus} />
        </div>
      </Card>
      <Card title="Progress per assignee" testId="chart-progress">
        {m.progressByAssignee.length === 0 ? (
          <p className="dash-empty-small">Nobody is assigned yet — add assignees to tasks to see their progress.</p>
        ) : (
          <div className="dash-chart">
            <AssigneeProgressChart rows={m.progressByAssignee} />
          </div>
        )}
      </Card>
      <Card title="Workload per week" testId="chart-workload" wide>
        {m.workload.assignees.length === 0 ? (
          <p className="dash-empty-small">Nobody is assigned yet — workload appears once tasks have assignees.</p>
        ) : (
          <WorkloadChart workload={m.workload} />
        )}
      </Card>
      <Card
        title="Budget vs actual"
        testId="chart-budget"
        action={
          <select aria-label="Group costs by" value={grouping} onChange={(e) => props.setGrouping(e.target.value as CostGrouping)}>
            <option value="assignee">By assignee</option>
            <option value="summary">By summary task</option>
          </select>
        }
      >
        {!hasMoney ? (
          <p className="dash-empty-small">No budgets or costs yet — enter them in the task inspector.</p>
        ) : (
          <div className="dash-chart">
            <BudgetChart costs={m.costs} grouping={grouping} />
          </div>
        )}
      </Card>
      <Card title="Burndown" testId="chart-burndown">
        <BurndownChart burndown={m.burndown} />
      </Card>
      <Card title={`Overdue tasks (${m.overdue.length})`} testId="overdue-card">
        <TaskTable rows={m.overdue} empty="Nothing is overdue." onSelect={props.onSelect} testId="overdue-table" />
      </Card>
      <Card title={`At-risk tasks (${m.atRisk.length})`} testId="at-risk-card">
        <TaskTable
          rows={m.atRisk}
          empty={baseline ? 'No task has negative float or slipped past the baseline.' : 'No task has negative float. Save a baseline to track slips.'}
          onSelect={props.onSelect}
          testId="at-risk-table"
        />
      </Card>
    </div>
  );
}

function Kpi({ label, value, testId, children }: { label: string; value: string; testId: string; children?: ReactNode }) {
  return (
    <section className="dash-kpi" data-testid={testId}>
      <div className="dash-kpi-label">{label}</div>
      <div className="dash-kpi-value">{value}</div>
      <div className="dash-kpi-sub">{children}</div>
    </section>
  );
}

function Card({ title, testId, wide, action, children }: { title: string; testId: string; wide?: boolean; action?: ReactNode; children: ReactNode }) {
  return (
    <section className={wide ? 'dash-card dash-card-wide' : 'dash-card'} data-testid={testId} aria-label={title}>
      <header className="dash-card-head">
        <h3>{title}</h3>
        {action}
      </header>
      {children}
    </section>
  );
}
