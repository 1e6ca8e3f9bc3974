/**
 * What every benchmark suite returns: rows of a table, one value per system under test.
 * Values are medians of the runs a suite made (usually three); null = not measured (for
 * example, canvas frame times exist for Planvas only). Benchmarks print figures; they never
 * pass or fail.
 */
export type SystemName = 'planvas' | 'y-websocket-server' | 'hocuspocus' | 'raw-relay';

export const SYSTEMS: readonly SystemName[] = ['planvas', 'y-websocket-server', 'hocuspocus', 'raw-relay'];

export interface BenchRow {
  /** Short, stable id (used in the JSON), e.g. 'latency-p99-2k'. */
  id: string;
  /** What is measured, for the table: 'p99 edit latency, 50 boards x 10 clients, 2,000 updates/s'. */
  label: string;
  unit: 'ms' | 'updates/s' | 'KB' | 'MB' | 's';
  /** The goal for Planvas from the issue, as text ('<= 5 ms'), and whether lower is better. */
  goal?: { text: string; target: number; lowerIsBetter: boolean };
  values: Partial<Record<SystemName, number | null>>;
  /** The raw runs per system, for the JSON. */
  runs?: Partial<Record<SystemName, number[]>>;
  note?: string;
}

export interface SuiteResult {
  suite: string;
  rows: BenchRow[];
  /** Anything the reader of BENCHMARKS.md should know about how this suite ran. */
  notes?: string[];
}

export interface BenchOptions {
  /** Include the raw ws relay (the ceiling) where a suite supports it. */
  rawRelay: boolean;
  /** Shorter runs (one repetition, smaller loads) for a smoke test of the harness. */
  quick: boolean;
  /** Runs per measurement (median reported). */
  repetitions: number;
  /** CPU cores for the servers and for the load generator (taskset), when the machine has two or more. */
  serverCpus: string | null;
  harnessCpus: string | null;
  log(message: string): void;
}

export interface Suite {
  name: string;
  run(options: BenchOptions): Promise<SuiteResult>;
}

/** The median of a list of numbers (null for none). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (0..100) of a list, nearest rank. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Raw measurements per system, collected over the repetitions of a suite. */
export type Runs = Partial<Record<SystemName, number[]>>;

export function pushRun(runs: Runs, system: SystemName, value: number): void {
  (runs[system] ??= []).push(value);
}

/**
 * A table row from raw runs: each system's median. A run that failed to produce a figure (NaN,
 * e.g. a saturation search that could not connect) is left out; a lost run (Infinity: a p99 over
 * edits that were never delivered) counts as later than any figure, so a system that lost most
 * of its runs shows as lost rather than as its one run that got through.
 */
export function rowOf(id: string, label: string, unit: BenchRow['unit'], runs: Runs, goal?: BenchRow['goal'], note?: string): BenchRow {
  const values: BenchRow['values'] = {};
  for (const [k, v] of Object.entries(runs)) values[k as SystemName] = median(v.filter((x) => !Number.isNaN(x)));
  return { id, label, unit, goal, values, runs, ...(note ? { note } : {}) };
}
