import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartOptions,
} from 'chart.js';
import { Bar, Doughnut } from 'react-chartjs-2';
import type { Costs, DashboardMetrics, StatusCount } from '../../../shared/planning/metrics.ts';
import { colorAt, formatMoney } from './format.ts';

// Only what the dashboard draws: doughnut, bars, lines with points, two axis kinds.
ChartJS.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

/** Shared by every chart: no animation (the plan changes live under the viewer), fills its fixed-height box. */
export const BASE_OPTIONS = { animation: false, responsive: true, maintainAspectRatio: false } as const;

const STATUS_COLORS: Record<string, string> = { todo: '#94a3b8', 'in-progress': '#4f46e5', blocked: '#dc2626', done: '#16a34a', '': '#d4d4d8' };

export function StatusChart({ byStatus }: { byStatus: StatusCount[] }) {
  const shown = byStatus.filter((s) => s.count > 0);
  const data = {
    labels: shown.map((s) => s.label),
    datasets: [{ data: shown.map((s) => s.count), backgroundColor: shown.map((s, i) => STATUS_COLORS[s.key] ?? colorAt(i + 3)), borderWidth: 1 }],
  };
  const options: ChartOptions<'doughnut'> = { ...BASE_OPTIONS, cutout: '60%', plugins: { legend: { position: 'right' } } };
  return <Doughnut data={data} options={options} aria-label="Tasks by status" role="img" />;
}

export function AssigneeProgressChart({ rows }: { rows: DashboardMetrics['progressByAssignee'] }) {
  const data = {
    labels: rows.map((r) => r.name),
    datasets: [{ label: '% complete', data: rows.map((r) => Math.round(r.percent)), backgroundColor: rows.map((_r, i) => colorAt(i)) }],
  };
  const options: ChartOptions<'bar'> = {
    ...BASE_OPTIONS,
    indexAxis: 'y',
    scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } },
    plugins: {
      legend: { display: false },
      tooltip: { callbacks: { label: (ctx) => `${ctx.parsed.x}% — ${rows[ctx.dataIndex]!.done}/${rows[ctx.dataIndex]!.total} tasks done` } },
    },
  };
  return <Bar data={data} options={options} aria-label="Progress per assignee" role="img" />;
}

export type CostGrouping = 'assignee' | 'summary';

export function BudgetChart({ costs, grouping }: { costs: Costs; grouping: CostGrouping }) {
  const rows = (
    grouping === 'assignee'
      ? costs.byAssignee.map((r) => ({ label: r.name || 'Unassigned', budget: r.budget, actualCost: r.actualCost }))
      : costs.bySummary.map((r) => ({ label: r.title || 'Untitled', budget: r.budget, actualCost: r.actualCost }))
  ).filter((r) => r.budget > 0 || r.actualCost > 0);
  const data = {
    labels: rows.map((r) => r.label),
    datasets: [
      { label: 'Budget', data: rows.map((r) => r.budget), backgroundColor: '#a5b4fc' },
      {
        label: 'Actual cost',
        data: rows.map((r) => r.actualCost),
        // Red where the money spent is already over the budget.
        backgroundColor: rows.map((r) => (r.actualCost > r.budget ? '#dc2626' : '#4f46e5')),
      },
    ],
  };
  const options: ChartOptions<'bar'> = {
    ...BASE_OPTIONS,
    scales: { y: { beginAtZero: true, ticks: { callback: (v) => formatMoney(Number(v)) } } },
    plugins: { tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${formatMoney(ctx.parsed.y ?? 0)}` } } },
  };
  return <Bar data={data} options={options} aria-label="Budget vs actual cost" role="img" />;
}
