/**
 * Process counters and gauges, exposed at GET /metrics in the Prometheus text format.
 * Deliberately tiny: names are `planvas_<what>` and every one is documented in docs/api.md.
 *
 * @example metrics.inc('planvas_view_updates_dropped_total')
 */
export const COUNTERS = {
  planvas_connections_total: 'WebSocket connections accepted',
  planvas_upgrades_refused_total: 'WebSocket upgrades refused (401/403/404)',
  planvas_frames_rejected_total: 'connections closed for a malformed, text or oversized frame',
  planvas_updates_stored_total: 'document updates appended to storage',
  planvas_view_updates_dropped_total: 'document updates from view-only connections that were dropped',
  planvas_awareness_entries_dropped_total: 'awareness entries dropped because another connection owns that client id',
  planvas_slow_consumers_total: 'connections cut off because their send buffer grew too large',
  planvas_compactions_total: 'update logs compacted into a snapshot',
  planvas_board_load_failures_total: 'boards that failed to load (refused with 1011)',
} as const;

export const GAUGES = {
  planvas_open_connections: 'open WebSocket connections',
  planvas_open_rooms: 'boards loaded in memory',
} as const;

export type CounterName = keyof typeof COUNTERS;
export type GaugeName = keyof typeof GAUGES;

export class Metrics {
  private counters = new Map<CounterName, number>();
  private gauges = new Map<GaugeName, number>();

  inc(name: CounterName, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  add(name: GaugeName, by: number): void {
    this.gauges.set(name, (this.gauges.get(name) ?? 0) + by);
  }

  get(name: CounterName | GaugeName): number {
    return this.counters.get(name as CounterName) ?? this.gauges.get(name as GaugeName) ?? 0;
  }

  /** Prometheus text exposition format 0.0.4. */
  render(): string {
    const lines: string[] = [];
    for (const [name, help] of Object.entries(COUNTERS)) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${this.get(name as CounterName)}`);
    }
    for (const [name, help] of Object.entries(GAUGES)) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${this.get(name as GaugeName)}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
