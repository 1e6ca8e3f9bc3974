import type { ChartData, ChartOptions } from 'chart.js';
import { Chart } from 'react-chartjs-2';
import type { Workload } from '../../../shared/planning/metrics.ts';
import { BASE_OPTIONS } from './charts.tsx';
import { OVER_COLOR, colorAt, formatShortDate } from './format.ts';

/**
 * Working days booked per person per week (grouped bars, one colour per person), with the
 * week's capacity as a line. A bar above the line is an over-allocated week: drawn red and
 * listed under the chart so that it is readable without hovering.
 */
export function WorkloadChart({ workload }: { workload: Workload }) {
  const labels = workload.weeks.map((w) => formatShortDate(w.start));
  const data: ChartData<'bar' | 'line', number[], string> = {
    labels,
    datasets: [
      {
        type: 'line',
        label: 'Capacity',
        data: workload.weeks.map((w) => w.capacity),
        borderColor: '#71717a',
        borderDash: [6, 4],
        borderWidth: 1.5,
        pointRadius: 0,
        stepped: 'middle',
        order: 0,
      },
      ...workload.assignees.map((a, i) => ({
        type: 'bar' as const,
        label: a.name,
        data: a.booked,
        backgroundColor: a.booked.map((d, w) => (d > workload.weeks[w]!.capacity ? OVER_COLOR : colorAt(i))),
        order: 1,
      })),
    ],
  };
  const options: ChartOptions<'bar' | 'line'> = {
    ...BASE_OPTIONS,
    scales: { y: { beginAtZero: true, title: { display: true, text: 'working days' }, ticks: { precision: 0 } } },
    plugins: {
      legend: { position: 'bottom', labels: { boxWidth: 12 } },
      tooltip: {
        callbacks: {
          title: (items) => `Week of ${items[0]?.label ?? ''}`,
          label: (ctx) => {
            const capacity = workload.weeks[ctx.dataIndex]?.capacity ?? 0;
            const v = Number(ctx.raw);
            return ctx.dataset.type === 'line' ? `Capacity: ${capacity} days` : `${ctx.dataset.label}: ${v}/${capacity} days${v > capacity ? ' (over)' : ''}`;
          },
        },
      },
    },
  };
  return (
    <>
      <div className="dash-chart dash-chart-wide">
        <Chart type="bar" data={data} options={options} aria-label="Workload per assignee per week" role="img" />
      </div>
      {workload.truncated && <p className="dash-note">Showing the first {workload.weeks.length} weeks.</p>}
      {workload.overAllocated.length > 0 ? (
        <ul className="dash-over-list" aria-label="Over-allocated weeks">
          {workload.overAllocated.map((o) => (
            <li key={`${o.name}|${o.week}`}>
              <strong>{o.name}</strong>: week of {formatShortDate(o.week)} — {o.booked}/{o.capacity} days
            </li>
          ))}
        </ul>
      ) : (
        <p className="dash-note">Nobody is booked over capacity.</p>
      )}
    </>
  );
}
