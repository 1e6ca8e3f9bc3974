import os from 'node:os';
import type { BenchRow, SuiteResult, SystemName } from './types.ts';

const COLUMNS: Array<{ system: SystemName; title: string }> = [
  { system: 'planvas', title: 'Planvas' },
  { system: 'y-websocket-server', title: 'y-websocket-server 0.1.1' },
  { system: 'hocuspocus', title: 'Hocuspocus 3.4' },
  { system: 'raw-relay', title: 'raw ws relay (ceiling)' },
];

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

function format(value: number | null | undefined, unit: BenchRow['unit']): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value === Infinity) return 'lost';
  const digits = unit === 'ms' ? (value < 10 ? 2 : 1) : unit === 's' ? 2 : 0;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}`;
}

/** Whether Planvas meets the row's goal, and leads every measured peer (raw relay excluded). */
export function verdict(row: BenchRow): string {
  const ours = row.values.planvas;
  if (ours === null || ours === undefined) return '';
  const marks: string[] = [];
  if (row.goal) {
    const met = row.goal.lowerIsBetter ? ours <= row.goal.target : ours >= row.goal.target;
    marks.push(met ? 'goal met' : 'goal missed');
  }
  const peers = (['y-websocket-server', 'hocuspocus'] as const).map((s) => row.values[s]).filter((v): v is number => typeof v === 'number');
  if (peers.length > 0 && row.goal) {
    const best = row.goal.lowerIsBetter ? Math.min(...peers) : Math.max(...peers);
    const leads = row.goal.lowerIsBetter ? ours <= best : ours >= best;
    marks.push(leads ? 'leads peers' : 'behind a peer');
  }
  return marks.join(', ');
}

/** The results table as Markdown. */
export function markdownTable(results: readonly SuiteResult[], rawRelay: boolean): string {
  const columns = COLUMNS.filter((c) => rawRelay || c.system !== 'raw-relay');
  const lines = [
    `| measure | goal (Planvas) | ${columns.map((c) => c.title).join(' | ')} | |`,
    `|---|---|${columns.map(() => '---:').join('|')}|---|`,
  ];
  for (const result of results) {
    for (const row of result.rows) {
      const cells = columns.map((c) => format(row.values[c.system], row.unit));
      lines.push(`| ${row.label} | ${row.goal?.text ?? ''} | ${cells.join(' | ')} | ${verdict(row)} |`);
    }
  }
  return lines.join('\n');
}

/** The same table for a terminal. */
export function textTable(results: readonly SuiteResult[], rawRelay: boolean): string {
  const columns = COLUMNS.filter((c) => rawRelay || c.system !== 'raw-relay');
  const rows: string[][] = [['measure', 'goal', ...columns.map((c) => c.title), '']];
  for (const result of results) {
    for (const row of result.rows) rows.push([row.label, row.goal?.text ?? '', ...columns.map((c) => format(row.values[c.system], row.unit)), verdict(row)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}
