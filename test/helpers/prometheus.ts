/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests of GET /metrics.
 * Strict on purpose: it throws on anything a scraper might reject or misread, so a test that
 * parses /metrics fails when the output drifts from the format.
 *
 * Checks: every line is a comment (`# HELP name text`, `# TYPE name type`) or a sample
 * `name{label="value",...} value`; label values use only the \\ \" \n escapes; each family has
 * HELP and TYPE before its samples, once; a sample belongs to the family declared above it
 * (histograms: name_bucket/_sum/_count); no sample (name + labels) repeats; histogram buckets
 * are cumulative (non-decreasing in `le`) and end with le="+Inf" equal to _count; _sum and
 * _count are present for every histogram series; counters are never negative.
 *
 * @example const families = parsePrometheus(await (await fetch(url + '/metrics')).text());
 *          sampleValue(families, 'planvas_errors_total', { kind: 'storage' })
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function parsePrometheus(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  let current: Family | null = null;
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, index) => {
    const where = `line ${index + 1}: ${JSON.stringify(line)}`;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
      if (!m) throw new Error(`${where}: a comment must be "# HELP name text" or "# TYPE name type"`);
      const [, kind, name, rest] = m as unknown as [string, 'HELP' | 'TYPE', string, string];
      if (!NAME.test(name)) throw new Error(`${where}: bad metric name`);
      if (kind === 'HELP') {
        if (families.has(name)) throw new Error(`${where}: HELP for ${name} given twice (or after its samples)`);
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) throw new Error(`${where}: HELP may only escape \\\\ and \\n`);
        current = { name, help: rest, type: 'untyped', samples: [] };
        families.set(name, current);
      } else {
        if (current?.name !== name) throw new Error(`${where}: TYPE must directly follow the HELP of ${name}`);
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new Error(`${where}: unknown type`);
        if (current.samples.length > 0) throw new Error(`${where}: TYPE after samples`);
        current.type = rest as Family['type'];
      }
      return;
    }
    if (line.trim() === '') throw new Error(`${where}: empty line`);
    const sample = parseSample(line, where);
    if (!current) throw new Error(`${where}: sample before any HELP/TYPE`);
    const allowed = current.type === 'histogram' ? [`${current.name}_bucket`, `${current.name}_sum`, `${current.name}_count`] : [current.name];
    if (!allowed.includes(sample.name)) throw new Error(`${where}: sample ${sample.name} under family ${current.name}`);
    const id = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(id)) throw new Error(`${where}: duplicate sample`);
    seen.add(id);
    if (current.type === 'counter' && !(sample.value >= 0)) throw new Error(`${where}: negative counter`);
    current.samples.push(sample);
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function parseSample(line: string, where: string): Sample {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
  if (!m) throw new Error(`${where}: a sample must be "name{labels} value"`);
  const [, name, rawLabels, rawValue] = m as unknown as [string, string, string | undefined, string];
  const value = parseValue(rawValue, where);
  const labels: Record<string, string> = {};
  if (rawLabels !== undefined) {
    let rest = rawLabels.slice(1, -1);
    while (rest.length > 0) {
      const lm = /^([^=]+)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/.exec(rest);
      if (!lm) throw new Error(`${where}: bad label syntax near ${JSON.stringify(rest)}`);
      const [all, labelName, escaped] = lm as unknown as [string, string, string];
      if (!LABEL_NAME.test(labelName)) throw new Error(`${where}: bad label name ${labelName}`);
      if (labelName in labels) throw new Error(`${where}: label ${labelName} twice`);
      labels[labelName] = escaped.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(all.length);
    }
  }
  return { name, labels, value };
}

function parseValue(raw: string, where: string): number {
  if (raw === '+Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  if (raw === 'NaN') return NaN;
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new Error(`${where}: bad value ${raw}`);
  return Number(raw);
}

function checkHistogram(family: Family): void {
  const series = new Map<string, { buckets: { le: number; value: number }[]; sum?: number; count?: number }>();
  for (const s of family.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${family.name}: bucket without le`);
      entry.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), value: s.value });
    } else if (s.name.endsWith('_sum')) entry.sum = s.value;
    else entry.count = s.value;
  }
  for (const [key, entry] of series) {
    const where = `${family.name}${key}`;
    if (entry.sum === undefined || entry.count === undefined) throw new Error(`${where}: _sum and _count required`);
    const last = entry.buckets.at(-1);
    if (last?.le !== Infinity) throw new Error(`${where}: buckets must end with le="+Inf"`);
    if (last.value !== entry.count) throw new Error(`${where}: +Inf bucket ${last.value} != _count ${entry.count}`);
    for (let i = 1; i < entry.buckets.length; i++) {
      const [a, b] = [entry.buckets[i - 1]!, entry.buckets[i]!];
      if (!(b.le > a.le)) throw new Error(`${where}: le not increasing`);
      if (b.value < a.value) throw new Error(`${where}: buckets not cumulative`);
    }
  }
}

/** The value of one sample (labels must match exactly, le aside for histograms), or undefined. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const family of families.values()) {
    for (const s of family.samples) {
      if (s.name !== name) continue;
      const keys = Object.keys(s.labels);
      if (keys.length === Object.keys(labels).length && keys.every((k) => s.labels[k] === labels[k])) return s.value;
    }
  }
  return undefined;
}
