import fs from 'node:fs';

/**
 * Process counters, gauges and histograms, exposed at GET /metrics in the Prometheus text
 * format 0.0.4. Names are `planvas_<what>`; every one is listed (with its meaning) in
 * docs/operations.md "Metrics".
 *
 * Labels are bounded on purpose: each labelled metric declares the values its label may take,
 * and any other value is recorded as "other". A board id, an IP or a token can therefore never
 * become a label value (one series per board would grow without bound and leak ids).
 *
 * @example
 *   metrics.inc('planvas_view_updates_dropped_total');
 *   metrics.inc('planvas_errors_total', 1, { kind: 'storage' });
 *   metrics.set('planvas_fanout_connected', 1);
 *   metrics.observe('planvas_storage_seconds', 0.004, { op: 'appendUpdate' });
 */
interface MetricDef {
  help: string;
  /** label name -> the values it may take (anything else is recorded as "other"). */
  labels?: Readonly<Record<string, readonly string[]>>;
}

/** Every BoardStore method (server/storage/types.ts), the `op` of planvas_storage_seconds. */
export const STORAGE_OPS = [
  'ping', 'identity', 'sharedSecret', 'createBoard', 'getBoard', 'loadBoardState', 'loadUpdatesSince', 'headSeq', 'rotateLink',
  'appendUpdate', 'appendUpdates', 'compact', 'setBoardTitle', 'logLength', 'deleteBoard', 'saveVersion',
  'listVersions', 'getVersionState', 'deleteVersions', 'close',
] as const;
export type StorageOp = (typeof STORAGE_OPS)[number];

export const COUNTERS = {
  planvas_connections_total: { help: 'WebSocket connections accepted' },
  planvas_upgrades_refused_total: { help: 'WebSocket upgrades refused (401/403/404)' },
  planvas_frames_rejected_total: { help: 'connections closed for a malformed, text or oversized frame' },
  planvas_updates_stored_total: { help: 'document updates appended to storage' },
  planvas_view_updates_dropped_total: { help: 'document updates from view-only connections that were dropped' },
  planvas_awareness_entries_dropped_total: { help: 'awareness entries dropped because another connection owns that client id' },
  planvas_slow_consumers_total: { help: 'connections cut off because their send buffer grew too large' },
  planvas_compactions_total: { help: 'update logs compacted into a snapshot' },
  planvas_board_load_failures_total: { help: 'boards that failed to load (refused with 1011)' },
  planvas_messages_in_total: { help: 'WebSocket messages received from clients' },
  planvas_messages_out_total: { help: 'WebSocket messages sent to clients' },
  planvas_bytes_in_total: { help: 'WebSocket payload bytes received from clients' },
  planvas_bytes_out_total: { help: 'WebSocket payload bytes sent to clients' },
  planvas_rate_limited_total: { help: 'times a connection was paused because it exceeded its messages per second' },
  planvas_connections_refused_total: {
    help: 'WebSocket upgrades refused by a limit or by the server state',
    labels: { reason: ['per_ip', 'per_board', 'draining', 'storage', 'too_large', 'other'] },
  },
  planvas_errors_total: {
    help: 'errors by kind: storage (a database call failed), fanout (Redis), frame (a bad client frame), internal (a bug)',
    labels: { kind: ['storage', 'fanout', 'frame', 'internal', 'other'] },
  },
  planvas_fanout_published_total: { help: 'messages published to other instances (Redis)' },
  planvas_fanout_received_total: { help: 'messages received from other instances (Redis)' },
  planvas_fanout_dropped_total: { help: 'fan-out messages dropped as malformed or of an unknown kind' },
  planvas_log_catchups_total: { help: 'times a loaded board read missed rows from the shared log' },
  planvas_log_catchup_rows_total: { help: 'rows read from the shared log by catch-ups' },
  planvas_corrupt_rows_total: { help: 'stored rows whose checksum did not match (quarantined, reported)' },
  planvas_edits_refused_total: {
    help: 'client edits refused: storage (unavailable past the hold bound), too_large (document size limit), missing_dependency (builds on data the board lacks; the sender is asked to resync)',
    labels: { reason: ['storage', 'too_large', 'missing_dependency', 'other'] },
  },
} as const satisfies Record<string, MetricDef>;

export const GAUGES = {
  planvas_open_connections: { help: 'open WebSocket connections' },
  planvas_open_rooms: { help: 'boards loaded in memory' },
  planvas_storage_available: { help: '1 when the last storage call succeeded, 0 when it failed (absent before the first call)' },
  planvas_fanout_connected: { help: '1 when connected to Redis, 0 when not (absent on a single instance)' },
  planvas_held_edits: { help: 'client edits held in memory while storage is unavailable' },
  planvas_fanout_lag_seconds: { help: 'publish-to-delivery delay of the last fan-out message received (absent before any)' },
} as const satisfies Record<string, MetricDef>;

/** Gauges that are only rendered once set: their absence means "not known / not applicable". */
const SET_ONLY_GAUGES: ReadonlySet<string> = new Set(['planvas_storage_available', 'planvas_fanout_connected', 'planvas_fanout_lag_seconds']);

export const HISTOGRAMS = {
  planvas_storage_seconds: { help: 'duration of storage calls, by BoardStore method', labels: { op: [...STORAGE_OPS, 'other'] } },
} as const satisfies Record<string, MetricDef>;

/** Upper bounds (seconds) of every histogram's buckets; +Inf is implied. */
export const HISTOGRAM_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export type CounterName = keyof typeof COUNTERS;
export type GaugeName = keyof typeof GAUGES;
export type HistogramName = keyof typeof HISTOGRAMS;
export type Labels = Readonly<Record<string, string>>;

interface HistogramSeries {
  /** Per bucket (not cumulative), plus one for +Inf. */
  buckets: number[];
  sum: number;
  count: number;
}

const DEFS: Readonly<Record<string, MetricDef>> = { ...COUNTERS, ...GAUGES, ...HISTOGRAMS };

export class Metrics {
  /** metric name -> rendered label set (`{kind="storage"}` or '') -> value. */
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly gauges = new Map<string, Map<string, number>>();
  private readonly histograms = new Map<string, Map<string, HistogramSeries>>();
  private readonly version: string;

  constructor(opts: { version?: string } = {}) {
    this.version = opts.version ?? packageVersion();
  }

  inc(name: CounterName, by = 1, labels?: Labels): void {
    bump(this.counters, name, labelKey(name, labels), by);
  }

  /** Adds to a gauge (negative to decrease). */
  add(name: GaugeName, by: number, labels?: Labels): void {
    bump(this.gauges, name, labelKey(name, labels), by);
  }

  set(name: GaugeName, value: number, labels?: Labels): void {
    series(this.gauges, name).set(labelKey(name, labels), value);
  }

  observe(name: HistogramName, seconds: number, labels?: Labels): void {
    if (!Number.isFinite(seconds) || seconds < 0) return;
    const all = series(this.histograms, name);
    const key = labelKey(name, labels);
    let h = all.get(key);
    if (!h) all.set(key, (h = { buckets: new Array<number>(HISTOGRAM_BUCKETS.length + 1).fill(0), sum: 0, count: 0 }));
    const i = HISTOGRAM_BUCKETS.findIndex((le) => seconds <= le);
    h.buckets[i === -1 ? HISTOGRAM_BUCKETS.length : i]! += 1;
    h.sum += seconds;
    h.count += 1;
  }

  /** A counter's or gauge's value for these labels; without labels, the sum over all label values. */
  get(name: CounterName | GaugeName, labels?: Labels): number {
    const all = this.counters.get(name) ?? this.gauges.get(name);
    if (!all) return 0;
    if (labels === undefined) return [...all.values()].reduce((a, b) => a + b, 0);
    return all.get(labelKey(name, labels)) ?? 0;
  }

  /** A histogram's count and sum for these labels (zeros before any observation). */
  histogram(name: HistogramName, labels?: Labels): { count: number; sum: number } {
    const h = this.histograms.get(name)?.get(labelKey(name, labels));
    return { count: h?.count ?? 0, sum: h?.sum ?? 0 };
  }

  /** Prometheus text exposition format 0.0.4. */
  render(): string {
    const lines: string[] = [];
    const head = (name: string, help: string, type: string) => lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);

    for (const [name, def] of Object.entries(COUNTERS) as [string, MetricDef][]) {
      head(name, def.help, 'counter');
      const values = this.counters.get(name) ?? new Map<string, number>();
      // Every label value is shown from 0 so that rate() works from the first increment.
      for (const key of allLabelKeys(def)) if (!values.has(key)) values.set(key, 0);
      this.counters.set(name, values);
      for (const [key, v] of values) lines.push(`${name}${key} ${formatNumber(v)}`);
    }
    for (const [name, def] of Object.entries(GAUGES) as [string, MetricDef][]) {
      head(name, def.help, 'gauge');
      const values = this.gauges.get(name);
      if (!values || values.size === 0) {
        if (!SET_ONLY_GAUGES.has(name)) lines.push(`${name} 0`);
        continue;
      }
      for (const [key, v] of values) lines.push(`${name}${key} ${formatNumber(v)}`);
    }
    for (const [name, def] of Object.entries(HISTOGRAMS) as [string, MetricDef][]) {
      head(name, def.help, 'histogram');
      for (const [key, h] of this.histograms.get(name) ?? []) {
        const inner = key === '' ? '' : `${key.slice(1, -1)},`;
        let cumulative = 0;
        HISTOGRAM_BUCKETS.forEach((le, i) => {
          cumulative += h.buckets[i]!;
          lines.push(`${name}_bucket{${inner}le="${le}"} ${cumulative}`);
        });
        lines.push(`${name}_bucket{${inner}le="+Inf"} ${h.count}`);
        lines.push(`${name}_sum${key} ${formatNumber(h.sum)}`, `${name}_count${key} ${h.count}`);
      }
    }

    // Process figures are read at render time (nothing to keep up to date in between).
    const mem = process.memoryUsage();
    const processGauges: [string, string, number][] = [
      ['process_resident_memory_bytes', 'resident set size of the server process', mem.rss],
      ['nodejs_heap_used_bytes', 'V8 heap in use', mem.heapUsed],
      ['nodejs_external_memory_bytes', 'memory of C++ objects bound to JavaScript (buffers)', mem.external],
      ['process_uptime_seconds', 'seconds since the process started', process.uptime()],
    ];
    for (const [name, help, value] of processGauges) {
      head(name, help, 'gauge');
      lines.push(`${name} ${formatNumber(value)}`);
    }
    head('planvas_build_info', 'always 1; the label carries the Planvas version', 'gauge');
    lines.push(`planvas_build_info{version="${escapeLabelValue(this.version)}"} 1`);
    return `${lines.join('\n')}\n`;
  }
}

function series<V>(maps: Map<string, Map<string, V>>, name: string): Map<string, V> {
  let m = maps.get(name);
  if (!m) maps.set(name, (m = new Map()));
  return m;
}

function bump(maps: Map<string, Map<string, number>>, name: string, key: string, by: number): void {
  if (!Number.isFinite(by)) return;
  const m = series(maps, name);
  m.set(key, (m.get(key) ?? 0) + by);
}

/**
 * The rendered label set of a sample, `{a="x",b="y"}` or '' for an unlabelled metric. Only the
 * declared labels are kept, in declaration order; an undeclared value becomes "other".
 */
function labelKey(name: string, labels: Labels | undefined): string {
  const declared = DEFS[name]?.labels;
  if (!declared) return '';
  const parts = Object.entries(declared).map(([label, allowed]) => {
    const given = labels?.[label];
    const value = given !== undefined && allowed.includes(given) ? given : 'other';
    return `${label}="${escapeLabelValue(value)}"`;
  });
  return `{${parts.join(',')}}`;
}

function allLabelKeys(def: MetricDef): string[] {
  if (!def.labels) return [''];
  const [label, values] = Object.entries(def.labels)[0]!;
  // Only single-label metrics are pre-filled (the cross product of several would be noise).
  if (Object.keys(def.labels).length !== 1) return [];
  return values.map((v) => `{${label}="${escapeLabelValue(v)}"}`);
}

/** Label values escape backslash, double quote and newline (text format 0.0.4). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes backslash and newline. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

/** The version in package.json (planvas_build_info), or "unknown" if it cannot be read. */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
