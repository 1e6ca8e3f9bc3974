import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { helpText } from '../../server/config.ts';
import { COUNTERS, GAUGES, HISTOGRAMS, Metrics } from '../../server/metrics.ts';
import { parsePrometheus } from '../helpers/prometheus.ts';
import { ROOT } from '../helpers/server.ts';

/**
 * docs/operations.md is what an operator configures and alerts on: it must name every setting
 * the server accepts and every metric it exports, so adding one without documenting it fails.
 */
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'operations.md'), 'utf8');

/** The rows of the markdown table that follows `<!-- marker ... -->`. */
function tableAfter(marker: string): string[] {
  const start = doc.indexOf(`<!-- ${marker}`);
  expect(start, `marker ${marker} in docs/operations.md`).toBeGreaterThan(-1);
  const lines = doc.slice(start).split('\n').slice(1);
  const end = lines.findIndex((l) => !l.startsWith('|'));
  return lines.slice(2, end === -1 ? undefined : end);
}

describe('docs/operations.md', () => {
  it('lists every flag and environment variable of server/config.ts in the settings table', () => {
    const rows = tableAfter('settings-table').join('\n');
    const help = helpText();
    const flags = [...help.matchAll(/^ {2}--([a-z-]+) /gm)].map((m) => m[1]!).filter((f) => f !== 'help');
    const envs = [...help.matchAll(/^ {2}(?:--[a-z-]+|\(no flag\)) +([A-Z][A-Z0-9_]+) /gm)].map((m) => m[1]!);
    expect(flags.length).toBeGreaterThan(15);
    expect(envs).toContain('PLANVAS_SECRET');
    for (const flag of flags) expect(rows, `--${flag}`).toContain(`\`--${flag}\``);
    for (const env of envs) expect(rows, env).toContain(`\`${env}\``);
  });

  it('lists every exported metric, and nothing that is not exported, in the metrics table', () => {
    const documented = tableAfter('metrics-table').map((row) => /^\| `([a-z_]+)/.exec(row)?.[1]);
    const exported = [...parsePrometheus(new Metrics().render()).keys()];
    expect(exported).toEqual(expect.arrayContaining([...Object.keys(COUNTERS), ...Object.keys(GAUGES), ...Object.keys(HISTOGRAMS)]));
    expect([...documented].sort()).toEqual([...exported].sort());
  });
});
