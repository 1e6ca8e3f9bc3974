import type { ChartData, ChartOptions } from 'chart.js';
import { Line } from 'react-chartjs-2';
import { epochDay } from '../../../shared/planning/calendar.ts';
import type { Burndown } from '../../../shared/planning/metrics.ts';
import { BASE_OPTIONS } from './charts.tsx';
import { formatEpochDay, formatShortDate } from './format.ts';

type Point = { x: number; y: number };

/**
 * Remaining work (working days) over time on a linear day axis, so that today's point sits
 * on its own date between the weekly samples: planned (current schedule), the chosen
 * baseline, and what is actually left today.
 */
export function BurndownChart({ burndown }: { burndown: Burndown }) {
  const xs = burndown.dates.map(epochDay);
  const today = epochDay(burndown.actual.date);
  const line = (values: number[]): Point[] => values.map((y, i) => ({ x: xs[i]!, y }));
  const datasets: ChartData<'line', Point[]>['datasets'] = [
    { label: 'Planned', data: line(burndown.planned), borderColor: '#4f46e5', backgroundColor: '#4f46e5', pointRadius: 2, tension: 0 },
  ];
  if (burndown.baseline) {
    datasets.push({ label: 'Baseline', data: line(burndown.baseline), borderColor: '#a1a1aa', backgroundColor: '#a1a1aa', borderDash: [6, 4], pointRadius: 0 });
  }
  datasets.push({
    label: 'Actual (today)',
    data: [{ x: today, y: Math.round(burndown.actual.remaining * 10) / 10 }],
    borderColor: '#dc2626',
    backgroundColor: '#dc2626',
    pointRadius: 6,
    pointStyle: 'rectRot',
    showLine: false,
  });
  // Ticks on the weekly sample dates (Mondays), thinned to at most ~8 labels.
  const step = Math.max(1, Math.ceil(xs.length / 8));
  const tickValues = xs.filter((_x, i) => i % step === 0);
  const options: ChartOptions<'line'> = {
    ...BASE_OPTIONS,
    scales: {
      x: {
        type: 'linear',
        min: Math.min(xs[0] ?? today, today),
        max: Math.max(xs.at(-1) ?? today, today),
        afterBuildTicks: (axis) => {
          axis.ticks = tickValues.map((value) => ({ value }));
        },
        ticks: { callback: (v) => formatEpochDay(Number(v)) },
      },
      y: { beginAtZero: true, title: { display: true, text: 'working days left' } },
    },
    plugins: {
      legend: { position: 'bottom', labels: { boxWidth: 12 } },
      tooltip: { callbacks: { title: (items) => (items[0] ? formatEpochDay(Number(items[0].parsed.x)) : '') } },
    },
  };
  return (
    <>
      <div className="dash-chart dash-chart-wide">
        <Line data={{ datasets }} options={options} aria-label="Burndown" role="img" />
      </div>
      <p className="dash-note">
        {Math.round(burndown.actual.remaining * 10) / 10} working days of work left on {formatShortDate(burndown.actual.date)}.
      </p>
    </>
  );
}
